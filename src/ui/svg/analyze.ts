/**
 * What the SVG panel shows, computed by the core (the UI re-implements no format logic).
 * Dropped SVG text is only ever parsed by the core's XML parser; it never becomes DOM.
 */
import { downloadBlob } from '../lib/download';
import { AsxError } from '../../core/errors.ts';
import { blobSource, bytesSource, type ByteSource } from '../../core/bytes/source.ts';
import { checkLegality, type LegalityReport } from '../../core/svg/tensor.ts';
import { importSvg, type ImportResult } from '../../core/svg/canonical.ts';
import { mapToBuffers, type GpuBuffers } from '../../core/svg/webgpu.ts';
import { svgToStreams, type StreamsDoc } from '../../core/svg/streams.ts';
import { encodeScxq2, Scxq2Reader } from '../../core/scxq2/envelope.ts';
import { detect } from '../../core/scxq2/hooks.ts';
import { readLaneHeader, ENCODING_NAMES, LANE_HEADER_BYTES, type LaneId } from '../../core/scxq2/lanes.ts';
import { toHex } from '../../core/bytes/hex.ts';

export interface ErrorInfo { code: string; message: string; where?: string }

export function errorInfo(e: unknown): ErrorInfo {
  if (e instanceof AsxError) {
    const w: string[] = [];
    if (e.where.path) w.push(e.where.path);
    if (e.where.offset !== undefined) w.push(`byte ${e.where.offset}`);
    return { code: e.code, message: e.message, where: w.join(', ') || undefined };
  }
  return { code: 'internal', message: (e as Error)?.message ?? String(e) };
}

export interface LaneRow {
  lane: LaneId; offset: number; size: number; chunks: number;
  encoding: string; precision: number; items: number; root: string;
}

export async function laneRows(reader: Scxq2Reader): Promise<LaneRow[]> {
  const rows: LaneRow[] = [];
  for (const t of reader.meta.toc) {
    const h = readLaneHeader(await reader.src.read(t.offset, LANE_HEADER_BYTES));
    rows.push({ lane: t.lane, offset: t.offset, size: t.size, chunks: Math.max(1, Math.ceil(t.size / 4096)), encoding: ENCODING_NAMES[h.encoding], precision: h.precision, items: h.itemCount, root: toHex(t.root) });
  }
  return rows;
}

export interface SvgResult {
  kind: 'svg';
  name: string;
  size: number;
  source: string;
  legality: LegalityReport | null;
  /** Parser errors (hostile or malformed XML) stop everything else. */
  error: ErrorInfo | null;
  imported: ImportResult | null;
  importError: ErrorInfo | null;
  buffers: GpuBuffers | null;
  envelope: Uint8Array | null;
  reader: Scxq2Reader | null;
  lanes: LaneRow[];
  streams: StreamsDoc | null;
}

export interface EnvelopeResult {
  kind: 'scxq2';
  name: string;
  size: number;
  reader: Scxq2Reader | null;
  lanes: LaneRow[];
  error: ErrorInfo | null;
  src: ByteSource;
}

export type Analysis = SvgResult | EnvelopeResult;

/** The synchronous, structured-cloneable part (runs in the worker). */
export type SvgCore = Omit<SvgResult, 'reader' | 'lanes'>;

export function analyzeSvgCore(name: string, source: string, size: number): SvgCore {
  const r: SvgCore = { kind: 'svg', name, size, source, legality: null, error: null, imported: null, importError: null, buffers: null, envelope: null, streams: null };
  try { r.legality = checkLegality(source); } catch (e) { r.error = errorInfo(e); return r; }
  try { r.imported = importSvg(source); } catch (e) { r.importError = errorInfo(e); return r; }
  try {
    r.buffers = mapToBuffers(r.imported.model);
    r.envelope = encodeScxq2(r.imported.model, r.imported.hash);
    r.streams = svgToStreams(r.imported.model);
  } catch (e) { r.importError = errorInfo(e); }
  return r;
}

/** Open the envelope lazily on this thread (a reader is not cloneable). */
export async function finishSvg(core: SvgCore): Promise<SvgResult> {
  const r: SvgResult = { ...core, reader: null, lanes: [] };
  if (r.envelope) {
    try {
      r.reader = await Scxq2Reader.open(bytesSource(r.envelope, `${r.name}.scxq2`));
      r.lanes = await laneRows(r.reader);
    } catch (e) { r.importError = errorInfo(e); }
  }
  return r;
}

