/**
 * WebGPU batch SHA-256 (src/gpu/sha256.ts) against the CPU, in one Node process
 * (`tsx bench/gpu-sha256.ts` alone, or `run()` from bench/run.ts):
 *
 *   1. leaf hashes of a 65,535 × 64 pack (65,535 lane payloads of 131 bytes, 8.6 MB);
 *   2. leaf hashes of a 64 × 65,535 pack (64 lane payloads of 131,073 bytes, 8.4 MB);
 *   3. the merkle root of 65,535 leaves (65,535 pair hashes over 16 levels).
 *
 * Backends: WebGPU through Dawn (`webgpu` package; SwiftShader when the machine has no GPU),
 * the core's pure-JS SHA-256 (batch form when src/core/hash/sha256.ts has one, else one call
 * per message) and node:crypto (OpenSSL, one createHash per message). One untimed warm-up,
 * then ROUNDS interleaved rounds; medians. GPU times include upload, dispatch and read-back.
 * Every backend's bytes are compared with node:crypto's before anything is timed.
 */
import { createHash } from 'node:crypto';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import * as coreSha from '../src/core/hash/sha256.ts';
import { merkleRoot } from '../src/core/pack/merkle.ts';
import { nodeSha256Device } from '../src/gpu/sha256-node.ts';
import { calibrationBytes, chooseLeafHasher, gpuLeafHashes, gpuMerkleRoot } from '../src/gpu/sha256.ts';

const ROUNDS = 3;
const now = (): number => performance.now();
const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const fmt = (x: number, d = 1): string => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const ratio = (x: number): string => (x >= 0.1 ? x.toFixed(2) : x.toPrecision(2));

type BatchFn = (data: Uint8Array, off: number, len: number, stride: number, count: number, out: Uint8Array, outOff: number) => void;
const coreBatch = (coreSha as unknown as { sha256Batch?: BatchFn }).sha256Batch;
const PURE_LABEL = coreBatch ? 'pure JS (core `sha256Batch`)' : 'pure JS (core `sha256` per message)';

function pureLeaves(data: Uint8Array, count: number, length: number): Uint8Array {
  const out = new Uint8Array(count * 32);
  if (coreBatch) coreBatch(data, 0, length, length, count, out, 0);
  else for (let i = 0; i < count; i++) out.set(coreSha.sha256(data.subarray(i * length, (i + 1) * length)), i * 32);
  return out;
}

function nodeLeaves(data: Uint8Array, count: number, length: number): Uint8Array {
  const out = new Uint8Array(count * 32);
  for (let i = 0; i < count; i++) out.set(createHash('sha256').update(data.subarray(i * length, (i + 1) * length)).digest(), i * 32);
  return out;
}

function nodeMerkle(leaves: Uint8Array): Uint8Array {
  let level = leaves, n = leaves.length / 32;
  while (n > 1) {
    const m = (n + 1) >> 1, next = new Uint8Array(m * 32);
    for (let i = 0; i < m; i++) {
      const r = 2 * i + 1 < n ? 2 * i + 1 : 2 * i;
      next.set(createHash('sha256').update(level.subarray(64 * i, 64 * i + 32)).update(level.subarray(32 * r, 32 * r + 32)).digest(), 32 * i);
    }
    level = next; n = m;
  }
  return level.slice(0, 32);
}

function pureMerkle(leaves: Uint8Array): Uint8Array {
  return merkleRoot(Array.from({ length: leaves.length / 32 }, (_, i) => leaves.subarray(i * 32, i * 32 + 32)))!;
}

const same = (a: Uint8Array, b: Uint8Array) => a.length === b.length && a.every((v, i) => v === b[i]);

/** Interleaved rounds of async-or-sync ops; returns median ms per op. */
async function rounds(ops: Record<string, () => unknown>): Promise<Record<string, number>> {
  const t: Record<string, number[]> = Object.fromEntries(Object.keys(ops).map((k) => [k, []]));
  for (const f of Object.values(ops)) await f();
  for (let r = 0; r < ROUNDS; r++) {
    for (const [k, f] of Object.entries(ops)) { const t0 = now(); await f(); t[k].push(now() - t0); }
  }
  return Object.fromEntries(Object.entries(t).map(([k, v]) => [k, median(v)]));
}

