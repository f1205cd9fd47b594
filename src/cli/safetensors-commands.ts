/**
 * `asx safetensors …` commands (issue 10; docs/laws.md L-SAFETENSORS). Files are read lazily
 * through Node file handles: the header first, tensors by range in bounded chunks, so a
 * multi-GB model opens with a few small reads. A sharded model is given by its
 * `model.safetensors.index.json`; its shards (plain names in the index's folder) are opened
 * only when needed. Symbolic links are followed (the Hugging Face cache links snapshot files to
 * blobs); a shard name can never name another folder.
 */
import { dirname, join } from 'node:path';
import { AsxError } from '../core/errors.ts';
import { CountingSource } from '../core/bytes/source.ts';
import { DTYPE_BYTES, openSafetensors, SAFETENSORS_MAX_HEADER, type SafetensorsReader, type TensorInfo } from '../core/tensors/safetensors.ts';
import { openSharded, parseSafetensorsIndex, singleFileSet, type ShardedReader, type TensorSet } from '../core/tensors/sharded.ts';
import { diffTensor, tensorStats, MAX_BINS, type TensorStats } from '../core/tensors/stats.ts';
import { parseArgs, optNumber, type Parsed } from './args.ts';
import { openFileSource, peakMemoryMB, type NodeFileSource } from './node-source.ts';
import type { Io } from './main.ts';
import { SAFETENSORS_HELP } from './help.ts';

export { SAFETENSORS_HELP };

const VALUED = ['--bins', '--chunk-bytes'];
const FLAGS = ['-h', '--help', '--stats'];

/** One opened input: a single file or an index with its shards. */
interface Model {
  path: string;
  kind: 'file' | 'index';
  set: TensorSet;
  /** Single file: its reader. */
  reader?: SafetensorsReader;
  /** Index: the sharded reader. */
  sharded?: ShardedReader;
  /** Every file read so far (the index file included), with its counting source. */
  sources: Array<{ path: string; src: CountingSource }>;
  close(): Promise<void>;
}

function withFile(e: unknown, file: string): unknown {
  if (e instanceof AsxError && !e.where.file) return new AsxError(e.code, e.message, { ...e.where, file });
  return e;
}

/** An index: named `*.json`, or starting with `{` where no safetensors header length could fit. */
function looksLikeIndex(path: string, head: Uint8Array, size: number): boolean {
  if (/\.json$/i.test(path)) return true;
  if (head.length < 8) return head[0] === 0x7b;
  const n = new DataView(head.buffer, head.byteOffset, 8).getUint32(0, true) + 2 ** 32 * new DataView(head.buffer, head.byteOffset, 8).getUint32(4, true);
  return head[0] === 0x7b && 8 + n > size;
}

async function openModel(path: string): Promise<Model> {
  const opened: NodeFileSource[] = [];
  const sources: Model['sources'] = [];
  const close = async () => { for (const f of opened.splice(0)) await f.close().catch(() => undefined); };
  try {
    const f = await openFileSource(path);
    opened.push(f);
    // Errors name the file as the user gave it (openFileSource names it by its base name).
    const src = new CountingSource({ size: f.size, name: path, read: (o, l) => f.read(o, l) });
    sources.push({ path, src });
    const head = f.size ? await f.read(0, Math.min(8, f.size)) : new Uint8Array(0);
    if (!looksLikeIndex(path, head, f.size)) {
      const reader = await openSafetensors(src);
      return { path, kind: 'file', set: singleFileSet(reader), reader, sources, close };
    }
    if (f.size > SAFETENSORS_MAX_HEADER) throw new AsxError('bad_safetensors', `the index is ${f.size} bytes, over the limit of ${SAFETENSORS_MAX_HEADER}`, { offset: 0, file: path });
    const index = parseSafetensorsIndex(await src.read(0, f.size), path);
    const dir = dirname(path);
    const sharded = openSharded(index, async (name) => {
      const p = join(dir, name);
      const sf = await openFileSource(p);
      opened.push(sf);
      const s = new CountingSource({ size: sf.size, name: p, read: (o, l) => sf.read(o, l) });
      sources.push({ path: p, src: s });
      return s;
    }, path);
    return { path, kind: 'index', set: sharded, sharded, sources, close };
  } catch (e) {
    await close();
    throw withFile(e, path);
  }
}

