import { describe, expect, it } from 'vitest';
import { bootGpu } from './gpuBoot';
import { createWorkbenchStore } from './store';

const store = () => createWorkbenchStore({ loadPack: () => Promise.reject(new Error('unused')) });
const info = { vendor: 'test', architecture: 'fake', device: '', description: '', isFallbackAdapter: true };

function fakeGpu(adapter: unknown): GPU {
  return { requestAdapter: () => Promise.resolve(adapter) } as unknown as GPU;
}

describe('bootGpu (no browser: failure paths end in the store, never thrown)', () => {
  it('reports a missing navigator.gpu', async () => {
    const s = store();
    await bootGpu(s, undefined);
    expect(s.getState().gpu.state).toBe('unavailable');
    expect(s.getState().gpu.message).toContain('navigator.gpu is missing');
  });

  it('reports a missing adapter and a failing adapter request', async () => {
    const s = store();
    await bootGpu(s, fakeGpu(null));
    expect(s.getState().gpu).toMatchObject({ state: 'unavailable' });
    expect(s.getState().gpu.message).toContain('no adapter');

    const t = store();
    await bootGpu(t, { requestAdapter: () => Promise.reject(new Error('blocked')) } as unknown as GPU);
    expect(t.getState().gpu.state).toBe('unavailable');
    expect(t.getState().gpu.message).toContain('blocked');
  });

  it('reports a device request failure', async () => {
    const s = store();
    await bootGpu(s, fakeGpu({ info, requestDevice: () => Promise.reject(new Error('limits')) }));
    expect(s.getState().gpu.state).toBe('failed');
    expect(s.getState().gpu.message).toContain('test fake (fallback)');
    expect(s.getState().gpu.message).toContain('limits');
  });

  it('reports a lost device (and does not overwrite it with the smoke failure)', async () => {
    const s = store();
    const device = {
      lost: Promise.resolve({ reason: 'unknown', message: 'driver reset' }),
      addEventListener: () => {},
      pushErrorScope: () => {
        throw new Error('device is gone');
      },
    };
    await bootGpu(s, fakeGpu({ info, requestDevice: () => Promise.resolve(device) }));
    await new Promise((r) => setTimeout(r, 0));
    expect(s.getState().gpu.state).toBe('lost');
    expect(s.getState().gpu.message).toContain('driver reset');
    expect(s.getState().gpu.adapter).toBe('test fake (fallback)');
  });
});
