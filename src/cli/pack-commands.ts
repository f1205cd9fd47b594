/** `asx pack …` commands. Packs are read lazily through a Node file handle. */
import { AsxError } from '../core/errors.ts';
import { toHex, fromHex } from '../core/bytes/hex.ts';
import { CountingSource } from '../core/bytes/source.ts';
import { openPack, leafHashes, type PackReader } from '../core/pack/read.ts';
import { encodePack, type EncodeOptions } from '../core/pack/write.ts';
import { verifyPack, failedReport, type VerifyReport } from '../core/pack/verify.ts';
import { packManifest, manifestJson } from '../core/pack/manifest.ts';
import { merkleProof, verifyProof } from '../core/pack/merkle.ts';
import { diffPacks } from '../core/pack/compat.ts';
import { mergePacks, type MergeMode } from '../core/pack/merge.ts';
import { parseV2c, decodeToV2c } from '../core/pack/v2c-json.ts';
import { parseSeed } from '../core/pack/sign.ts';
import { buildPack } from '../core/pack/build-pack.ts';
import { streamsFromSvg } from '../core/svg/streams.ts';
import { parseArgs, optNumber, optString, requireOut, type Parsed } from './args.ts';
import { openFileSink, openFileSource, peakMemoryMB, withOpenedFile, type NodeFileSink } from './node-source.ts';
import { encodePackStream } from '../core/pack/write-stream.ts';
import { openSafetensors } from '../core/tensors/safetensors.ts';
import { decodeInto } from '../core/tensors/dtypes.ts';
import type { Io } from './main.ts';
import { PACK_HELP } from './help.ts';
import { setHashBackend } from '../core/hash/backend.ts';
import { nodeHashBackend } from './node-hash.ts';

// Lane payloads of ≥ 1 KiB hash through node:crypto (OpenSSL); shorter ones and merkle nodes
// through the pure batch hasher, measured faster for them (docs/bench.md). Same bytes either way.
setHashBackend(nodeHashBackend());

export { PACK_HELP };

const VALUED = ['-o', '--out', '--sign-key', '--lane-audits', '--pubkey', '--root', '--mode', '--lambda', '--v2c'];
const FLAGS = ['--import', '-h', '--help', '--no-qscale', '--no-tune', '--no-audit', '--no-merkle', '--stats', '--require-signature', '--index-only'];

