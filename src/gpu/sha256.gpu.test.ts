/**
 * WebGPU batch SHA-256 (shaders/sha256.wgsl, src/gpu/sha256.ts) in Node through Dawn
 * (SwiftShader here): NIST vectors, seeded random batches against the CPU and node:crypto,
 * merkle roots against src/core/pack/merkle.ts. Skipped, with the reason printed, when no
 * adapter is available.
 */
import { createHash } from 'node:crypto';
import { afterAll, describe, expect, it } from 'vitest';
import { acquireNodeGpu } from './gccp-node.ts';
import { loadSha256Wgsl } from './sha256-node.ts';
import {
  NoGpuAdapterError, calibrationBytes, chooseLeafHasher, cpuLeafHashes, gpuHashBackend, gpuLeafHashes, gpuMerkleRoot, gpuPackRoot, requestSha256Device,
} from './sha256.ts';
import { merkleRoot } from '../core/pack/merkle.ts';
import { toHex } from '../core/bytes/hex.ts';

loadSha256Wgsl();
const gpu = await acquireNodeGpu();
if (!gpu.ok) console.warn(`[sha256.gpu.test] skipped: ${gpu.message}`);
else console.info(`[sha256.gpu.test] adapter: ${gpu.adapter.label}`);
const device = gpu.ok ? gpu.device : (null as unknown as GPUDevice);
afterAll(() => { if (gpu.ok) gpu.destroy(); });

const enc = (s: string) => new TextEncoder().encode(s);
const nodeSha = (b: Uint8Array) => new Uint8Array(createHash('sha256').update(b).digest());
const nodeBatch = (b: Uint8Array, count: number, length: number) => {
  const out = new Uint8Array(count * 32);
  for (let i = 0; i < count; i++) out.set(nodeSha(b.subarray(i * length, (i + 1) * length)), i * 32);
  return out;
};
const hexes = (d: Uint8Array) => Array.from({ length: d.length / 32 }, (_, i) => toHex(d.subarray(i * 32, i * 32 + 32)));

