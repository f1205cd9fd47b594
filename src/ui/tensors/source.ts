/**
 * Opening safetensors for the Tensors face, on the page and in its worker alike (no DOM here):
 * a single file, or a sharded model (model.safetensors.index.json and the shard files dropped
 * with it, matched by file name). Only headers are read; tensors are read by range later.
 */
import { blobSource } from '../../core/bytes/source';
import { AsxError, isAsxError } from '../../core/errors';
import { DTYPE_BYTES, openSafetensors, type Dtype, type SafetensorsReader, type TensorInfo } from '../../core/tensors/safetensors';
import { openSharded, parseSafetensorsIndex } from '../../core/tensors/sharded';
import type { ChunkedTensors } from '../../core/tensors/stats';
import type { UiError } from '../store';
import { httpSource } from '../lib/httpSource';

/** What a job needs to reopen a model: plain data and Blobs (both cross to a worker). */
export type ModelSpec =
  | { kind: 'single'; name: string; file: Blob }
  | { kind: 'sharded'; name: string; index: Blob; shards: Array<{ name: string; file: Blob }> }
  /** A payload on an object server, read by HTTP Range (the Objects tab's "Open payload"). */
  | { kind: 'http'; name: string; url: string; etag: string; size: number };

export interface TensorRow {
  name: string;
  dtype: Dtype;
  shape: number[];
  elements: number;
  bytes: number;
  /** Byte offset of the tensor's first byte in its file. */
  offset: number;
  /** The shard file holding it (sharded models). */
  shard?: string;
}

export interface OpenedModel {
  rows: TensorRow[];
  metadata: Record<string, unknown> | null;
  /** Bytes of header read (all shards). */
  headerBytes: number;
  /** Total bytes of the model's files. */
  size: number;
  shards: number;
  /** A reader for each tensor (stats, diff, heatmap pages). */
  tensors: ChunkedTensors;
}

/** The last path component ("a/b/model-00001.safetensors" → "model-00001.safetensors"). */
export function baseName(path: string): string {
  const i = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  return i < 0 ? path : path.slice(i + 1);
}

function rowsOf(r: SafetensorsReader, shard?: string): TensorRow[] {
  return r.header.tensors.map((t) => row(r, t, shard));
}

function row(r: SafetensorsReader, t: TensorInfo, shard?: string): TensorRow {
  const bytes = t.end - t.begin;
  return { name: t.name, dtype: t.dtype, shape: t.shape, elements: bytes / DTYPE_BYTES[t.dtype], bytes, offset: r.header.dataStart + t.begin, ...(shard ? { shard } : {}) };
}

export async function openModel(spec: ModelSpec): Promise<OpenedModel> {
  if (spec.kind === 'single') {
    const r = await openSafetensors(blobSource(spec.file, spec.name));
    return { rows: rowsOf(r), metadata: r.header.metadata, headerBytes: r.header.dataStart, size: spec.file.size, shards: 1, tensors: r };
  }
  if (spec.kind === 'http') {
    const r = await openSafetensors(httpSource({ url: spec.url, etag: spec.etag, size: spec.size, name: spec.name }));
    return { rows: rowsOf(r), metadata: r.header.metadata, headerBytes: r.header.dataStart, size: spec.size, shards: 1, tensors: r };
  }
  const indexBytes = new Uint8Array(await spec.index.arrayBuffer());
  const index = parseSafetensorsIndex(indexBytes, spec.name);
  const byBase = new Map(spec.shards.map((s) => [baseName(s.name), s]));
  const set = openSharded(index, async (file) => {
    const s = byBase.get(file);
    if (!s) throw new AsxError('bad_input', `shard ${JSON.stringify(file)} named by the index was not dropped with it (drop the folder, or the index and its shards together)`, { file: spec.name, path: '$["weight_map"]' });
    return blobSource(s.file, s.name);
  }, spec.name);
  const readers = await set.openAll();
  const readerOf = new Map<string, SafetensorsReader>();
  index.files.forEach((f, i) => { for (const t of readers[i].header.tensors) readerOf.set(t.name, readers[i]); });
  const rows = index.names.map((n) => row(readerOf.get(n)!, readerOf.get(n)!.info(n), index.weightMap.get(n)));
  const pick = (name: string): SafetensorsReader => {
    const r = readerOf.get(name);
    if (!r) throw new AsxError('bad_input', `no tensor ${JSON.stringify(name)} in this model`, { path: `$[${JSON.stringify(name)}]`, file: spec.name });
    return r;
  };
  const tensors: ChunkedTensors = {
    info: (name) => pick(name).info(name),
    chunks: (name, chunkBytes) => pick(name).chunks(name, chunkBytes),
    view: (name, start, count) => pick(name).view(name, start, count),
  };
  return {
    rows, metadata: index.metadata, headerBytes: indexBytes.length + readers.reduce((s, r) => s + r.header.dataStart, 0),
    size: spec.index.size + index.files.reduce((s, f) => s + (byBase.get(f)?.file.size ?? 0), 0),
    shards: index.files.length, tensors,
  };
}

/** An error as the face shows it: stable code, sentence, where. Never a stack trace. */
export function toUiError(e: unknown, file: string): UiError {
  if (isAsxError(e)) {
    return { code: e.code, message: e.message, file: e.where.file ?? file, ...(e.where.offset !== undefined ? { offset: e.where.offset } : {}), ...(e.where.path !== undefined ? { path: e.where.path } : {}) };
  }
  if (typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' && typeof (e as { message?: unknown }).message === 'string') {
    const o = e as UiError;
    return { code: o.code, message: o.message, file: o.file || file, ...(o.offset !== undefined ? { offset: o.offset } : {}), ...(o.path !== undefined ? { path: o.path } : {}) };
  }
  return { code: 'internal', message: e instanceof Error ? e.message : String(e), file };
}