async function readJson(io: Io, path: string): Promise<unknown> {
  const bytes = await io.readFile(path);
  let text: string;
  try { text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch { throw new AsxError('bad_json', 'file is not UTF-8 text', { file: path }); }
  try { return JSON.parse(text); } catch (e) { throw new AsxError('bad_json', `not JSON: ${(e as Error).message}`, { file: path }); }
}

async function signKey(io: Io, p: Parsed): Promise<Uint8Array | undefined> {
  const f = optString(p, '--sign-key');
  if (!f) return undefined;
  try { return parseSeed(await io.readFile(f)); } catch (e) {
    if (e instanceof AsxError) throw new AsxError(e.code, e.message, { file: f });
    throw e;
  }
}

function outPath(p: Parsed, cmd: string): string {
  return requireOut(p, `asx pack ${cmd}`);
}

/** Open a pack lazily; closed after `fn`. */
function withPack<T>(path: string, p: Parsed, io: Io, fn: (r: PackReader, src: CountingSource) => Promise<T>): Promise<T> {
  return withOpenedFile(path, p.opts.has('--stats'), io.err, openPack, fn);
}

/** A safetensors file: named so, or its first 8 bytes are a plausible header length followed by `{`. */
async function isSafetensors(path: string): Promise<boolean> {
  if (/\.safetensors$/i.test(path)) return true;
  const f = await openFileSource(path);
  try {
    if (f.size < 9) return false;
    const b = await f.read(0, 9);
    const n = new DataView(b.buffer, b.byteOffset, 8).getUint32(0, true) + 2 ** 32 * new DataView(b.buffer, b.byteOffset, 8).getUint32(4, true);
    return b[8] === 0x7b && b[0] !== 0x7b && n >= 2 && 8 + n <= f.size;
  } finally {
    await f.close();
  }
}

/**
 * `asx pack encode MODEL.safetensors`: every tensor is a lane named by its tensor name, of
 * shape [dims] or [1, dims], dtype F64, F32, F16 or BF16. Streamed (issue 9): the input is
 * read one lane at a time (twice when tuning), the pack written in chunks; neither file is
 * ever held whole. `__metadata__` is not stored (the pack format has no field for it).
 */
async function encodeSafetensors(path: string, out: string, opts: EncodeOptions, p: Parsed, io: Io): Promise<number> {
  const fsrc = await openFileSource(path);
  const src = new CountingSource(fsrc);
  let sink: NodeFileSink | null = null;
  try {
    const st = await openSafetensors(src);
    const tensors = st.header.tensors;
    const dims = tensors.length ? tensors[0].shape[tensors[0].shape.length - 1] ?? 0 : 1;
    for (const t of tensors) {
      const ok = (t.shape.length === 1 && t.shape[0] === dims) || (t.shape.length === 2 && t.shape[0] === 1 && t.shape[1] === dims);
      if (!ok) throw new AsxError('bad_input', `tensor shape ${JSON.stringify(t.shape)} is not [${dims}] (every tensor is one lane of dims weights, like the first)`, { path: `$[${JSON.stringify(t.name)}].shape`, file: path });
      if (!['F64', 'F32', 'F16', 'BF16'].includes(t.dtype)) throw new AsxError('bad_input', `tensor dtype ${t.dtype} is not floating point`, { path: `$[${JSON.stringify(t.name)}].dtype`, file: path });
    }
    sink = await openFileSink(out);
    const tty = process.stderr.isTTY;
    let last = 0;
    // One f64 buffer for every lane: the writer is done with a lane's weights before it asks for
    // the next (write-stream.ts), and 24,000 fresh 512 KB arrays outran the GC (peak 367 MB).
    const scratch = new Float64Array(dims);
    const weights = async (id: string) => {
      decodeInto(await st.raw(id), st.header.byName.get(id)!.dtype, scratch);
      return scratch;
    };
    const res = await encodePackStream({ ids: tensors.map((t) => t.name), dims, weights }, sink, {
      ...opts,
      onProgress: tty ? (pass, done, total) => {
        const t = Date.now();
        if (t - last < 200 && done < total) return;
        last = t;
        io.err(`\rasx: ${pass === 'audit' ? 'auditing' : 'writing'} lanes ${done}/${total}${done === total ? '\n' : ''}`);
      } : undefined,
    });
    await sink.commit();
    sink = null;
    if (p.opts.has('--stats')) io.err(`asx: ${path}: read ${src.bytesRead} of ${src.size} bytes (${src.bytesTransferred} transferred) in ${src.reads} reads; wrote ${res.size} bytes; peak memory ${peakMemoryMB()} MB\n`);
    io.out(JSON.stringify({ file: out, bytes: res.size, lanes: res.ids.length, dims, signed: !!opts.signKey, streamed: true }) + '\n');
    return 0;
  } catch (e) {
    if (e instanceof AsxError && !e.where.file) throw new AsxError(e.code, e.message, { ...e.where, file: path });
    throw e;
  } finally {
    if (sink) await sink.abort();
    await fsrc.close();
  }
}

function summary(path: string, bytes: Uint8Array, ids: string[], dims: number, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ file: path, bytes: bytes.length, lanes: ids.length, dims, ...extra }) + '\n';
}

