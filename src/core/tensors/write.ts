/**
 * Writing safetensors the way people's tools do (docs/laws.md L-SAFETENSORS).
 *
 * `saveSafetensors` is `encodeSafetensors` with the `{"format":"pt"}` metadata convention as its
 * default: Hugging Face's `save_pretrained` and `safetensors.torch.save_model` write
 * `__metadata__: {"format": "pt"}`, and transformers' loader refuses a file without a `format`
 * (or with one other than pt/tf/flax/mlx). `metadata` undefined → `{"format":"pt"}`; an object →
 * exactly that object (nothing added); null → no `__metadata__` at all (what the bare
 * `safetensors.torch.save_file(t, f)` writes).
 *
 * `writeSafetensorsStream` writes the same bytes through a ByteSink, header first, then each
 * tensor in the reference order at its offset, pulling its bytes (whole, or as an async
 * iterable of chunks) one tensor at a time: the file is never held in memory.
 */
import { AsxError } from '../errors.ts';
import type { ByteSink } from '../pack/write-stream.ts';
import { DTYPE_BYTES, encodeSafetensors, referenceOrder, safetensorsHeaderBytes, type TensorSpec } from './safetensors.ts';

export const PT_METADATA: Readonly<Record<string, string>> = Object.freeze({ format: 'pt' });

function metadataOf(metadata: Record<string, string> | null | undefined): Record<string, string> | undefined {
  return metadata === undefined ? { ...PT_METADATA } : metadata === null ? undefined : metadata;
}

export function saveSafetensors(tensors: ReadonlyArray<TensorSpec & { data: Uint8Array }>, metadata?: Record<string, string> | null): Uint8Array {
  return encodeSafetensors(tensors, metadataOf(metadata));
}

export type TensorBytes = Uint8Array | AsyncIterable<Uint8Array> | Iterable<Uint8Array>;

export interface StreamWriteOptions {
  /** As in saveSafetensors: undefined → {"format":"pt"}, null → none. */
  metadata?: Record<string, string> | null;
  signal?: AbortSignal;
  onProgress?: (done: number, total: number) => void;
}

/**
 * The reference writer's file, streamed: `data(spec)` is asked for each tensor in the order it
 * is written and must give exactly the bytes its dtype and shape need. Returns the file size.
 */
export async function writeSafetensorsStream<T extends TensorSpec>(
  specs: readonly T[],
  data: (spec: T) => Promise<TensorBytes> | TensorBytes,
  sink: ByteSink,
  opts: StreamWriteOptions = {},
): Promise<{ size: number; headerBytes: number; order: string[] }> {
  const ordered = referenceOrder(specs);
  const head = safetensorsHeaderBytes(ordered, metadataOf(opts.metadata));
  await sink.write(0, head.bytes);
  let i = 0;
  for (const t of ordered) {
    if (opts.signal?.aborted) throw new AsxError('cancelled', 'the write was cancelled');
    const begin = head.offsets[i];
    const want = (i + 1 < ordered.length ? head.offsets[i + 1] : head.dataBytes) - begin;
    let got = 0;
    const put = async (b: Uint8Array) => {
      if (got + b.length > want) throw new AsxError('bad_input', `tensor ${JSON.stringify(t.name)} gave more than the ${want} bytes its shape needs`, { path: `$[${JSON.stringify(t.name)}]` });
      if (b.length) await sink.write(head.bytes.length + begin + got, b);
      got += b.length;
    };
    const d = await data(t);
    if (d instanceof Uint8Array) await put(d);
    else if (Symbol.asyncIterator in d) for await (const b of d as AsyncIterable<Uint8Array>) await put(b);
    else for (const b of d as Iterable<Uint8Array>) await put(b);
    if (got !== want) throw new AsxError('bad_input', `tensor ${JSON.stringify(t.name)} has ${got} bytes, its shape needs ${want} (${t.dtype} is ${DTYPE_BYTES[t.dtype]} bytes an element)`, { path: `$[${JSON.stringify(t.name)}]` });
    i++;
    opts.onProgress?.(i, ordered.length);
  }
  return { size: head.bytes.length + head.dataBytes, headerBytes: head.bytes.length, order: ordered.map((t) => t.name) };
}