async function withModel<T>(path: string, p: Parsed, io: Io, fn: (m: Model) => Promise<T>): Promise<T> {
  const m = await openModel(path);
  try {
    const out = await fn(m);
    if (p.opts.has('--stats')) {
      for (const { path: f, src } of m.sources) io.err(`asx: ${f}: read ${src.bytesRead} of ${src.size} bytes (${src.bytesTransferred} transferred) in ${src.reads} reads\n`);
      io.err(`asx: peak memory ${peakMemoryMB()} MB\n`);
    }
    return out;
  } catch (e) {
    throw withFile(e, path);
  } finally {
    await m.close();
  }
}

const bytesRead = (m: Model) => m.sources.reduce((s, x) => s + x.src.bytesRead, 0);

function tensorJson(t: TensorInfo, dataStart: number, file?: string): Record<string, unknown> {
  const elements = (t.end - t.begin) / DTYPE_BYTES[t.dtype];
  return { name: t.name, ...(file !== undefined ? { file } : {}), dtype: t.dtype, shape: t.shape, elements, bytes: t.end - t.begin, data_offsets: [t.begin, t.end], file_offsets: [dataStart + t.begin, dataStart + t.end] };
}

async function inspect(m: Model): Promise<Record<string, unknown>> {
  if (m.reader) {
    const h = m.reader.header;
    return {
      file: m.path, format: 'safetensors', file_bytes: m.reader.source.size, header_bytes: h.dataStart, data_bytes: h.dataBytes,
      bytes_read: bytesRead(m), metadata: h.metadata, tensor_count: h.tensors.length,
      tensors: h.tensors.map((t) => tensorJson(t, h.dataStart)),
    };
  }
  const s = m.sharded!;
  const shards = [];
  const byFile = new Map<string, SafetensorsReader>();
  for (const f of s.index.files) {
    const r = await s.shard(f);
    byFile.set(f, r);
    shards.push({ file: f, file_bytes: r.source.size, header_bytes: r.header.dataStart, data_bytes: r.header.dataBytes, metadata: r.header.metadata, tensor_count: r.header.tensors.length });
  }
  return {
    index: m.path, format: 'safetensors-index', metadata: s.index.metadata, shard_count: shards.length, shards,
    bytes_read: bytesRead(m), tensor_count: s.names.length,
    tensors: s.names.map((n) => { const f = s.index.weightMap.get(n)!; const r = byFile.get(f)!; return tensorJson(r.info(n), r.header.dataStart, f); }),
  };
}

interface Issue { code: string; message: string; file?: string; offset?: number; path?: string }
const issueOf = (e: AsxError, file?: string): Issue => ({ code: e.code, message: e.message, file: e.where.file ?? file, ...(e.where.offset !== undefined ? { offset: e.where.offset } : {}), ...(e.where.path ? { path: e.where.path } : {}) });

/** Read every tensor's bytes in chunks (a file of any size); a failure stops that file. */
async function readAll(r: SafetensorsReader, chunkBytes: number): Promise<number> {
  let n = 0;
  for (const t of r.header.tensors) for await (const c of r.chunks(t.name, chunkBytes)) n += c.bytes.length;
  return n;
}

