/**
 * SVG-tensor and SCXQ2 benchmarks (issue 4). `run()` returns a markdown section;
 * `npx tsx bench/svg.ts` prints it.
 *
 *   1. Canonicalize every @mdi/svg icon (svg-tensor.canonical.v1: parse, legality, normalize,
 *      order, serialize, sha256) against svgo's default preset `optimize` on the same files,
 *      interleaved rounds in the same process; ratio of the medians.
 *   2. SCXQ2 encode (canonical model → envelope) and decode (open + inflate to canonical
 *      bytes, sha256-checked) over the same set, MB/s of canonical bytes.
 *   3. Full verify (header, TOC, every lane root, global root, round trip) MB/s of envelope
 *      bytes, for the icon set and for one large tensor, next to `openssl dgst -sha256` of the
 *      same bytes (spawn cost of an empty file subtracted).
 *
 * About a minute on 2 cores. Temp files are removed.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { optimize } from 'svgo';
import { canonicalize, importSvg, type Canonical } from '../src/core/svg/canonical.ts';
import { encodeScxq2, Scxq2Reader, verifyEnvelope } from '../src/core/scxq2/envelope.ts';
import { bytesSource } from '../src/core/bytes/source.ts';

/** openssl hashes the file this many times per process, so process start-up is a small part. */
const OSSL_REPEAT = 10;
const ROOT = join(fileURLToPath(import.meta.url), '..', '..');
const DIR = join(ROOT, 'node_modules/@mdi/svg/svg');
const now = (): number => performance.now();
const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const fmt = (x: number, d = 1): string => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const mbs = (bytes: number, ms: number): number => bytes / 1e6 / (ms / 1000);
const range = (xs: number[], d = 0) => `${fmt(Math.min(...xs), d)}–${fmt(Math.max(...xs), d)}`;

