/** `asx svg …` and `asx scxq2 …` commands over src/core/svg and src/core/scxq2. */
import { AsxError } from '../core/errors.ts';
import { toHex, fromHex } from '../core/bytes/hex.ts';
import type { CountingSource } from '../core/bytes/source.ts';
import { canonicalize, importSvg, type Canonical } from '../core/svg/canonical.ts';
import { checkLegality } from '../core/svg/tensor.ts';
import { mapToBuffers, bufferSummary } from '../core/svg/webgpu.ts';
import { svgToStreams, streamsJson } from '../core/svg/streams.ts';
import { encodeScxq2, Scxq2Reader, verifyEnvelope, verifyScxq2Proof, proofJson } from '../core/scxq2/envelope.ts';
import { ENCODING_NAMES, LANE_ORDER, readLaneHeader, LANE_HEADER_BYTES, type LaneId } from '../core/scxq2/lanes.ts';
import { errorSurface } from '../core/scxq2/hooks.ts';
import { parseArgs, optString, requireOut, type Parsed } from './args.ts';
import { openFileSource, withOpenedFile } from './node-source.ts';
import type { Io } from './main.ts';
import { SVG_HELP, SCXQ2_HELP } from './help.ts';

export { SVG_HELP, SCXQ2_HELP };

const VALUED = ['-o', '--out', '--root', '--envelope'];
const FLAGS = ['-h', '--help', '--import', '--stats'];

