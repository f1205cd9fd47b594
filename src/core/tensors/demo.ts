/**
 * The bundled demo safetensors pair (public/demo/demo-tensors-{a,b}.safetensors, written by
 * `npm run demo`): a tiny "model" whose tensors cover the common dtypes, and a fine-tuned
 * partner B for the tensor-by-tensor diff — most tensors nudged, one identical, one reshaped,
 * one re-typed, one only in A and one only in B. Deterministic: the same bytes on every machine
 * (values from sin/cos of the index and a seeded xorshift, written by the reference layout).
 */
import { encodeFloats, type TensorSpec } from './safetensors.ts';
import { saveSafetensors } from './write.ts';

export interface DemoTensorFile { file: string; title: string; bytes: Uint8Array }

type T = TensorSpec & { data: Uint8Array };

function rng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13; x >>>= 0; x ^= x >>> 17; x ^= x << 5; x >>>= 0;
    return x / 4294967296;
  };
}

function grid(rows: number, cols: number, f: (r: number, c: number) => number): number[] {
  const out: number[] = [];
  for (let r = 0; r < rows; r++) for (let c = 0; c < cols; c++) out.push(f(r, c));
  return out;
}

function floats(name: string, dtype: 'F32' | 'BF16' | 'F64', shape: number[], values: number[]): T {
  return { name, dtype, shape, data: encodeFloats(values, dtype) };
}

function i64(name: string, shape: number[], values: number[]): T {
  const data = new Uint8Array(values.length * 8);
  const dv = new DataView(data.buffer);
  values.forEach((v, i) => dv.setBigInt64(8 * i, BigInt(v), true));
  return { name, dtype: 'I64', shape, data };
}

/** Round to 1/1024 so every value is exact in F32 and the text of a statistic is stable. */
const q = (v: number) => Math.round(v * 1024) / 1024;

function modelA(): T[] {
  const r = rng(0x5eed);
  const embed = grid(64, 48, (i, j) => q(Math.sin(i / 5) * Math.cos(j / 7) + (r() - 0.5) * 0.2));
  const q0 = grid(32, 32, (i, j) => q((i === j ? 0.8 : 0) + Math.sin((i * 31 + j * 17) / 9) * 0.25));
  const up = grid(48, 32, (i, j) => q(Math.tanh((i - 24) / 12) * Math.sin(j / 3) * 0.5));
  const norm = Array.from({ length: 32 }, (_, i) => q(1 + 0.05 * Math.sin(i)));
  const head = grid(16, 48, (i, j) => q(Math.cos((i + 1) * (j + 1) / 40) * 0.3));
  const bias = Array.from({ length: 48 }, (_, i) => q(i % 5 === 0 ? 0 : 0.01 * (i - 24)));
  return [
    floats('model.embed_tokens.weight', 'F32', [64, 48], embed),
    floats('model.layers.0.self_attn.q_proj.weight', 'BF16', [32, 32], q0),
    floats('model.layers.0.mlp.up_proj.weight', 'F32', [48, 32], up),
    floats('model.layers.0.input_layernorm.weight', 'F32', [32], norm),
    floats('lm_head.weight', 'F32', [16, 48], head),
    floats('model.layers.0.mlp.up_proj.bias', 'F64', [48], bias),
    floats('model.layers.0.old_adapter.weight', 'F32', [8, 8], grid(8, 8, (i, j) => q((i - j) / 8))),
    i64('model.position_ids', [1, 16], Array.from({ length: 16 }, (_, i) => i)),
  ];
}

function modelB(a: T[]): T[] {
  const r = rng(0xb0b);
  const byName = new Map(a.map((t) => [t.name, t]));
  const nudge = (name: string, scale: number): T => {
    const t = byName.get(name)!;
    const dv = new DataView(t.data.buffer, t.data.byteOffset, t.data.byteLength);
    const n = t.data.length / (t.dtype === 'BF16' ? 2 : t.dtype === 'F64' ? 8 : 4);
    const v: number[] = [];
    for (let i = 0; i < n; i++) {
      const x = t.dtype === 'F32' ? dv.getFloat32(4 * i, true) : t.dtype === 'F64' ? dv.getFloat64(8 * i, true) : new Float32Array(new Uint32Array([dv.getUint16(2 * i, true) << 16]).buffer)[0];
      v.push(q(x + (r() - 0.5) * scale));
    }
    return floats(name, t.dtype as 'F32' | 'BF16' | 'F64', t.shape, v);
  };
  return [
    nudge('model.embed_tokens.weight', 0.02),
    nudge('model.layers.0.self_attn.q_proj.weight', 0.1),
    nudge('model.layers.0.mlp.up_proj.weight', 0.05),
    byName.get('model.layers.0.input_layernorm.weight')!, // identical
    // Re-shaped: a larger output head.
    floats('lm_head.weight', 'F32', [20, 48], grid(20, 48, (i, j) => q(Math.cos((i + 1) * (j + 1) / 40) * 0.3))),
    // Re-typed: F64 → F32, same values.
    (() => { const t = byName.get('model.layers.0.mlp.up_proj.bias')!; const dv = new DataView(t.data.buffer, t.data.byteOffset); return floats(t.name, 'F32', t.shape, Array.from({ length: 48 }, (_, i) => dv.getFloat64(8 * i, true))); })(),
    floats('model.layers.0.new_adapter.weight', 'F32', [8, 8], grid(8, 8, (i, j) => q((i + j) / 16))),
    byName.get('model.position_ids')!,
  ];
}

export function demoSafetensors(): DemoTensorFile[] {
  const a = modelA();
  return [
    { file: 'demo-tensors-a.safetensors', title: 'Tensors A — a tiny model (F32, BF16, F64, I64)', bytes: saveSafetensors(a, { format: 'pt', asx_demo: 'a' }) },
    { file: 'demo-tensors-b.safetensors', title: 'Tensors B — A fine-tuned (diff partner)', bytes: saveSafetensors(modelB(a), { format: 'pt', asx_demo: 'b' }) },
  ];
}