export async function analyzeSvgText(name: string, source: string, size: number): Promise<SvgResult> {
  return finishSvg(analyzeSvgCore(name, source, size));
}

// ---- off the main thread: a module worker when the platform has one, else inline ----

let worker: Worker | null | undefined;
let seq = 0;
const pending = new Map<number, { resolve: (c: SvgCore) => void; reject: (e: Error) => void }>();

function getWorker(): Worker | null {
  if (worker !== undefined) return worker;
  if (typeof Worker === 'undefined') return (worker = null);
  try {
    const w = new Worker(new URL('./svg.worker.ts', import.meta.url), { type: 'module', name: 'svg-tensor' });
    w.onmessage = (ev: MessageEvent<{ id: number; core: SvgCore }>) => {
      const p = pending.get(ev.data.id);
      pending.delete(ev.data.id);
      p?.resolve(ev.data.core);
    };
    w.onerror = (ev) => {
      ev.preventDefault();
      worker = null; // fall back to the main thread from now on
      for (const p of pending.values()) p.reject(new Error('worker failed'));
      pending.clear();
    };
    return (worker = w);
  } catch {
    return (worker = null);
  }
}

export async function analyzeSvgOffThread(name: string, source: string, size: number): Promise<SvgResult> {
  const w = getWorker();
  if (!w) return analyzeSvgText(name, source, size);
  const id = ++seq;
  try {
    const core = await new Promise<SvgCore>((resolve, reject) => { pending.set(id, { resolve, reject }); w.postMessage({ id, name, source, size }); });
    return finishSvg(core);
  } catch {
    return analyzeSvgText(name, source, size);
  }
}

/** A dropped or picked file: SCXQ2 envelopes open lazily (header + TOC + lane headers). */
export async function analyzeFile(file: Blob & { name: string }): Promise<Analysis> {
  const head = new Uint8Array(await file.slice(0, 18).arrayBuffer());
  if (detect({ payload_bytes: head }).format === 'scxq2-svg' || file.name.endsWith('.scxq2')) {
    const src = blobSource(file, file.name);
    const r: EnvelopeResult = { kind: 'scxq2', name: file.name, size: file.size, reader: null, lanes: [], error: null, src };
    try {
      r.reader = await Scxq2Reader.open(src);
      r.lanes = await laneRows(r.reader);
    } catch (e) { r.error = errorInfo(e); }
    return r;
  }
  if (file.size > 16 * 1024 * 1024) {
    return { kind: 'svg', name: file.name, size: file.size, source: '', legality: null, error: { code: 'xml_limit', message: `the file has ${file.size} bytes, more than the 16 MiB limit` }, imported: null, importError: null, buffers: null, envelope: null, reader: null, lanes: [], streams: null };
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text: string;
  try { text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch {
    return { kind: 'svg', name: file.name, size: file.size, source: '', legality: null, error: { code: 'xml_syntax', message: 'the file is not UTF-8 text' }, imported: null, importError: null, buffers: null, envelope: null, reader: null, lanes: [], streams: null };
  }
  return analyzeSvgOffThread(file.name, text, bytes.length);
}

/** Line/column and the source line of a character offset (for violation links). */
export function excerpt(source: string, offset: number | undefined): { line: number; col: number; text: string } | null {
  if (offset === undefined || offset < 0 || offset > source.length) return null;
  const start = source.lastIndexOf('\n', offset - 1) + 1;
  let end = source.indexOf('\n', offset);
  if (end < 0) end = source.length;
  let line = 1;
  for (let i = 0; i < start; i++) if (source.charCodeAt(i) === 10) line++;
  const text = source.slice(start, end);
  return { line, col: offset - start + 1, text: text.length > 400 ? text.slice(Math.max(0, offset - start - 100), offset - start + 300) : text };
}

export function download(name: string, data: Uint8Array | string, type: string): void {
  downloadBlob(typeof data === 'string' ? data : new Uint8Array(data), name, type);
}

/** Canonical element indices that came from the source element at `path` (or inside it). */
export function elementsFrom(sources: string[], path: string): number[] {
  const out: number[] = [];
  sources.forEach((s, i) => { if (s === path || s.startsWith(`${path}/`) || s.startsWith(`${path}→`)) out.push(i); });
  return out;
}
