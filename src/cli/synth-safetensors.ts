/**
 * A large safetensors file for tests and benchmarks, written lane by lane (never whole): one
 * BF16 tensor of shape [dims] per lane, named `ctx@t<i>` (i zero-padded to 5 digits, so name
 * order is lane order), values ±[0.5, 1) from a seeded xorshift (sign and 7 mantissa bits
 * random, exponent fixed), so every value is finite and the file is the same on every machine.
 */
import { safetensorsHeaderBytes } from '../core/tensors/safetensors.ts';
import { openFileSink } from './node-source.ts';

export async function writeSyntheticLanes(path: string, lanes: number, dims: number, madeBy: string): Promise<void> {
  const specs = Array.from({ length: lanes }, (_, i) => ({ name: `ctx@t${String(i).padStart(5, '0')}`, dtype: 'BF16' as const, shape: [dims] }));
  const { bytes: head, offsets } = safetensorsHeaderBytes(specs, { made_by: madeBy });
  const sink = await openFileSink(path);
  try {
    await sink.write(0, head);
    let x = 0x9e3779b9;
    const lane = new Uint8Array(2 * dims);
    for (let i = 0; i < lanes; i++) {
      for (let k = 0; k < dims; k++) {
        x ^= x << 13; x ^= x >>> 17; x ^= x << 5;
        const bits = (x & 0x807f) | 0x3f00;
        lane[2 * k] = bits & 0xff;
        lane[2 * k + 1] = bits >>> 8;
      }
      await sink.write(head.length + offsets[i], lane);
    }
    await sink.commit();
  } catch (e) {
    await sink.abort();
    throw e;
  }
}
