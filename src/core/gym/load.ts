/**
 * safetensors ⇄ TensorSet for the gym (docs/laws.md G-RUN "weights"): a model file's floating
 * tensors as f32 (F32 bit for bit; F64, F16 and BF16 rounded to the nearest f32, so training
 * always runs on f32 parameters), and a TensorSet back as F32 safetensors with the reference
 * writer's layout and `{"format":"pt"}` metadata (src/core/tensors/write.ts).
 */
import { bytesSource } from '../bytes/source.ts';
import { AsxError } from '../errors.ts';
import { openSafetensors } from '../tensors/safetensors.ts';
import { saveSafetensors } from '../tensors/write.ts';
import { sortedNames, type TensorSet } from './tensor.ts';

const FLOAT = new Set(['F64', 'F32', 'F16', 'BF16']);

export async function tensorSetOf(bytes: Uint8Array, file?: string): Promise<{ tensors: TensorSet; metadata: Record<string, string> }> {
  const r = await openSafetensors(bytesSource(bytes, file));
  const tensors: TensorSet = new Map();
  for (const t of r.header.tensors) {
    if (!FLOAT.has(t.dtype)) throw new AsxError('bad_input', `tensor ${t.name} is ${t.dtype}; the gym trains floating-point tensors only`, { file, path: t.name });
    let data: Float32Array;
    if (t.dtype === 'F32') {
      const raw = await r.raw(t.name);
      data = new Float32Array(raw.length / 4);
      new Uint8Array(data.buffer).set(raw);
    } else {
      data = Float32Array.from(await r.floats(t.name));
    }
    tensors.set(t.name, { shape: [...t.shape], data });
  }
  return { tensors, metadata: { ...(r.header.metadata ?? {}) } };
}

export function safetensorsOf(tensors: ReadonlyMap<string, { shape: readonly number[]; data: Float32Array }>, metadata?: Record<string, string>): Uint8Array {
  return saveSafetensors(sortedNames(tensors).map((name) => {
    const t = tensors.get(name)!;
    return { name, dtype: 'F32' as const, shape: [...t.shape], data: new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength) };
  }), metadata);
}