export async function packCommand(argv: string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv;
  const p = parseArgs(rest, VALUED, FLAGS);
  if (!cmd || cmd === '--help' || cmd === '-h' || p.opts.has('--help') || p.opts.has('-h')) { io.out(PACK_HELP); return 0; }
  const need = (n: number, what: string) => { if (p.positional.length !== n) throw new AsxError('usage', `asx pack ${cmd} takes ${what}`); };

  switch (cmd) {
    case 'build': {
      need(1, 'STREAMS.json');
      const out = outPath(p, cmd);
      const key = await signKey(io, p);
      // A streams document, or an SVG-tensor (named top-level groups → lane streams; --import
      // accepts an ordinary SVG and imports it first).
      const src = p.positional[0];
      const raw = await io.readFile(src);
      let firstByte = 0;
      while (firstByte < raw.length && (raw[firstByte] === 0x20 || raw[firstByte] === 0x0a || raw[firstByte] === 0x0d || raw[firstByte] === 0x09 || raw[firstByte] === 0xef || raw[firstByte] === 0xbb || raw[firstByte] === 0xbf)) firstByte++;
      const isSvg = /\.svg$/i.test(src) || raw[firstByte] === 0x3c;
      let doc: unknown;
      if (isSvg) {
        try { doc = streamsFromSvg(raw, { lenient: p.opts.has('--import') }); } catch (e) {
          if (e instanceof AsxError && !e.where.file) throw new AsxError(e.code, e.message, { ...e.where, file: src });
          throw e;
        }
      } else doc = await readJson(io, src);
      const built = buildPack(doc, { signKey: key });
      await io.writeFile(out, built.bytes);
      const v2c = optString(p, '--v2c');
      if (v2c) await io.writeFile(v2c, JSON.stringify(built.v2c) + '\n');
      io.out(summary(out, built.bytes, built.ids, built.dims, { signed: !!key, dropped: built.report.dropped.length, pack_bytes: built.bytes.length }));
      return 0;
    }
    case 'encode': {
      need(1, 'WEIGHTS.json|MODEL.safetensors');
      const out = outPath(p, cmd);
      const laneAudits = optNumber(p, '--lane-audits');
      const base: EncodeOptions = {
        qscale: !p.opts.has('--no-qscale'), tune: !p.opts.has('--no-tune'), audit: !p.opts.has('--no-audit'), merkle: !p.opts.has('--no-merkle'),
        laneAudits: laneAudits ?? 0, signKey: await signKey(io, p),
      };
      const src = p.positional[0];
      if (await isSafetensors(src)) return encodeSafetensors(src, out, base, p, io);
      const { doc, lanes } = parseV2c(await readJson(io, src));
      const opts: EncodeOptions = { ...base, scales: doc.qscale };
      const res = encodePack(lanes, doc.dims, opts);
      await io.writeFile(out, res.bytes);
      if (doc.bias !== 0) io.err(`asx: note: bias ${doc.bias} has no field in weights.v2c-bin and is not stored\n`);
      io.out(summary(out, res.bytes, res.ids, doc.dims, { signed: !!opts.signKey }));
      return 0;
    }
    case 'decode': {
      need(1, 'PACK');
      return withPack(p.positional[0], p, io, async (r) => { io.out(JSON.stringify(await decodeToV2c(r)) + '\n'); return 0; });
    }
    case 'inspect': {
      need(1, 'PACK');
      return withPack(p.positional[0], p, io, async (r) => { io.out(manifestJson(packManifest(r))); return 0; });
    }
    case 'verify': {
      if (p.positional.length < 1) throw new AsxError('usage', 'asx pack verify takes PACK...');
      const trusted: string[] = [];
      for (let i = 0; i < rest.length; i++) if (rest[i] === '--pubkey') trusted.push(rest[i + 1]);
      else if (rest[i].startsWith('--pubkey=')) trusted.push(rest[i].slice(9));
      for (const k of trusted) if (!fromHex(k) || fromHex(k)!.length !== 32) throw new AsxError('usage', `--pubkey needs 64 hex digits, got ${JSON.stringify(k)}`);
      const reports: VerifyReport[] = [];
      for (const f of p.positional) {
        try {
          reports.push(await withPack(f, p, io, async (r, src) => {
            const rep = await verifyPack(r, { lanes: !p.opts.has('--index-only'), trustedKeys: trusted.length ? trusted : undefined, requireSignature: trusted.length > 0 || p.opts.has('--require-signature') });
            return { ...rep, file: f, bytesRead: src.bytesRead };
          }));
        } catch (e) {
          if (!(e instanceof AsxError)) throw e;
          reports.push(failedReport(e, f));
        }
      }
      io.out(JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2) + '\n');
      const bad = reports.filter((r) => !r.ok);
      for (const r of bad) {
        const i = r.issues[0];
        io.err(`asx: ${i?.code ?? 'bad_signature'}: ${r.file}: ${i?.message ?? 'verification failed'}${i?.offset !== undefined ? ` (at byte ${i.offset})` : ''}\n`);
      }
      return bad.length ? 1 : 0;
    }
    case 'proof': {
      need(2, 'PACK LANE');
      return withPack(p.positional[0], p, io, async (r, src) => {
        const i = r.find(p.positional[1]);
        if (i < 0) throw new AsxError('no_such_lane', `no lane ${JSON.stringify(p.positional[1])} in this pack`, { file: p.positional[0] });
        const leaves = leafHashes(r);
        const proof = merkleProof(leaves, i, r.index[i].sym);
        const root = r.computedRoot()!;
        io.out(JSON.stringify({ ...proof, lane_id: r.ids[i], leaf_index: i, leaf_count: leaves.length, root: toHex(root), root_in_pack: r.merkleRoot ? toHex(r.merkleRoot) === toHex(root) : null, bytes_read: src.bytesRead }, null, 2) + '\n');
        return 0;
      });
    }
    case 'verify-proof': {
      need(1, 'PROOF.json');
      const root = optString(p, '--root');
      if (!root) throw new AsxError('usage', 'asx pack verify-proof needs --root HEX');
      const res = verifyProof(await readJson(io, p.positional[0]), root);
      io.out(JSON.stringify(res) + '\n');
      if (!res.ok) { io.err(`asx: ${res.code}: ${res.message}${res.path ? ` (at ${res.path})` : ''}\n`); return 1; }
      return 0;
    }
    case 'diff': {
      need(2, 'A B');
      return withPack(p.positional[0], p, io, (a) => withPack(p.positional[1], p, io, async (b) => {
        const d = await diffPacks(a, b);
        io.out(JSON.stringify({
          level: d.level, reason: { matched: d.compatibility.matched, differed: d.compatibility.differed },
          dims: { a: d.compatibility.dimsA, b: d.compatibility.dimsB, normalized: d.dimsN },
          similarity: d.similarity,
          lanes: d.lanes.filter((l) => l.inA && l.inB).map((l) => ({ id: l.id, cosine: l.cosine })),
          only_a: d.compatibility.onlyA, only_b: d.compatibility.onlyB,
        }, null, 2) + '\n');
        return 0;
      }));
    }
    case 'merge': {
      need(2, 'TARGET SOURCE');
      const out = outPath(p, cmd);
      const mode = optString(p, '--mode') ?? 'overlay';
      if (!['overlay', 'blend', 'union'].includes(mode)) throw new AsxError('usage', `--mode must be overlay, blend or union, got ${JSON.stringify(mode)}`);
      const lambda = optNumber(p, '--lambda');
      const key = await signKey(io, p);
      return withPack(p.positional[0], p, io, (t) => withPack(p.positional[1], p, io, async (s) => {
        const res = await mergePacks(t, s, { mode: mode as MergeMode, lambda, signKey: key });
        await io.writeFile(out, res.bytes);
        io.out(summary(out, res.bytes, res.ids, res.dims, { mode, signed: !!key }));
        return 0;
      }));
    }
    default:
      throw new AsxError('usage', `unknown pack command ${JSON.stringify(cmd)} (try asx pack --help)`);
  }
}
