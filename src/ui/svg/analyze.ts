/**
 * What the SVG panel shows, computed by the core (the UI re-implements no format logic).
 * Dropped SVG text is only ever parsed by the core's XML parser; it never becomes DOM.
 *
 * Everything here runs in the SVG worker (svg.worker.ts through jobs.ts) and returns a view
 * sized for the page: at most MAX_ROWS violations and changes (with their counts), a
 * preview of the canonical text, typed arrays that are transferred (not copied), and the
 * map overlay already drawn into a bitmap. A 60,000-path file used to send its whole
 * parsed model, every change and the full text back to the page, where deserializing,
 * laying out the text and drawing the overlay held the main thread for seconds (issue 8).
 */
import { downloadBlob } from '../lib/download';
import { AsxError } from '../../core/errors.ts';
import { blobSource, bytesSource, type ByteSource } from '../../core/bytes/source.ts';
import { checkLegality, type Change, type Violation } from '../../core/svg/tensor.ts';
import { importSvg } from '../../core/svg/canonical.ts';
import { mapToBuffers, type GpuBuffers } from '../../core/svg/webgpu.ts';
import { svgToStreams, type StreamsDoc } from '../../core/svg/streams.ts';
import { encodeScxq2, Scxq2Reader } from '../../core/scxq2/envelope.ts';
import { detect } from '../../core/scxq2/hooks.ts';
import { readLaneHeader, ENCODING_NAMES, LANE_HEADER_BYTES, type LaneId } from '../../core/scxq2/lanes.ts';
import { toHex } from '../../core/bytes/hex.ts';
import { drawOverlay, overlayGeometry } from './overlay';

/** Reports can be huge for hostile input; the page lists at most this many rows. */
export const MAX_ROWS = 500;
/** Characters of the canonical text shown in the page (the download has all of it). */
export const TEXT_PREVIEW = 8_192;
/** Side of the square render box, CSS pixels. */
export const RENDER_BOX = 320;
/** Largest file bigger than which the file is refused before parsing. */
export const MAX_SVG_BYTES = 16 * 1024 * 1024;

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

export interface Excerpt { line: number; col: number; text: string }
export type ListedViolation = Violation & { excerpt: Excerpt | null };

/** One stream of the L-STREAMS preview (samples as a typed array: transferred, not cloned). */
export interface StreamView { name: string; samples: Float64Array }

export interface ImportedView {
  hashHex: string;
  /** Canonical bytes (transferred): the render <img> and the download. */
  bytes: Uint8Array;
  /** The first TEXT_PREVIEW characters of the canonical text. */
  textPreview: string;
  textLength: number;
  changeCount: number;
  changes: Change[];
  viewBox: number[];
  width: number;
  height: number;
  /** Source element path of each canonical element, joined with "\n" (one string: cheap to send). */
  sources: string;
}

export interface SvgResult {
  kind: 'svg';
  name: string;
  size: number;
  legal: boolean | null;
  violationCount: number;
  /** The first MAX_ROWS violations, each with its source line. */
  violations: ListedViolation[];
  /** Parser errors (hostile or malformed XML) stop everything else. */
  error: ErrorInfo | null;
  imported: ImportedView | null;
  importError: ErrorInfo | null;
  buffers: GpuBuffers | null;
  /** The map's nodes and edges drawn off the main thread (null: draw them on the page). */
  overlay: ImageBitmap | null;
  envelope: Uint8Array | null;
  lanes: LaneRow[];
  globalRoot: string;
  streams: StreamView[] | null;
  /** Milliseconds per stage in the worker. */
  timings: Record<string, number>;
}

export interface EnvelopeResult {
  kind: 'scxq2';
  name: string;
  size: number;
  lanes: LaneRow[];
  canonicalHash: string;
  globalRoot: string;
  error: ErrorInfo | null;
}

export type Analysis = SvgResult | EnvelopeResult;

/** Stages of an analysis with their share of a typical run (for the progress bar). */
export const STAGES = {
  read: { label: 'reading the file', weight: 2 },
  import: { label: 'legality check, import and canonical form', weight: 55 },
  map: { label: 'WebGPU buffers', weight: 9 },
  envelope: { label: 'SCXQ2 envelope', weight: 15 },
  streams: { label: 'lane streams', weight: 8 },
  lanes: { label: 'lane table', weight: 2 },
  overlay: { label: 'drawing nodes and edges', weight: 7 },
  inflate: { label: 'inflating the envelope', weight: 30 },
  verify: { label: 'verifying every lane', weight: 100 },
} as const;
export type Stage = keyof typeof STAGES;

