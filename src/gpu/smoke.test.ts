import { describe, expect, it } from 'vitest';
import { acquireGpu, doubleU32, smokeInput, summarizeAdapter } from './smoke';

describe('smoke kernel CPU mirror', () => {
  it('doubles u32 values with wrap-around modulo 2^32', () => {
    expect(Array.from(doubleU32([0, 1, 0x7fffffff, 0x80000000, 0xffffffff]))).toEqual([0, 2, 0xfffffffe, 0, 0xfffffffe]);
  });

  it('uses an odd-sized input with wrapping values', () => {
    const input = smokeInput();
    expect(input.length % 64).not.toBe(0);
    expect(Array.from(input)).toContain(0xffffffff);
    expect(Array.from(smokeInput())).toEqual(Array.from(input)); // deterministic
  });
});

describe('adapter summary', () => {
  it('labels adapters from whatever info is present', () => {
    expect(summarizeAdapter({ vendor: 'google', architecture: 'swiftshader', device: '', description: '', isFallbackAdapter: true }).label)
      .toBe('google swiftshader (fallback)');
    expect(summarizeAdapter({ vendor: '', architecture: '', device: '', description: 'Some GPU' }).label).toBe('Some GPU');
    expect(summarizeAdapter(undefined).label).toBe('unknown adapter');
  });

  it('acquireGpu without WebGPU resolves to a failure, never throws', async () => {
    await expect(acquireGpu(undefined)).resolves.toMatchObject({ ok: false, reason: 'no-webgpu' });
  });
});