async function verifyOne(path: string, p: Parsed, io: Io, chunkBytes: number): Promise<Record<string, unknown>> {
  let m: Model;
  try { m = await openModel(path); } catch (e) {
    if (!(e instanceof AsxError)) throw e;
    return { file: path, ok: false, issues: [issueOf(e, path)] };
  }
  try {
    const issues: Issue[] = [];
    let tensors = 0, dataBytes = 0, checked = 0;
    const shards: Array<Record<string, unknown>> = [];
    if (m.reader) {
      tensors = m.reader.header.tensors.length;
      dataBytes = m.reader.header.dataBytes;
      try { checked = await readAll(m.reader, chunkBytes); } catch (e) { if (!(e instanceof AsxError)) throw e; issues.push(issueOf(e, path)); }
    } else {
      const s = m.sharded!;
      for (const f of s.index.files) {
        try {
          const r = await s.shard(f);
          const got = await readAll(r, chunkBytes);
          tensors += r.header.tensors.length; dataBytes += r.header.dataBytes; checked += got;
          shards.push({ file: f, ok: true, tensors: r.header.tensors.length, bytes: r.header.dataBytes });
        } catch (e) {
          if (!(e instanceof AsxError)) throw e;
          issues.push(issueOf(e, f));
          shards.push({ file: f, ok: false });
        }
      }
    }
    const total = m.sharded?.index.metadata?.total_size;
    const out: Record<string, unknown> = {
      file: path, ok: issues.length === 0, format: m.kind === 'index' ? 'safetensors-index' : 'safetensors', tensors, data_bytes: dataBytes, bytes_checked: checked,
      bytes_read: bytesRead(m),
    };
    if (m.kind === 'index') {
      out.shards = shards;
      // Hugging Face writes metadata.total_size = Σ tensor bytes; shown, not required.
      out.total_size = typeof total === 'number' ? { stated: total, actual: dataBytes, matches: total === dataBytes } : null;
    }
    out.issues = issues;
    if (p.opts.has('--stats')) {
      for (const { path: f, src } of m.sources) io.err(`asx: ${f}: read ${src.bytesRead} of ${src.size} bytes (${src.bytesTransferred} transferred) in ${src.reads} reads\n`);
      io.err(`asx: peak memory ${peakMemoryMB()} MB\n`);
    }
    return out;
  } finally {
    await m.close();
  }
}

function statsJson(s: TensorStats): Record<string, unknown> {
  const out: Record<string, unknown> = {
    name: s.name, dtype: s.dtype, shape: s.shape, elements: s.elements, finite: s.finite, nan: s.nan, pos_inf: s.posInf, neg_inf: s.negInf, zeros: s.zeros,
    min: s.min, max: s.max, mean: s.mean, std: s.std,
  };
  if (s.exactMin !== undefined) { out.exact_min = s.exactMin; out.exact_max = s.exactMax; out.unsafe = s.unsafe; }
  out.histogram = s.histogram;
  return out;
}

function chunkOption(p: Parsed): number {
  const c = optNumber(p, '--chunk-bytes') ?? 4 << 20;
  if (!Number.isSafeInteger(c) || c < 1 || c > 1 << 30) throw new AsxError('usage', `--chunk-bytes must be an integer in 1..${1 << 30}, got ${c}`);
  return c;
}