/** Fraction done when `stage` starts, over the stages of this kind of job. */
export function progressAt(stages: readonly Stage[], stage: Stage): number {
  const total = stages.reduce((a, s) => a + STAGES[s].weight, 0);
  let before = 0;
  for (const s of stages) { if (s === stage) break; before += STAGES[s].weight; }
  return total ? before / total : 0;
}

export const SVG_STAGES: readonly Stage[] = ['read', 'import', 'map', 'envelope', 'streams', 'lanes', 'overlay'];
export const INFLATE_STAGES: readonly Stage[] = ['inflate', 'import', 'map', 'envelope', 'streams', 'lanes', 'overlay'];

export type OnStage = (stage: Stage) => void;

/** Offsets where each line starts (for many excerpts of one source). */
export function lineStarts(source: string): Uint32Array {
  let n = 1;
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) n++;
  const out = new Uint32Array(n);
  let k = 1;
  for (let i = source.indexOf('\n'); i >= 0; i = source.indexOf('\n', i + 1)) out[k++] = i + 1;
  return out;
}

/** Line/column and the source line of a character offset (for violation links). */
export function excerpt(source: string, offset: number | undefined, starts: Uint32Array = lineStarts(source)): Excerpt | null {
  if (offset === undefined || offset < 0 || offset > source.length) return null;
  let lo = 0, hi = starts.length - 1;
  while (lo < hi) { const mid = (lo + hi + 1) >> 1; if (starts[mid] <= offset) lo = mid; else hi = mid - 1; }
  const start = starts[lo];
  let end = source.indexOf('\n', offset);
  if (end < 0) end = source.length;
  const text = source.slice(start, end);
  return { line: lo + 1, col: offset - start + 1, text: text.length > 400 ? text.slice(Math.max(0, offset - start - 100), offset - start + 300) : text };
}

function sizeLimit(name: string, size: number): SvgResult {
  return emptySvg(name, size, { code: 'xml_limit', message: `the file has ${size.toLocaleString('en-US')} bytes, more than the 16 MiB limit` });
}

function emptySvg(name: string, size: number, error: ErrorInfo | null): SvgResult {
  return { kind: 'svg', name, size, legal: null, violationCount: 0, violations: [], error, imported: null, importError: null, buffers: null, overlay: null, envelope: null, lanes: [], globalRoot: '', streams: null, timings: {} };
}

export interface AnalyzeOptions {
  /** Device pixel ratio of the page (the overlay bitmap is drawn at this scale). */
  dpr?: number;
  onStage?: OnStage;
}

/**
 * Legality, import, map, envelope, streams, lane table and overlay of one SVG text.
 * The strict legality report is the import's own first pass (importSvg keeps it as
 * `violationsBefore`), so the text is parsed twice, not three times; the separate check
 * runs only when the import fails.
 */
export async function analyzeSvgText(name: string, source: string, size: number, opts: AnalyzeOptions = {}): Promise<SvgResult> {
  const stage = opts.onStage ?? (() => {});
  const timings: Record<string, number> = {};
  let t = performance.now();
  const lap = (s: string) => { const now = performance.now(); timings[s] = (timings[s] ?? 0) + now - t; t = now; };
  const r = emptySvg(name, size, null);
  r.timings = timings;
  stage('import');
  let violations: Violation[];
  let imp: ReturnType<typeof importSvg> | null = null;
  try {
    imp = importSvg(source);
    violations = imp.violationsBefore;
  } catch (e) {
    r.importError = errorInfo(e);
    try { violations = checkLegality(source).violations; } catch (e2) { r.error = errorInfo(e2); r.importError = null; lap('import'); return r; }
  }
  r.legal = violations.length === 0;
  r.violationCount = violations.length;
  const starts = violations.length ? lineStarts(source) : new Uint32Array(1);
  r.violations = violations.slice(0, MAX_ROWS).map((v) => ({ ...v, excerpt: excerpt(source, v.offset, starts) }));
  lap('import');
  if (!imp) return r;
  const model = imp.model;
  r.imported = {
    hashHex: imp.hashHex, bytes: imp.bytes, textPreview: imp.text.slice(0, TEXT_PREVIEW), textLength: imp.text.length,
    changeCount: imp.changes.length, changes: imp.changes.slice(0, MAX_ROWS),
    viewBox: model.viewBox!, width: model.width!, height: model.height!, sources: imp.sources.join('\n'),
  };
  try {
    stage('map');
    r.buffers = mapToBuffers(model);
    lap('map');
    stage('envelope');
    r.envelope = encodeScxq2(model, imp.hash);
    lap('envelope');
    stage('streams');
    r.streams = streamsView(svgToStreams(model));
    lap('streams');
  } catch (e) { r.importError = errorInfo(e); }
  if (r.envelope) {
    stage('lanes');
    try {
      const reader = await Scxq2Reader.open(bytesSource(r.envelope, `${name}.scxq2`));
      r.lanes = await laneRows(reader);
      r.globalRoot = toHex(reader.meta.globalRoot);
    } catch (e) { r.importError = errorInfo(e); }
    lap('lanes');
  }
  if (r.buffers) {
    stage('overlay');
    r.overlay = overlayBitmap(r.buffers, r.imported, opts.dpr ?? 1);
    lap('overlay');
  }
  return r;
}