export async function run(): Promise<string> {
  const head = ['## WebGPU batch SHA-256 (`bench/gpu-sha256.ts`)', ''];
  let gpu: Awaited<ReturnType<typeof nodeSha256Device>>;
  try {
    gpu = await nodeSha256Device();
  } catch (e) {
    return [...head, `Skipped: ${e instanceof Error ? e.message : String(e)}.`, ''].join('\n');
  }
  const device = gpu.device;
  try {
    const shapes = [
      { name: 'leaf hashes, 65,535 × 64 pack', count: 65_535, length: 3 + 2 * 64 },
      { name: 'leaf hashes, 64 × 65,535 pack', count: 64, length: 3 + 2 * 65_535 },
    ];
    const rows: string[] = [];
    const choices: string[] = [];
    for (const [k, s] of shapes.entries()) {
      const data = calibrationBytes(s.count * s.length, 11 + k);
      const want = nodeLeaves(data, s.count, s.length);
      if (!same(await gpuLeafHashes(device, data, s.count, s.length), want)) throw new Error(`GPU leaf hashes differ from node:crypto (${s.name})`);
      if (!same(pureLeaves(data, s.count, s.length), want)) throw new Error(`pure JS leaf hashes differ from node:crypto (${s.name})`);
      const t = await rounds({
        gpu: () => gpuLeafHashes(device, data, s.count, s.length),
        pure: () => pureLeaves(data, s.count, s.length),
        node: () => nodeLeaves(data, s.count, s.length),
      });
      const mbs = (ms: number) => fmt(data.length / 1e3 / ms, 1);
      rows.push(`| ${s.name} (${fmt(data.length / 1e6, 1)} MB) | ${fmt(t.gpu, 1)} ms (${mbs(t.gpu)} MB/s) | ${fmt(t.pure, 1)} ms (${mbs(t.pure)} MB/s) | ${fmt(t.node, 1)} ms (${mbs(t.node)} MB/s) | ${ratio(t.pure / t.gpu)}× | ${ratio(t.node / t.gpu)}× |`);
      const c = await chooseLeafHasher(device, { count: Math.min(s.count, 4096), length: s.length, cpu: pureLeaves });
      choices.push(`${s.length}-byte messages (calibration ${c.calibration.count} × ${c.calibration.length} B): CPU ${fmt(c.cpuMs, 2)} ms, GPU ${fmt(c.gpuMs, 2)} ms → **${c.backend}** (${c.reason}, GPU ${ratio(c.speedup)}× the CPU's speed)`);
    }
    const leaves = calibrationBytes(65_535 * 32, 77);
    const root = nodeMerkle(leaves);
    if (!same(await gpuMerkleRoot(device, leaves), root) || !same(pureMerkle(leaves), root)) throw new Error('merkle roots differ');
    const t = await rounds({ gpu: () => gpuMerkleRoot(device, leaves), pure: () => pureMerkle(leaves), node: () => nodeMerkle(leaves) });
    rows.push(`| merkle root, 65,535 leaves (16 levels) | ${fmt(t.gpu, 1)} ms | ${fmt(t.pure, 1)} ms | ${fmt(t.node, 1)} ms | ${ratio(t.pure / t.gpu)}× | ${ratio(t.node / t.gpu)}× |`);
    const cpu = cpus()[0]?.model ?? 'unknown CPU';
    return [
      ...head,
      `Adapter: ${gpu.adapter.label} (Dawn, \`webgpu\` package). CPU: ${cpu}, ${availableParallelism()} threads, Node ${process.version}. ` +
        `One warm-up, then ${ROUNDS} interleaved rounds in one process; medians. GPU times are wall clock for upload + dispatch + read-back of the digests (the root only, for the merkle row). ` +
        'All backends produced the bytes of node:crypto before timing. Columns "GPU ÷" are CPU time ÷ GPU time: above 1 the GPU is faster.',
      '',
      `| what | WebGPU | ${PURE_LABEL} | node:crypto (per message) | GPU ÷ pure JS | GPU ÷ node:crypto |`,
      '| --- | ---: | ---: | ---: | ---: | ---: |',
      ...rows,
      '',
      'Selector (law L-GPU-SHA, `chooseLeafHasher`: the GPU only when its calibration batch is byte-identical and strictly faster than the CPU\'s):',
      '',
      ...choices.map((c) => `- ${c}`),
      '',
      gpu.adapter.isFallbackAdapter || /swiftshader/i.test(gpu.adapter.label)
        ? 'This adapter is SwiftShader: the "GPU" is the same CPU running Vulkan in software, so the GPU loses here and the selector keeps the CPU. The ratios say nothing about a real GPU; rerun on a machine with one.'
        : 'Hardware adapter: ratios are this machine\'s.',
      '',
    ].join('\n');
  } finally {
    gpu.destroy();
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(await run());
}
