/**
 * The Object Server over HTTP (issue 10): `asx serve`'s server (startHttpServer over a folder
 * store, in this process) against baselines measured in the same run.
 *
 *   a. Verified projections per second: the counter's `default` JSON projection and a 1 MiB
 *      binary `raw` projection, with the core's caches warm and with them off (cache limits 0:
 *      every request reads and parses the descriptor, reads and hashes the payload, projects),
 *      next to a plain node:http static file server streaming the same bytes from files
 *      (stat + fs.createReadStream). Keep-alive clients, fixed concurrency, interleaved rounds.
 *   b. Range read latency of one lane of a 1 GiB weights.v2c-bin pack and of one tensor of a
 *      1 GiB safetensors file served as object payloads (`?projection=raw` + `Range`), against
 *      reading the same byte range with a Node file handle; median and p95 of N reads.
 *   c. safetensors header open (openSafetensors over a file handle) of a multi-GB file shaped
 *      like a 7B-parameter transformer: bytes read and time, against reading the same header
 *      bytes with a file handle (no parsing).
 *
 * The 1 GiB files are written by the project's streaming writers (encodePackStream,
 * writeSyntheticLanes) into `os.tmpdir()/asx-bench-objects/` and kept for the next run (about
 * 2.2 GB; delete the folder to reclaim it); the multi-GB file of (c) is sparse (a header and a
 * hole), so it takes no disk. `run()` returns a markdown section; `npx tsx bench/objects.ts`
 * prints it.
 */
import { createHash } from 'node:crypto';
import { createReadStream, existsSync, linkSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statfsSync, statSync, writeFileSync } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { Agent, createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createFolderStore } from '../src/server/folderStore.ts';
import { startHttpServer, type RunningServer } from '../src/server/http.ts';
import { encodePackStream } from '../src/core/pack/write-stream.ts';
import { openPack } from '../src/core/pack/read.ts';
import { openFileSink, openFileSource } from '../src/cli/node-source.ts';
import { writeSyntheticLanes } from '../src/cli/synth-safetensors.ts';
import { openSafetensors, safetensorsHeaderBytes, type TensorSpec } from '../src/core/tensors/safetensors.ts';
import { CountingSource } from '../src/core/bytes/source.ts';
import { COUNTER_PAYLOAD, counterDescriptor } from '../src/core/objects/testkit.ts';
import { fixtureBlob } from '../src/core/objects/compliance-fixtures.ts';

const CONCURRENCY = 8;
const ROUND_MS = 1000;
const ROUNDS = 5;
const RANGE_READS = 200;
const HEADER_OPENS = 30;
const BIG_LANES = 8192;
const BIG_DIMS = 65_535;
const BIG_DIR = join(tmpdir(), 'asx-bench-objects');
const META_VERSION = 1;

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const pct = (xs: number[], p: number): number => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.ceil((p / 100) * s.length) - 1)]; };
const fmt = (x: number, d = 1): string => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const int = (x: number): string => Math.round(x).toLocaleString('en-US');
const now = (): number => performance.now();
const hashHex = (b: Uint8Array): string => createHash('sha256').update(b).digest('hex');

async function hashFile(path: string): Promise<string> {
  const h = createHash('sha256');
  for await (const c of createReadStream(path, { highWaterMark: 4 << 20 })) h.update(c as Buffer);
  return h.digest('hex');
}

/** Write a descriptor into an object folder (the blob is placed by the caller). */
function putDescriptor(dir: string, d: Record<string, unknown>): void {
  const segs = (d.id as string).slice('object://'.length).split('/');
  const file = join(dir, 'objects', ...segs) + '.json';
  mkdirSync(join(file, '..'), { recursive: true });
  writeFileSync(file, JSON.stringify(d));
}
function putBlob(dir: string, bytes: Uint8Array): string {
  const hex = hashHex(bytes);
  mkdirSync(join(dir, 'blobs', 'sha256'), { recursive: true });
  writeFileSync(join(dir, 'blobs', 'sha256', hex), bytes);
  return `sha256:${hex}`;
}
function binaryDescriptor(id: string, hash: string, size: number): Record<string, unknown> {
  return {
    $schema: 'object://schema/object.v1', id, hash,
    payload: { type: 'binary', mime: 'application/octet-stream', encoding: 'raw', size },
    authority: 'none', executable: false,
    projections: { default: { type: 'binary', source: '@payload' }, raw: { type: 'binary', source: '@payload' } },
    invariants: ['immutable_payload', 'no_execution', 'projection_only'],
  };
}