function decodeText(bytes: Uint8Array, file: string): string {
  try { return new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch { throw new AsxError('xml_syntax', 'file is not UTF-8 text', { file }); }
}

function withFile<T>(file: string, fn: () => T): T {
  try { return fn(); } catch (e) {
    if (e instanceof AsxError && !e.where.file) {
      const w = new AsxError(e.code, e.message, { ...e.where, file });
      const v = (e as AsxError & { violations?: unknown }).violations;
      if (v) (w as AsxError & { violations?: unknown }).violations = v;
      throw w;
    }
    throw e;
  }
}

async function loadCanonical(io: Io, file: string, p: Parsed): Promise<Canonical> {
  const text = decodeText(await io.readFile(file), file);
  return withFile(file, () => (p.opts.has('--import') ? importSvg(text) : canonicalize(text)));
}

function outPath(p: Parsed, group: string, cmd: string): string {
  return requireOut(p, `asx ${group} ${cmd}`);
}

function withEnvelope<T>(file: string, p: Parsed, io: Io, fn: (r: Scxq2Reader, src: CountingSource) => Promise<T>): Promise<T> {
  return withOpenedFile(file, p.opts.has('--stats'), io.err, (src) => Scxq2Reader.open(src), fn);
}

export async function svgCommand(argv: string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv;
  const p = parseArgs(rest, VALUED, FLAGS);
  if (!cmd || cmd === '--help' || cmd === '-h' || p.opts.has('--help') || p.opts.has('-h')) { io.out(SVG_HELP); return 0; }
  const need = (n: number, what: string) => { if (p.positional.length !== n) throw new AsxError('usage', `asx svg ${cmd} takes ${what}`); };
  switch (cmd) {
    case 'check': {
      need(1, 'FILE');
      const file = p.positional[0];
      const text = decodeText(await io.readFile(file), file);
      const rep = withFile(file, () => checkLegality(text));
      io.out(JSON.stringify({ file, legal: rep.legal, violations: rep.violations }, null, 2) + '\n');
      if (!rep.legal) {
        const v = rep.violations[0];
        io.err(`asx: illegal_tensor: ${file}: ${rep.violations.length} violation${rep.violations.length === 1 ? '' : 's'}; first: ${v.rule} at ${v.path}: ${v.message}\n`);
        return 1;
      }
      return 0;
    }
    case 'import': {
      need(1, 'FILE');
      const file = p.positional[0];
      const out = outPath(p, 'svg', cmd);
      const raw = await io.readFile(file);
      const r = withFile(file, () => importSvg(decodeText(raw, file)));
      await io.writeFile(out, r.bytes);
      io.out(JSON.stringify({ file, out, sha256: r.hashHex, bytes_in: raw.length, bytes_out: r.bytes.length, violations_before: r.violationsBefore.length, changes: r.changes }, null, 2) + '\n');
      return 0;
    }
    case 'canonicalize': {
      need(1, 'FILE');
      io.out((await loadCanonical(io, p.positional[0], p)).text);
      return 0;
    }
    case 'hash': {
      need(1, 'FILE');
      io.out(`${(await loadCanonical(io, p.positional[0], p)).hashHex}  ${p.positional[0]}\n`);
      return 0;
    }
    case 'map': {
      need(1, 'FILE');
      const c = await loadCanonical(io, p.positional[0], p);
      io.out(JSON.stringify({ file: p.positional[0], sha256: c.hashHex, ...bufferSummary(mapToBuffers(c.model)) }, null, 2) + '\n');
      return 0;
    }
    case 'streams': {
      need(1, 'FILE');
      const c = await loadCanonical(io, p.positional[0], p);
      const doc = streamsJson(svgToStreams(c.model)) + '\n';
      const o = optString(p, '-o', '--out');
      if (o) await io.writeFile(o, doc); else io.out(doc);
      return 0;
    }
    default:
      throw new AsxError('usage', `unknown svg command ${JSON.stringify(cmd)} (try asx svg --help)`);
  }
}

function laneArg(s: string): LaneId {
  const l = s.toUpperCase();
  if (!(LANE_ORDER as readonly string[]).includes(l)) throw new AsxError('usage', `LANE must be one of ${LANE_ORDER.join(', ')}, got ${JSON.stringify(s)}`);
  return l as LaneId;
}

export async function scxq2Command(argv: string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv;
  const p = parseArgs(rest, VALUED, FLAGS);
  if (!cmd || cmd === '--help' || cmd === '-h' || p.opts.has('--help') || p.opts.has('-h')) { io.out(SCXQ2_HELP); return 0; }
  const need = (n: number, what: string) => { if (p.positional.length !== n) throw new AsxError('usage', `asx scxq2 ${cmd} takes ${what}`); };
  const rootOpt = () => {
    const r = optString(p, '--root');
    if (r !== undefined && (!fromHex(r) || fromHex(r)!.length !== 32)) throw new AsxError('usage', `--root needs 64 hex digits, got ${JSON.stringify(r)}`);
    return r?.toLowerCase();
  };
  switch (cmd) {
    case 'encode': {
      need(1, 'FILE');
      const out = outPath(p, 'scxq2', cmd);
      const c = await loadCanonical(io, p.positional[0], p);
      const env = withFile(p.positional[0], () => encodeScxq2(c.model, c.hash));
      await io.writeFile(out, env);
      const r = await Scxq2Reader.fromBytes(env);
      io.out(JSON.stringify({ file: p.positional[0], out, canonical_bytes: c.bytes.length, envelope_bytes: env.length, canonical_svg_hash: c.hashHex, global_root: toHex(r.meta.globalRoot) }) + '\n');
      return 0;
    }
    case 'decode': {
      need(1, 'FILE');
      return withEnvelope(p.positional[0], p, io, async (r) => { io.out((await r.inflate()).text); return 0; });
    }
    case 'inspect': {
      need(1, 'FILE');
      return withEnvelope(p.positional[0], p, io, async (r, src) => {
        const lanes = [];
        for (const t of r.meta.toc) {
          const h = readLaneHeader(await src.read(t.offset, LANE_HEADER_BYTES));
          lanes.push({ lane: t.lane, offset: t.offset, size: t.size, chunks: Math.max(1, Math.ceil(t.size / 4096)), encoding: ENCODING_NAMES[h.encoding], precision: h.precision, item_count: h.itemCount, root: toHex(t.root) });
        }
        io.out(JSON.stringify({
          file: p.positional[0], magic: 'SCXQ2S', version: `0x${r.meta.version.toString(16).padStart(4, '0')}`, lane_count: r.meta.laneCount,
          toc_offset: r.meta.tocOffset, total_size: r.meta.totalSize, canonical_svg_hash: toHex(r.meta.canonicalHash), global_root: toHex(r.meta.globalRoot),
          global_root_ok: toHex(r.computedRoot()) === toHex(r.meta.globalRoot), lanes, bytes_read: src.bytesRead,
        }, null, 2) + '\n');
        return 0;
      });
    }
    case 'verify': {
      need(1, 'FILE');
      const file = p.positional[0];
      const fsrc = await openFileSource(file);
      try {
        const rep = await verifyEnvelope(fsrc, { root: rootOpt() });
        const surface = rep.error ? errorSurface(new AsxError(rep.error.code as never, rep.error.message)) : null;
        io.out(JSON.stringify({ file, ...rep, ...(surface ? { object_error: surface } : {}) }, null, 2) + '\n');
        if (!rep.ok) {
          io.err(`asx: ${rep.error?.code ?? 'integrity_violation'}: ${file}: ${rep.error?.message ?? 'verification failed'}${rep.error?.offset !== undefined ? ` (at byte ${rep.error.offset})` : ''}\n`);
          return 1;
        }
        return 0;
      } finally { await fsrc.close(); }
    }
    case 'proof': {
      need(3, 'FILE LANE CHUNK');
      const lane = laneArg(p.positional[1]);
      const idx = Number(p.positional[2]);
      if (!Number.isInteger(idx) || idx < 0) throw new AsxError('usage', `CHUNK must be a chunk index, got ${JSON.stringify(p.positional[2])}`);
      return withEnvelope(p.positional[0], p, io, async (r) => {
        const proof = await r.proof(lane, idx);
        io.out(proofJson(proof) + '\n');
        return 0;
      });
    }
    case 'verify-proof': {
      need(1, 'PROOF.json');
      const file = p.positional[0];
      let proof: unknown;
      try { proof = JSON.parse(decodeText(await io.readFile(file), file)); } catch (e) {
        if (e instanceof AsxError) throw e;
        throw new AsxError('bad_json', `not JSON: ${(e as Error).message}`, { file });
      }
      let chunk: Uint8Array | undefined;
      const envFile = optString(p, '--envelope');
      if (envFile) {
        const pr = proof as { lane?: string; chunk_index?: number };
        if (typeof pr?.lane !== 'string' || !Number.isInteger(pr.chunk_index)) throw new AsxError('bad_proof', 'proof has no lane / chunk_index', { file });
        chunk = await withEnvelope(envFile, p, io, (r) => r.chunk(laneArg(pr.lane!), pr.chunk_index!));
      }
      const res = verifyScxq2Proof(proof, chunk, rootOpt());
      io.out(JSON.stringify(res) + '\n');
      if (!res.ok) { io.err(`asx: ${res.code}: ${file}: ${res.message}\n`); return 1; }
      return 0;
    }
    default:
      throw new AsxError('usage', `unknown scxq2 command ${JSON.stringify(cmd)} (try asx scxq2 --help)`);
  }
}