async function rounds<K extends string>(ops: Record<K, () => unknown>, n: number): Promise<Record<K, number[]>> {
  const keys = Object.keys(ops) as K[];
  const out = Object.fromEntries(keys.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (const k of keys) await ops[k](); // warm-up round, not timed
  for (let r = 0; r < n; r++) {
    for (const k of keys) {
      const t = now();
      await ops[k]();
      out[k].push(now() - t);
    }
  }
  return out;
}

/** Wall times of `openssl dgst -sha256` over `path` repeated `repeat` times in one process. */
function openssl(path: string, times: number, repeat = 1): number[] {
  const out: number[] = [];
  for (let i = 0; i < times; i++) {
    const t = now();
    const r = spawnSync('openssl', ['dgst', '-sha256', ...Array.from({ length: repeat }, () => path)], { encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
    out.push(now() - t);
  }
  return out;
}

function bigTensor(): Canonical {
  // ~60k cubic segments in 600 groups: a multi-megabyte envelope
  let body = '';
  for (let g = 0; g < 600; g++) {
    let d = `M${g % 97} ${(g * 7) % 89}`;
    for (let k = 0; k < 100; k++) d += ` C${(g + k) % 50}.25 ${(k * 3) % 40}.5 ${(g * k) % 60}.125 ${k % 30} ${(g + 2 * k) % 70} ${(3 * k) % 80}.75`;
    body += `<g id="g${g}" transform="translate(${g % 5} ${g % 3})"><path d="${d}"/></g>`;
  }
  return canonicalize(`<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 200 200">${body}</svg>`);
}

export async function run(): Promise<string> {
  const files = readdirSync(DIR).filter((f) => f.endsWith('.svg')).sort();
  const texts = files.map((f) => readFileSync(join(DIR, f), 'utf8'));
  const inBytes = texts.reduce((a, t) => a + Buffer.byteLength(t), 0);
  let canon: Canonical[] = [];
  let svgoBytes = 0;
  const N = 3;
  const t1 = await rounds({
    canonicalize: () => { canon = texts.map((t) => importSvg(t)); },
    svgo: () => { svgoBytes = 0; for (const t of texts) svgoBytes += Buffer.byteLength(optimize(t).data); },
  }, N);
  const canonBytes = canon.reduce((a, c) => a + c.bytes.length, 0);

  let envs: Uint8Array[] = [];
  const t2 = await rounds({
    encode: () => { envs = canon.map((c) => encodeScxq2(c.model, c.hash)); },
    decode: async () => { for (const e of envs) await (await Scxq2Reader.fromBytes(e)).inflate(); },
    verify: async () => { for (const e of envs) { const v = await verifyEnvelope(bytesSource(e)); if (!v.ok) throw new Error('verify failed'); } },
    verifyHash: async () => { for (const e of envs) { const v = await verifyEnvelope(bytesSource(e), { inflate: false }); if (!v.ok) throw new Error('verify failed'); } },
  }, N);
  const envBytes = envs.reduce((a, e) => a + e.length, 0);

  const big = bigTensor();
  const bigEnv = encodeScxq2(big.model, big.hash);
  const tmp = mkdtempSync(join(tmpdir(), 'asx-svg-bench-'));
  let osslSet: number[], osslBig: number[], osslEmpty: number[];
  let t3: Record<'verifyBig' | 'verifyBigHash' | 'decodeBig' | 'encodeBig', number[]>;
  try {
    const all = new Uint8Array(envBytes);
    let o = 0;
    for (const e of envs) { all.set(e, o); o += e.length; }
    writeFileSync(join(tmp, 'all.bin'), all);
    writeFileSync(join(tmp, 'big.scxq2'), bigEnv);
    writeFileSync(join(tmp, 'empty'), new Uint8Array(0));
    t3 = await rounds({
      verifyBig: async () => { if (!(await verifyEnvelope(bytesSource(bigEnv))).ok) throw new Error('verify failed'); },
      verifyBigHash: async () => { if (!(await verifyEnvelope(bytesSource(bigEnv), { inflate: false })).ok) throw new Error('verify failed'); },
      decodeBig: async () => { await (await Scxq2Reader.fromBytes(bigEnv)).inflate(); },
      encodeBig: () => encodeScxq2(big.model, big.hash),
    }, 5);
    osslEmpty = openssl(join(tmp, 'empty'), 5);
    osslSet = openssl(join(tmp, 'all.bin'), 5, OSSL_REPEAT);
    osslBig = openssl(join(tmp, 'big.scxq2'), 5, OSSL_REPEAT * 4);
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
  const spawn = median(osslEmpty);
  const osslRate = (xs: number[], bytes: number) => mbs(bytes, Math.max(0.01, median(xs) - spawn));
  const osslNote = (xs: number[], bytes: number, rep: number) => `${fmt(osslRate(xs, bytes * rep), 1)} MB/s (${rep} × ${fmt(bytes / 1e6, 2)} MB in one process, ${fmt(spawn, 1)} ms process start subtracted)`;
  const mc = median(t1.canonicalize), ms = median(t1.svgo);
  const lines = [
    '## SVG-tensors and SCXQ2 (`bench/svg.ts`)',
    '',
    `All ${files.length.toLocaleString('en-US')} \`@mdi/svg\` icons (${fmt(inBytes / 1e6, 2)} MB); one warm-up, then ${N} interleaved rounds in one process; medians (min–max); the large tensor: 5 rounds. ` +
      `Canonical bytes are larger than the input (explicit width/height, absolute commands, arcs as cubics); svgo minifies, so its output is smaller — the comparison is of work per file, not of size.`,
    '',
    '| what | median | range | notes |',
    '| --- | ---: | ---: | --- |',
    `| import + canonicalize all (strict check, lenient import, svg-tensor.canonical.v1, sha256) | ${fmt(mc, 0)} ms | ${range(t1.canonicalize)} ms | ${fmt(files.length / (mc / 1000), 0)} files/s, ${fmt(mbs(inBytes, mc), 2)} MB/s in; ${fmt(canonBytes / 1e6, 2)} MB canonical out |`,
    `| svgo \`optimize\` (default preset) all | ${fmt(ms, 0)} ms | ${range(t1.svgo)} ms | ${fmt(files.length / (ms / 1000), 0)} files/s; ${fmt(svgoBytes / 1e6, 2)} MB out |`,
    `| ratio svgo / canonicalize | **${fmt(ms / mc, 2)}×** | | >1 means canonicalization is faster |`,
    `| SCXQ2 encode all | ${fmt(median(t2.encode), 0)} ms | ${range(t2.encode)} ms | ${fmt(mbs(canonBytes, median(t2.encode)), 2)} MB/s canonical in; ${fmt(envBytes / 1e6, 2)} MB envelopes (328-byte header+TOC each; 12-byte coords) |`,
    `| SCXQ2 decode all (open + inflate + sha256 check) | ${fmt(median(t2.decode), 0)} ms | ${range(t2.decode)} ms | ${fmt(mbs(canonBytes, median(t2.decode)), 2)} MB/s canonical out, ${fmt(mbs(envBytes, median(t2.decode)), 2)} MB/s envelope in |`,
    `| verify all (roots, round trip, legality of the inflate, lanes re-encoded identical) | ${fmt(median(t2.verify), 0)} ms | ${range(t2.verify)} ms | ${fmt(mbs(envBytes, median(t2.verify)), 2)} MB/s of envelope bytes |`,
    `| verify all, merkle only (every chunk, lane root, global root; no inflate) | ${fmt(median(t2.verifyHash), 0)} ms | ${range(t2.verifyHash)} ms | ${fmt(mbs(envBytes, median(t2.verifyHash)), 2)} MB/s of envelope bytes (7,447 envelopes: per-file work dominates) |`,
    `| \`openssl dgst -sha256\` of the same ${fmt(envBytes / 1e6, 2)} MB (concatenated) | ${fmt(median(osslSet), 0)} ms | ${range(osslSet)} ms | ${osslNote(osslSet, envBytes, OSSL_REPEAT)} |`,
    `| large tensor: encode | ${fmt(median(t3.encodeBig), 0)} ms | ${range(t3.encodeBig)} ms | ${fmt(mbs(big.bytes.length, median(t3.encodeBig)), 2)} MB/s canonical in (${fmt(big.bytes.length / 1e6, 2)} MB canonical, ${fmt(bigEnv.length / 1e6, 2)} MB envelope) |`,
    `| large tensor: decode | ${fmt(median(t3.decodeBig), 0)} ms | ${range(t3.decodeBig)} ms | ${fmt(mbs(big.bytes.length, median(t3.decodeBig)), 2)} MB/s canonical out |`,
    `| large tensor: verify (full) | ${fmt(median(t3.verifyBig), 0)} ms | ${range(t3.verifyBig)} ms | ${fmt(mbs(bigEnv.length, median(t3.verifyBig)), 2)} MB/s of envelope bytes (hashing, inflate, legality, re-encode) |`,
    `| large tensor: verify, merkle only | ${fmt(median(t3.verifyBigHash), 1)} ms | ${range(t3.verifyBigHash, 1)} ms | ${fmt(mbs(bigEnv.length, median(t3.verifyBigHash)), 1)} MB/s of envelope bytes |`,
    `| \`openssl dgst -sha256\` of that envelope | ${fmt(median(osslBig), 0)} ms | ${range(osslBig)} ms | ${osslNote(osslBig, bigEnv.length, OSSL_REPEAT * 4)} |`,
    '',
  ];
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  run().then((md) => process.stdout.write(`${md}\n`), (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