// ---------------------------------------------------------------------------------------
// HTTP client (keep-alive) and the static baseline server

interface Hit { status: number; bytes: number }

function get(agent: Agent, port: number, path: string, headers: Record<string, string> = {}): Promise<Hit> {
  return new Promise((done, fail) => {
    const r = request({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
      let n = 0;
      res.on('data', (c: Buffer) => { n += c.length; });
      res.on('end', () => done({ status: res.statusCode ?? 0, bytes: n }));
      res.on('error', fail);
    });
    r.on('error', fail);
    r.end();
  });
}

function getBody(agent: Agent, port: number, path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: Buffer }> {
  return new Promise((done, fail) => {
    const r = request({ host: '127.0.0.1', port, path, agent, headers }, (res) => {
      const cs: Buffer[] = [];
      res.on('data', (c: Buffer) => cs.push(c));
      res.on('end', () => done({ status: res.statusCode ?? 0, body: Buffer.concat(cs) }));
      res.on('error', fail);
    });
    r.on('error', fail);
    r.end();
  });
}

/** A plain static file server: GET /<file> → stat + createReadStream into the response. */
async function staticServer(root: string): Promise<{ port: number; close: () => Promise<void> }> {
  const server: Server = createServer((req, res) => {
    const name = (req.url ?? '/').slice(1);
    if (!/^[\w.-]+$/.test(name)) { res.writeHead(404).end(); return; }
    const file = join(root, name);
    stat(file).then((st) => {
      const type = name.endsWith('.json') ? 'application/json' : 'application/octet-stream';
      const m = /^bytes=(\d+)-(\d+)$/.exec(req.headers.range ?? '');
      if (m && Number(m[2]) < st.size && Number(m[1]) <= Number(m[2])) {
        const [a, b] = [Number(m[1]), Number(m[2])];
        res.writeHead(206, { 'Content-Type': type, 'Content-Length': b - a + 1, 'Content-Range': `bytes ${a}-${b}/${st.size}` });
        createReadStream(file, { start: a, end: b }).pipe(res);
        return;
      }
      res.writeHead(200, { 'Content-Type': type, 'Content-Length': st.size });
      createReadStream(file).pipe(res);
    }, () => { res.writeHead(404).end(); });
  });
  await new Promise<void>((d) => server.listen(0, '127.0.0.1', () => d()));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => new Promise<void>((d) => { server.close(() => d()); server.closeAllConnections(); }),
  };
}

/** Requests/s of CONCURRENCY workers each sending one request after another for `ms`. */
async function rate(port: number, path: string, ms: number): Promise<{ rps: number; mbps: number; bad: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let ok = 0; let bad = 0; let bytes = 0;
  const t0 = now();
  const until = t0 + ms;
  await Promise.all(Array.from({ length: CONCURRENCY }, async () => {
    while (now() < until) {
      const h = await get(agent, port, path);
      if (h.status === 200) { ok++; bytes += h.bytes; } else bad++;
    }
  }));
  const dt = (now() - t0) / 1000;
  agent.destroy();
  return { rps: ok / dt, mbps: bytes / 1e6 / dt, bad };
}

// ---------------------------------------------------------------------------------------
// a. verified projections per second

interface ThroughputRow { label: string; size: number; static: number[]; warm: number[]; cold: number[]; staticMB: number[]; warmMB: number[]; coldMB: number[]; bad: number }