function streamsView(doc: StreamsDoc): StreamView[] {
  return Object.keys(doc.streams).map((k) => ({ name: k, samples: Float64Array.from(doc.streams[k]) }));
}

export function streamsDoc(views: readonly StreamView[]): StreamsDoc {
  const streams: Record<string, number[]> = {};
  for (const v of views) streams[v.name] = Array.from(v.samples);
  return { streams };
}

/** The overlay drawn into a bitmap where the platform has OffscreenCanvas (workers do). */
function overlayBitmap(b: GpuBuffers, imp: ImportedView, dpr: number): ImageBitmap | null {
  if (typeof OffscreenCanvas === 'undefined') return null;
  const px = Math.round(RENDER_BOX * dpr);
  const c = new OffscreenCanvas(px, px);
  const ctx = c.getContext('2d');
  if (!ctx) return null;
  ctx.setTransform(dpr, 0, 0, dpr, 0, 0);
  drawOverlay(ctx, b, overlayGeometry(imp.viewBox, imp.width, imp.height, RENDER_BOX));
  return c.transferToImageBitmap();
}

/** Read a dropped or picked file (in the worker): SCXQ2 envelopes open lazily (header, TOC, lane headers). */
export async function analyzeBlob(file: Blob, name: string, opts: AnalyzeOptions = {}): Promise<Analysis> {
  opts.onStage?.('read');
  const head = new Uint8Array(await file.slice(0, 18).arrayBuffer());
  if (detect({ payload_bytes: head }).format === 'scxq2-svg' || name.endsWith('.scxq2')) return openEnvelope(file, name);
  if (file.size > MAX_SVG_BYTES) return sizeLimit(name, file.size);
  const bytes = new Uint8Array(await file.arrayBuffer());
  let text: string;
  try { text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch {
    return emptySvg(name, file.size, { code: 'xml_syntax', message: 'the file is not UTF-8 text' });
  }
  return analyzeSvgText(name, text, bytes.length, opts);
}

export async function openEnvelope(file: Blob, name: string): Promise<EnvelopeResult> {
  const r: EnvelopeResult = { kind: 'scxq2', name, size: file.size, lanes: [], canonicalHash: '', globalRoot: '', error: null };
  try {
    const reader = await Scxq2Reader.open(sourceOf(file, name));
    r.lanes = await laneRows(reader);
    r.canonicalHash = toHex(reader.meta.canonicalHash);
    r.globalRoot = toHex(reader.meta.globalRoot);
  } catch (e) { r.error = errorInfo(e); }
  return r;
}

/** A byte source over a Blob or bytes (the worker reads envelopes through it). */
export function sourceOf(data: Blob | Uint8Array, name?: string): ByteSource {
  return data instanceof Uint8Array ? bytesSource(data, name) : blobSource(data, name);
}

export function download(name: string, data: Uint8Array | string | Blob, type: string): void {
  downloadBlob(typeof data === 'string' || data instanceof Blob ? data : new Uint8Array(data), name, type);
}

/** Canonical element indices that came from the source element at `path` (or inside it). */
export function elementsFrom(sources: readonly string[], path: string): number[] {
  const out: number[] = [];
  sources.forEach((s, i) => { if (s === path || s.startsWith(`${path}/`) || s.startsWith(`${path}→`)) out.push(i); });
  return out;
}