export async function safetensorsCommand(argv: string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv;
  const p = parseArgs(rest, VALUED, FLAGS);
  if (!cmd || cmd === '--help' || cmd === '-h' || p.opts.has('--help') || p.opts.has('-h')) { io.out(SAFETENSORS_HELP); return 0; }
  const need = (n: number, what: string) => { if (p.positional.length !== n) throw new AsxError('usage', `asx safetensors ${cmd} takes ${what}`); };
  const chunkBytes = chunkOption(p);

  switch (cmd) {
    case 'inspect': {
      need(1, 'FILE|INDEX.json');
      return withModel(p.positional[0], p, io, async (m) => { io.out(JSON.stringify(await inspect(m), null, 2) + '\n'); return 0; });
    }
    case 'verify': {
      if (p.positional.length < 1) throw new AsxError('usage', 'asx safetensors verify takes FILE|INDEX.json...');
      const reports = [];
      for (const f of p.positional) reports.push(await verifyOne(f, p, io, chunkBytes));
      io.out(JSON.stringify(reports.length === 1 ? reports[0] : reports, null, 2) + '\n');
      const bad = reports.filter((r) => !r.ok);
      for (const r of bad) {
        const i = (r.issues as Issue[])[0];
        io.err(`asx: ${i.code}: ${i.file ?? r.file}: ${i.message}${i.offset !== undefined ? ` (at byte ${i.offset})` : ''}${i.path ? ` (at ${i.path})` : ''}\n`);
      }
      return bad.length ? 1 : 0;
    }
    case 'stats': {
      need(2, 'FILE|INDEX.json TENSOR');
      const bins = optNumber(p, '--bins') ?? 64;
      if (!Number.isSafeInteger(bins) || bins < 1 || bins > MAX_BINS) throw new AsxError('usage', `--bins must be an integer in 1..${MAX_BINS}, got ${bins}`);
      return withModel(p.positional[0], p, io, async (m) => {
        const name = p.positional[1];
        if (!m.set.names.includes(name)) throw new AsxError('bad_input', `no tensor ${JSON.stringify(name)} in this ${m.kind === 'index' ? 'index' : 'file'}`, { path: `$[${JSON.stringify(name)}]`, file: m.path });
        const { reader, file } = await m.set.open(name);
        const s = await tensorStats(reader, name, { bins, chunkBytes });
        io.out(JSON.stringify({ file: m.kind === 'index' ? join(dirname(m.path), file!) : m.path, ...statsJson(s), bytes_read: bytesRead(m) }, null, 2) + '\n');
        return 0;
      });
    }
    case 'diff': {
      need(2, 'A B');
      return withModel(p.positional[0], p, io, (a) => withModel(p.positional[1], p, io, async (b) => {
        const inB = new Set(b.set.names);
        const inA = new Set(a.set.names);
        const compared = [];
        const differ = [];
        for (const name of a.set.names) {
          if (!inB.has(name)) continue;
          const [x, y] = await Promise.all([a.set.open(name), b.set.open(name)]);
          const sa = x.info.shape, sb = y.info.shape;
          if (sa.length !== sb.length || sa.some((d, i) => d !== sb[i])) {
            differ.push({ name, shape_a: sa, shape_b: sb, dtype_a: x.info.dtype, dtype_b: y.info.dtype });
            continue;
          }
          const d = await diffTensor(x.reader, y.reader, name, chunkBytes);
          compared.push({ name, shape: sa, dtype_a: d.dtypeA, dtype_b: d.dtypeB, cosine: d.cosine, rel_diff: d.relDiff, max_abs: d.maxAbs, differing: d.differing });
        }
        const cos = compared.map((c) => c.cosine).filter((c): c is number => c !== null);
        const rel = compared.map((c) => c.rel_diff).filter((c): c is number => c !== null);
        io.out(JSON.stringify({
          a: a.path, b: b.path,
          counts: { a: a.set.names.length, b: b.set.names.length, compared: compared.length, identical: compared.filter((c) => c.differing === 0).length, shape_differs: differ.length },
          min_cosine: cos.length ? Math.min(...cos) : null, max_rel_diff: rel.length ? Math.max(...rel) : null,
          tensors: compared,
          shape_differs: differ,
          dtype_differs: compared.filter((c) => c.dtype_a !== c.dtype_b).map((c) => ({ name: c.name, dtype_a: c.dtype_a, dtype_b: c.dtype_b })),
          only_a: a.set.names.filter((n) => !inB.has(n)),
          only_b: b.set.names.filter((n) => !inA.has(n)),
        }, null, 2) + '\n');
        return 0;
      }));
    }
    default:
      throw new AsxError('usage', `unknown safetensors command ${JSON.stringify(cmd)} (try asx safetensors --help)`);
  }
}