async function benchThroughput(): Promise<{ rows: ThroughputRow[] }> {
  const dir = mkdtempSync(join(tmpdir(), 'asx-bench-objects-small-'));
  const servers: Array<{ close: () => Promise<void> }> = [];
  try {
    const store = join(dir, 'store');
    const files = join(dir, 'static');
    mkdirSync(files, { recursive: true });
    const counter = { ...counterDescriptor({ invariants: ['immutable_payload', 'no_execution', 'projection_only', 'deterministic'] }), id: 'object://bench/counter' };
    const ch = putBlob(store, COUNTER_PAYLOAD);
    putDescriptor(store, { ...counter, hash: ch, payload: { ...((counter as Record<string, unknown>).payload as object), size: COUNTER_PAYLOAD.length } });
    const blob = fixtureBlob(1 << 20, 0x2545f491);
    const bh = putBlob(store, blob);
    putDescriptor(store, binaryDescriptor('object://bench/blob', bh, blob.length));
    const fsWarm = createFolderStore(store);
    const fsCold = createFolderStore(store);
    const warm: RunningServer = await startHttpServer({ store: fsWarm });
    servers.push(warm, { close: () => fsWarm.close() });
    const cold: RunningServer = await startHttpServer({ store: fsCold, core: { cache: { descriptors: 0, payloads: 0, projections: 0 } } });
    servers.push(cold, { close: () => fsCold.close() });
    // The static server sends exactly the projection's bytes.
    const agent = new Agent({ keepAlive: true });
    const proj = await getBody(agent, warm.port, '/objects/bench/counter');
    if (proj.status !== 200) throw new Error(`counter projection: ${proj.status}`);
    writeFileSync(join(files, 'counter.json'), proj.body);
    writeFileSync(join(files, 'blob.bin'), blob);
    agent.destroy();
    const st = await staticServer(files);
    servers.push(st);
    const cases = [
      { label: 'counter `default` (JSON, references into a 72-byte payload)', size: proj.body.length, obj: '/objects/bench/counter', file: '/counter.json' },
      { label: '1 MiB binary `raw`', size: blob.length, obj: '/objects/bench/blob?projection=raw', file: '/blob.bin' },
    ];
    const rows: ThroughputRow[] = [];
    for (const c of cases) {
      const row: ThroughputRow = { label: c.label, size: c.size, static: [], warm: [], cold: [], staticMB: [], warmMB: [], coldMB: [], bad: 0 };
      // Warm-up (also fills the warm server's caches).
      await rate(st.port, c.file, 200); await rate(warm.port, c.obj, 200); await rate(cold.port, c.obj, 200);
      for (let r = 0; r < ROUNDS; r++) {
        const s = await rate(st.port, c.file, ROUND_MS);
        const w = await rate(warm.port, c.obj, ROUND_MS);
        const k = await rate(cold.port, c.obj, ROUND_MS);
        row.static.push(s.rps); row.warm.push(w.rps); row.cold.push(k.rps);
        row.staticMB.push(s.mbps); row.warmMB.push(w.mbps); row.coldMB.push(k.mbps);
        row.bad += s.bad + w.bad + k.bad;
      }
      rows.push(row);
      console.log(`  ${c.label}: static ${int(median(row.static))}/s, warm ${int(median(row.warm))}/s, cold ${int(median(row.cold))}/s`);
    }
    const ws = warm.objects.stats();
    const cs = cold.objects.stats();
    console.log(`  warm cache: projections ${ws.projections.hits} hits / ${ws.projections.misses} misses; cold: ${cs.projections.hits} hits`);
    return { rows };
  } finally {
    for (const s of servers.reverse()) await s.close().catch(() => undefined);
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------
// b. Range reads from 1 GiB payloads

interface BigFiles { packPath: string; packHash: string; packSize: number; stPath: string; stHash: string; stSize: number; built: string }

async function bigFiles(): Promise<BigFiles> {
  mkdirSync(BIG_DIR, { recursive: true });
  const metaPath = join(BIG_DIR, 'meta.json');
  const packPath = join(BIG_DIR, 'pack.v2c.bin');
  const stPath = join(BIG_DIR, 'model.safetensors');
  try {
    const m = JSON.parse(readFileSync(metaPath, 'utf8')) as BigFiles & { version: number };
    if (m.version === META_VERSION && statSync(packPath).size === m.packSize && statSync(stPath).size === m.stSize) return { ...m, packPath, stPath, built: 'reused from an earlier run' };
  } catch { /* build */ }
  const need = 2.3e9;
  const fsInfo = statfsSync(tmpdir());
  const free = fsInfo.bavail * fsInfo.bsize;
  if (free < need + 2e9) throw new Error(`${fmt(free / 1e9, 1)} GB free under ${tmpdir()}; the 1 GiB files need ${fmt(need / 1e9, 1)} GB plus 2 GB headroom`);
  const t0 = now();
  const ids = Array.from({ length: BIG_LANES }, (_, i) => `ctx@t${String(i).padStart(5, '0')}`);
  const W = new Float64Array(BIG_DIMS);
  for (let k = 0; k < BIG_DIMS; k++) W[k] = Math.sin(k * 0.001) * 0.9;
  const sink = await openFileSink(packPath);
  try {
    await encodePackStream({ ids, dims: BIG_DIMS, weights: (id) => { W[0] = (Number(id.slice(5)) % 97) / 100; return W; } }, sink, { tune: false, laneAudits: 0 });
    await sink.commit();
  } catch (e) { await sink.abort(); throw e; }
  const tPack = now();
  await writeSyntheticLanes(stPath, BIG_LANES, BIG_DIMS, 'asx bench/objects.ts');
  const tSt = now();
  const meta = { version: META_VERSION, packPath, packHash: `sha256:${await hashFile(packPath)}`, packSize: statSync(packPath).size, stPath, stHash: `sha256:${await hashFile(stPath)}`, stSize: statSync(stPath).size };
  writeFileSync(metaPath, JSON.stringify(meta));
  return { ...meta, built: `written in this run: pack ${fmt((tPack - t0) / 1000, 1)} s (encodePackStream, one quantize pass), safetensors ${fmt((tSt - tPack) / 1000, 1)} s (writeSyntheticLanes)` };
}

interface RangeResult { label: string; bytes: number; payloadBytes: number; http: number[]; stat: number[]; fs: number[]; firstMs: number }

async function benchRanges(big: BigFiles): Promise<{ rows: RangeResult[]; laneBytes: number; tensorBytes: number }> {
  const dir = mkdtempSync(join(tmpdir(), 'asx-bench-objects-big-'));
  const store = join(dir, 'store');
  mkdirSync(join(store, 'blobs', 'sha256'), { recursive: true });
  // Hard links: the store holds the same inodes, no copy.
  linkSync(big.packPath, join(store, 'blobs', 'sha256', big.packHash.slice(7)));
  linkSync(big.stPath, join(store, 'blobs', 'sha256', big.stHash.slice(7)));
  putDescriptor(store, binaryDescriptor('object://bench/pack', big.packHash, big.packSize));
  putDescriptor(store, binaryDescriptor('object://bench/model', big.stHash, big.stSize));
  const files = join(dir, 'static');
  mkdirSync(files);
  linkSync(big.packPath, join(files, 'pack.v2c.bin'));
  linkSync(big.stPath, join(files, 'model.safetensors'));
  const fstore = createFolderStore(store);
  const srv = await startHttpServer({ store: fstore });
  const stat_ = await staticServer(files);
  const agent = new Agent({ keepAlive: true, maxSockets: 1 });
  try {
    const packSrc = await openFileSource(big.packPath);
    const pack = await openPack(packSrc);
    const laneAt = (i: number): [number, number] => [pack.dataStart + i * pack.laneBytes, pack.laneBytes];
    await packSrc.close();
    const stSrc = await openFileSource(big.stPath);
    const st = await openSafetensors(stSrc);
    const names = [...st.header.byName.keys()];
    const tensorAt = (i: number): [number, number] => { const t = st.header.byName.get(names[i % names.length])!; return [st.header.dataStart + t.begin, t.end - t.begin]; };
    await stSrc.close();
    const rows: RangeResult[] = [];
    for (const [label, path, file, at, spath] of [
      ['one lane of the 1 GiB pack', '/objects/bench/pack?projection=raw', big.packPath, laneAt, '/pack.v2c.bin'],
      ['one tensor of the 1 GiB safetensors file', '/objects/bench/model?projection=raw', big.stPath, tensorAt, '/model.safetensors'],
    ] as const) {
      const range = (i: number) => { const [o, n] = at(i); return `bytes=${o}-${o + n - 1}`; };
      // First request: the server loads and hashes the whole payload before any byte is served.
      const t0 = now();
      const first = await get(agent, srv.port, path, { Range: range(0) });
      const firstMs = now() - t0;
      if (first.status !== 206) throw new Error(`${path}: ${first.status}`);
      const fh = await open(file, 'r');
      const http: number[] = [];
      const sta: number[] = [];
      const fsr: number[] = [];
      let x = 0x12345678;
      try {
        for (let r = 0; r < RANGE_READS + 10; r++) {
          x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
          const i = (x >>> 0) % BIG_LANES;
          const [o, n] = at(i);
          const a = now();
          const h = await get(agent, srv.port, path, { Range: range(i) });
          const b = now();
          if (h.status !== 206 || h.bytes !== n) throw new Error(`${path} range ${i}: ${h.status} ${h.bytes}`);
          const buf = new Uint8Array(n);
          const c = now();
          const { bytesRead } = await fh.read(buf, 0, n, o);
          const d = now();
          if (bytesRead !== n) throw new Error('short read');
          const e = now();
          const sh = await get(agent, stat_.port, spath, { Range: range(i) });
          const f = now();
          if (sh.status !== 206 || sh.bytes !== n) throw new Error(`static ${spath} range ${i}: ${sh.status} ${sh.bytes}`);
          if (r >= 10) { http.push(b - a); fsr.push(d - c); sta.push(f - e); }
        }
      } finally {
        await fh.close();
      }
      rows.push({ label, bytes: at(0)[1], payloadBytes: file === big.packPath ? big.packSize : big.stSize, http, stat: sta, fs: fsr, firstMs });
      console.log(`  ${label}: http median ${fmt(median(http), 3)} ms p95 ${fmt(pct(http, 95), 3)}; fs ${fmt(median(fsr), 3)} / ${fmt(pct(fsr, 95), 3)}; first request ${fmt(firstMs, 0)} ms`);
    }
    return { rows, laneBytes: pack.laneBytes, tensorBytes: tensorAt(0)[1] };
  } finally {
    agent.destroy();
    await srv.close();
    await stat_.close();
    await fstore.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------
// c. safetensors header open of a multi-GB file

/** Tensor names and shapes of a 7B decoder (32 layers, hidden 4096, MLP 11008, vocab 32000), BF16. */
function sevenBSpecs(): TensorSpec[] {
  const s: TensorSpec[] = [{ name: 'model.embed_tokens.weight', dtype: 'BF16', shape: [32000, 4096] }, { name: 'lm_head.weight', dtype: 'BF16', shape: [32000, 4096] }, { name: 'model.norm.weight', dtype: 'BF16', shape: [4096] }];
  for (let l = 0; l < 32; l++) {
    const p = `model.layers.${l}.`;
    for (const n of ['q_proj', 'k_proj', 'v_proj', 'o_proj']) s.push({ name: `${p}self_attn.${n}.weight`, dtype: 'BF16', shape: [4096, 4096] });
    s.push({ name: `${p}mlp.gate_proj.weight`, dtype: 'BF16', shape: [11008, 4096] }, { name: `${p}mlp.up_proj.weight`, dtype: 'BF16', shape: [11008, 4096] }, { name: `${p}mlp.down_proj.weight`, dtype: 'BF16', shape: [4096, 11008] });
    s.push({ name: `${p}input_layernorm.weight`, dtype: 'BF16', shape: [4096] }, { name: `${p}post_attention_layernorm.weight`, dtype: 'BF16', shape: [4096] });
  }
  return s;
}

interface HeaderResult { fileBytes: number; tensors: number; headerBytes: number; bytesRead: number; reads: number; open: number[]; raw: number[] }

async function benchHeader(): Promise<HeaderResult> {
  const dir = mkdtempSync(join(tmpdir(), 'asx-bench-objects-7b-'));
  try {
    const specs = sevenBSpecs();
    const { bytes: head, dataBytes } = safetensorsHeaderBytes(specs, { format: 'pt' });
    const path = join(dir, 'model-7b-shaped.safetensors');
    const fh = await open(path, 'w');
    await fh.write(head, 0, head.length, 0);
    await fh.truncate(head.length + dataBytes); // sparse: the tensor bytes are a hole (zeros)
    await fh.close();
    const open_: number[] = [];
    const raw: number[] = [];
    let bytesRead = 0; let reads = 0;
    for (let r = 0; r < HEADER_OPENS + 3; r++) {
      const a = now();
      const src = await openFileSource(path);
      const cs = new CountingSource(src);
      const st = await openSafetensors(cs);
      await src.close();
      const b = now();
      if (st.header.byName.size !== specs.length) throw new Error('tensor count');
      bytesRead = cs.bytesRead; reads = cs.reads;
      const c = now();
      const f = await open(path, 'r');
      const len = Buffer.alloc(8);
      await f.read(len, 0, 8, 0);
      const n = Number(len.readBigUInt64LE(0));
      const hb = Buffer.alloc(n);
      await f.read(hb, 0, n, 8);
      await f.close();
      const d = now();
      if (r >= 3) { open_.push(b - a); raw.push(d - c); }
    }
    return { fileBytes: head.length + dataBytes, tensors: specs.length, headerBytes: head.length, bytesRead, reads, open: open_, raw };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ---------------------------------------------------------------------------------------

export async function run(): Promise<string> {
  const load0 = loadavg()[0];
  console.log('  a. verified projections per second …');
  const a = await benchThroughput();
  console.log('  b. 1 GiB payloads …');
  const big = await bigFiles();
  console.log(`  ${big.built}`);
  const b = await benchRanges(big);
  console.log('  c. safetensors header open …');
  const c = await benchHeader();
  const load1 = loadavg()[0];

  const L: string[] = [];
  const p = (s = '') => L.push(s);
  p('## Objects over HTTP (`bench/objects.ts`)');
  p();
  p(`The Object Server as \`asx serve\` runs it (\`startHttpServer\` over a folder store, in the bench process), with baselines measured in the same run. Load average ${fmt(load0, 1)} at the start, ${fmt(load1, 1)} at the end, on 2 CPUs shared with other developers' jobs: absolute figures are noisy, the same-run ratios are the result.`);
  p();
  p('### a. Verified projections per second');
  p();
  p(`${CONCURRENCY} concurrent keep-alive clients (node:http Agent) in the same process as the servers, each sending the next GET when its response has been read; ${ROUNDS} interleaved rounds of ${ROUND_MS} ms per server (static, warm, cold, in turn), after a 200 ms warm-up each; median of the rounds' rates. **Warm**: the core's caches as shipped (descriptors revalidated against the store's bytes on every request, verified payload by hash, projection by id + name: the request reads the descriptor file and answers from the projection cache). **Cold**: a second server over the same folder with cache limits 0 (descriptors, payloads, projections): every request reads, parses and validates the descriptor, reads the payload, SHA-256s it, checks the invariants and projects. **Baseline**: a plain node:http static file server (stat + \`fs.createReadStream\` piped into the response) sending the same bytes as the projection from a file.`);
  p();
  p('| response | bytes | static files (baseline) | warm | × baseline | cold | × baseline |');
  p('| --- | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of a.rows) {
    const s = median(r.static);
    p(`| ${r.label} | ${int(r.size)} | ${int(s)}/s | **${int(median(r.warm))}/s** | **${fmt(median(r.warm) / s, 2)}** | ${int(median(r.cold))}/s | ${fmt(median(r.cold) / s, 2)} |`);
  }
  p();
  const big1 = a.rows[1];
  if (big1) p(`For the 1 MiB payload that is ${fmt(median(big1.staticMB), 0)} MB/s static, ${fmt(median(big1.warmMB), 0)} MB/s warm, ${fmt(median(big1.coldMB), 0)} MB/s cold; the cold server hashes every payload it sends (the core streams a ByteSource through @noble's SHA-256 in 4 MiB reads), which is what a verified projection costs without the payload cache.${a.rows.some((r) => r.bad > 0) ? ` Non-200 answers during the runs: ${a.rows.map((r) => r.bad).join(', ')}.` : ' Every response was 200.'}`);
  p();
  p('### b. Range reads from 1 GiB payloads');
  p();
  p(`Two object payloads in the store (hard links to files under \`${BIG_DIR}\`, ${big.built}; the files are kept there for the next run, ${fmt((big.packSize + big.stSize) / 1e9, 1)} GB: delete the folder to reclaim the space): a weights.v2c-bin pack of ${int(BIG_LANES)} lanes × ${int(BIG_DIMS)} dims (${int(big.packSize)} bytes; lanes of ${int(b.laneBytes)} bytes) and a safetensors file of ${int(BIG_LANES)} BF16 tensors of [${int(BIG_DIMS)}] (${int(big.stSize)} bytes; tensors of ${int(b.tensorBytes)} bytes). One keep-alive client, one request at a time: \`GET /objects/bench/…?projection=raw\` with \`Range: bytes=<the lane's or tensor's bytes>\` (206), ${RANGE_READS} reads of seeded-random lanes/tensors after 10 warm-up reads, each followed by the same range read with a Node file handle (\`FileHandle.read\` into a new buffer; **the baseline**) and by the same \`Range\` request to a static node:http file server as in (a) (\`createReadStream\` with start and end: what HTTP alone costs). The files are in the page cache (written or read in this run, 20+ GB RAM), so these are CPU and copy costs, not disk.`);
  p();
  p('| read | bytes | fs (baseline): median | p95 | static HTTP: median | p95 | × fs | object server: median | p95 | × fs (median) | × fs (p95) | × static HTTP |');
  p('| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |');
  for (const r of b.rows) p(`| ${r.label} | ${int(r.bytes)} | ${fmt(median(r.fs), 3)} ms | ${fmt(pct(r.fs, 95), 3)} ms | ${fmt(median(r.stat), 3)} ms | ${fmt(pct(r.stat, 95), 3)} ms | ${fmt(median(r.stat) / median(r.fs), 1)} | **${fmt(median(r.http), 3)} ms** | ${fmt(pct(r.http, 95), 3)} ms | **${fmt(median(r.http) / median(r.fs), 1)}** | ${fmt(pct(r.http, 95) / pct(r.fs, 95), 1)} | ${fmt(median(r.http) / median(r.stat), 2)} |`);
  p();
  p(`The first Range request on a fresh server is not a range read: the core verifies the whole payload (size, then SHA-256 of every byte) before it serves a byte — ${b.rows.map((r) => `${r.label.replace('one ', '').replace(' of the', ':')} ${fmt(r.firstMs / 1000, 2)} s`).join(', ')} (${b.rows.map((r) => `${fmt(r.payloadBytes / 1e6 / (r.firstMs / 1000), 0)} MB/s`).join(', ')}); afterwards the verified payload is cached by hash and a Range read costs what the table shows.`);
  p();
  p('### c. safetensors header open of a multi-GB file');
  p();
  const gb = c.fileBytes / 2 ** 30;
  p(`A file shaped like a 7B-parameter decoder (${c.tensors} BF16 tensors: embeddings and LM head [32000, 4096], 32 layers of q/k/v/o [4096, 4096], gate/up [11008, 4096], down [4096, 11008] and two norms): **${fmt(gb, 2)} GiB** (${int(c.fileBytes)} bytes; written as the project's reference-order header followed by a sparse hole, so it takes no disk), header ${int(c.headerBytes)} bytes. \`openSafetensors\` over \`openFileSource\` (open the handle, read the length and the header, parse and validate everything the reference checks), counted with \`CountingSource\`; baseline: open a file handle, read the 8-byte length and the header bytes, close (no parsing). Median of ${HEADER_OPENS} opens after 3 warm-up ones.`);
  p();
  p('| operation | time (median) | p95 | bytes read | share of file | × baseline |');
  p('| --- | ---: | ---: | ---: | ---: | ---: |');
  p(`| baseline: file handle + raw header read | ${fmt(median(c.raw), 3)} ms | ${fmt(pct(c.raw, 95), 3)} ms | ${int(c.headerBytes)} | ${fmt((100 * c.headerBytes) / c.fileBytes, 5)} % | 1.00 |`);
  p(`| **\`openSafetensors\`** (lazy: length, header, validation) | **${fmt(median(c.open), 3)} ms** | ${fmt(pct(c.open, 95), 3)} ms | **${int(c.bytesRead)}** in ${c.reads} reads | ${fmt((100 * c.bytesRead) / c.fileBytes, 5)} % | **${fmt(median(c.open) / median(c.raw), 2)}** |`);
  p();
  return L.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(await run());
  if (!existsSync(BIG_DIR)) console.log('(no big files kept)');
}