/** FIPS 180-2 / NIST CSRC example vectors. */
const NIST: Array<[string, Uint8Array, string]> = [
  ['empty', new Uint8Array(0), 'e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'],
  ['abc', enc('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
  ['448-bit', enc('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq'), '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1'],
  ['896-bit', enc('abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmnhijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu'), 'cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1'],
];
const MILLION_A = 'cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0';

describe.skipIf(!gpu.ok)('WebGPU SHA-256 (Node, Dawn)', () => {
  it('NIST vectors, one message per batch and three back to back (unaligned starts)', async () => {
    for (const [name, msg, want] of NIST) {
      expect(hexes(await gpuLeafHashes(device, msg, 1, msg.length)), name).toEqual([want]);
      const three = new Uint8Array(msg.length * 3);
      for (let k = 0; k < 3; k++) three.set(msg, k * msg.length);
      expect(hexes(await gpuLeafHashes(device, three, 3, msg.length)), `${name} ×3`).toEqual([want, want, want]);
    }
  });

  it("one million 'a' (15,626 blocks in one invocation)", async () => {
    const a = new Uint8Array(1_000_000).fill(0x61);
    expect(hexes(await gpuLeafHashes(device, a, 1, a.length))).toEqual([MILLION_A]);
  });

  it('seeded random batches of every padding case match the CPU and node:crypto', async () => {
    const cases: Array<[number, number]> = [
      // Under 1,024 messages leaf_hash runs in workgroups of 4 (LEAF_WG override), from 1,024 on in 64s.
      [3 + 2 * 16, 1000], [3 + 2 * 64, 1031], [35, 1024], [55, 300], [56, 300], [64, 257], [119, 129], [120, 65], [0, 70], [1, 65],
      [2, 64], [3, 63], [4, 33], [63, 40], [65, 40], [127, 40], [128, 40], [3 + 2 * 1000, 17], [131_073, 5],
    ];
    let seed = 1;
    for (const [length, count] of cases) {
      const data = calibrationBytes(count * length, seed++);
      const got = await gpuLeafHashes(device, data, count, length);
      const want = cpuLeafHashes(data, count, length);
      expect(hexes(got), `length ${length} × ${count}`).toEqual(hexes(want));
      expect(hexes(got), `length ${length} × ${count} (node:crypto)`).toEqual(hexes(nodeBatch(data, count, length)));
    }
  });

  it('payloads at an unaligned byte offset, and batches split into chunks', async () => {
    const length = 131, count = 777;
    const backing = calibrationBytes(count * length + 3, 99);
    const view = backing.subarray(3);
    const want = nodeBatch(view, count, length);
    expect(hexes(await gpuLeafHashes(device, view, count, length))).toEqual(hexes(want));
    // 4 KiB chunks: 31 messages each, 26 chunks, the last one ragged.
    expect(hexes(await gpuLeafHashes(device, view, count, length, { chunkBytes: 4096 }))).toEqual(hexes(want));
    // A buffer longer than count × length: only the first count messages are hashed.
    expect(hexes(await gpuLeafHashes(device, backing, 10, length))).toEqual(hexes(nodeBatch(backing, 10, length)));
  });

  it('merkle roots of random leaf sets equal src/core/pack/merkle.ts (odd levels duplicate the last node)', async () => {
    for (const n of [1, 2, 3, 4, 5, 6, 7, 8, 9, 63, 64, 65, 1000, 65_535]) {
      const leaves = calibrationBytes(n * 32, 1000 + n);
      const list = Array.from({ length: n }, (_, i) => leaves.subarray(i * 32, i * 32 + 32));
      const want = merkleRoot(list)!;
      expect(toHex(await gpuMerkleRoot(device, leaves)), `${n} leaves`).toBe(toHex(want));
    }
  });

  it('leaf hashes then root of a small pack shape (lane payloads of 3 + 2·64 bytes)', async () => {
    const count = 300, length = 3 + 2 * 64;
    const data = calibrationBytes(count * length, 5);
    const { leaves, root } = await gpuPackRoot(device, data, count, length);
    const want = nodeBatch(data, count, length);
    expect(hexes(leaves)).toEqual(hexes(want));
    expect(toHex(root)).toBe(toHex(merkleRoot(Array.from({ length: count }, (_, i) => want.subarray(i * 32, i * 32 + 32)))!));
  });

  it('rejects malformed input with bad_input', async () => {
    await expect(gpuLeafHashes(device, new Uint8Array(10), 3, 4)).rejects.toMatchObject({ code: 'bad_input' });
    await expect(gpuMerkleRoot(device, new Uint8Array(33))).rejects.toMatchObject({ code: 'bad_input' });
    await expect(gpuMerkleRoot(device, new Uint8Array(0))).rejects.toMatchObject({ code: 'bad_input' });
  });

  it('chooses by measurement, verifies bytes, and its choice hashes correctly', async () => {
    const real = await chooseLeafHasher(device, { count: 512 });
    console.info(`[sha256.gpu.test] calibration 512 × 131 B: cpu ${real.cpuMs.toFixed(2)} ms, gpu ${real.gpuMs.toFixed(2)} ms → ${real.backend} (${real.reason}, GPU ×${real.speedup.toFixed(3)})`);
    expect(['gpu-faster', 'cpu-faster']).toContain(real.reason);
    expect(real.backend).toBe(real.reason === 'gpu-faster' ? 'gpu' : 'cpu');
    const data = calibrationBytes(50 * 131, 3);
    expect(hexes(await real.hash(data, 50, 131))).toEqual(hexes(nodeBatch(data, 50, 131)));

    // A clock under test control (one round: cpu start, end, gpu start, end):
    // CPU 10 ms, GPU 1 ms → GPU; CPU 1 ms, GPU 10 ms → CPU.
    const clock = (ticks: number[]) => { let i = 0; return () => ticks[i++]; };
    const fast = await chooseLeafHasher(device, { count: 64, rounds: 1, now: clock([0, 10, 20, 21]) });
    expect([fast.backend, fast.reason]).toEqual(['gpu', 'gpu-faster']);
    expect(hexes(await fast.hash(data, 50, 131))).toEqual(hexes(nodeBatch(data, 50, 131)));
    const slow = await chooseLeafHasher(device, { count: 64, rounds: 1, now: clock([0, 1, 20, 30]) });
    expect([slow.backend, slow.reason]).toEqual(['cpu', 'cpu-faster']);
    // A GPU that disagrees with the CPU is never chosen, however fast.
    // Medians over three rounds: CPU 10, 1, 10 ms and GPU 1, 20, 5 ms → CPU 10 > GPU 5 → GPU.
    const med = await chooseLeafHasher(device, { count: 64, now: clock([0, 10, 10, 11, 20, 21, 21, 41, 50, 60, 60, 65]) });
    expect([med.backend, med.cpuMs, med.gpuMs]).toEqual(['gpu', 10, 5]);
    const wrong = await chooseLeafHasher(device, { count: 64, rounds: 1, now: clock([0, 10, 20, 21]), cpu: (b, c, l) => { const d = cpuLeafHashes(b, c, l); d[0] ^= 1; return d; } });
    expect([wrong.backend, wrong.reason]).toEqual(['cpu', 'mismatch']);
  });

  it('as a hash backend (data, off, len, stride, count, out, outOff), strided or not', async () => {
    const b = gpuHashBackend(device);
    const data = calibrationBytes(7 + 40 * 150, 12);
    const out = new Uint8Array(5 + 40 * 32);
    await b.sha256Batch(data, 7, 131, 150, 40, out, 5);
    const want = Array.from({ length: 40 }, (_, i) => toHex(nodeSha(data.subarray(7 + i * 150, 7 + i * 150 + 131))));
    expect(hexes(out.subarray(5))).toEqual(want);
    await b.sha256Batch(data, 7, 150, 150, 40, out, 5);
    expect(hexes(out.subarray(5))).toEqual(hexes(nodeBatch(data.subarray(7), 40, 150)));
  });

  it('a lost device turns into a gpu_error, not a hang', async () => {
    const other = await acquireNodeGpu();
    if (!other.ok) return;
    await gpuLeafHashes(other.device, enc('abc'), 1, 3);
    other.device.destroy();
    await new Promise((r) => setTimeout(r, 50));
    await expect(gpuLeafHashes(other.device, enc('abc'), 1, 3)).rejects.toMatchObject({ code: 'gpu_error' });
    await expect(gpuMerkleRoot(other.device, new Uint8Array(64))).rejects.toMatchObject({ code: 'gpu_error' });
    const choice = await chooseLeafHasher(other.device, { count: 16 });
    expect([choice.backend, choice.reason]).toEqual(['cpu', 'gpu-error']);
  });
});

describe('without an adapter', () => {
  it('no navigator.gpu or no adapter is a NoGpuAdapterError (code no_gpu); the selector falls back to the CPU', async () => {
    await expect(requestSha256Device(undefined)).rejects.toBeInstanceOf(NoGpuAdapterError);
    const none = { requestAdapter: () => Promise.resolve(null) } as unknown as GPU;
    await expect(requestSha256Device(none)).rejects.toMatchObject({ code: 'no_gpu', name: 'NoGpuAdapterError' });
    const choice = await chooseLeafHasher(null);
    expect([choice.backend, choice.reason]).toEqual(['cpu', 'no-device']);
    const data = calibrationBytes(5 * 35, 8);
    expect(hexes(await choice.hash(data, 5, 35))).toEqual(hexes(nodeBatch(data, 5, 35)));
  });

  it('prints why GPU tests are skipped (always runs)', () => {
    expect(gpu.ok || gpu.message.length > 10).toBe(true);
  });
});
