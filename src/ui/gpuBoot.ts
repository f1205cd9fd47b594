/**
 * Start-up WebGPU check: acquire the device, run the doubling kernel, report in the store.
 * Keeps the device for later GPU work and exposes the smoke run to tests via `window.__asx`.
 */
import { acquireGpu, browserGpu, smokeCheck, runDoubling, type GpuContext } from '../gpu/smoke';
import type { WorkbenchStore } from './store';
import type { AsxTestHooks } from './testHooks';

export interface GpuHandle {
  /** The live context once ready, else undefined. */
  context(): GpuContext | undefined;
}

export async function bootGpu(store: WorkbenchStore, gpu: GPU | undefined = browserGpu()): Promise<GpuHandle> {
  let ctx: GpuContext | undefined;
  const handle: GpuHandle = { context: () => ctx };
  const { setGpu } = store.getState();
  setGpu({ state: 'checking', message: 'Checking WebGPU…' });

  const acquired = await acquireGpu(gpu, (message, _reason, adapter) => {
    ctx = undefined;
    setGpu({ state: 'lost', adapter: adapter.label, message: `${message}. Reload the page to get a new device.` });
  });
  if (!acquired.ok) {
    setGpu({ state: acquired.reason === 'no-webgpu' || acquired.reason === 'no-adapter' ? 'unavailable' : 'failed', message: acquired.message });
    return handle;
  }
  // The device may already have been lost between acquisition and here.
  if (store.getState().gpu.state === 'lost') return handle;
  ctx = acquired;
  const adapter = acquired.adapter.label;
  acquired.device.addEventListener('uncapturederror', (ev) => {
    const err = (ev as GPUUncapturedErrorEvent).error;
    setGpu({ state: 'failed', adapter, message: `WebGPU error: ${err.message}` });
  });
  try {
    const report = await smokeCheck(acquired.device);
    if (store.getState().gpu.state === 'lost') return handle;
    setGpu(report.ok
      ? { state: 'ready', adapter, message: `WebGPU ready on ${adapter}: ${report.message}` }
      : { state: 'failed', adapter, message: report.message });
  } catch (e) {
    if (store.getState().gpu.state !== 'lost') {
      setGpu({ state: 'failed', adapter, message: `WebGPU smoke test failed: ${e instanceof Error ? e.message : String(e)}` });
    }
  }
  return handle;
}

/** Test hook surface: run the kernel on given values, or lose the device on purpose. */
export function gpuTestHooks(handle: Promise<GpuHandle>): Omit<AsxTestHooks, 'store' | 'packs'> {
  return {
    async gpuDouble(values: number[]): Promise<number[]> {
      const ctx = (await handle).context();
      if (!ctx) throw new Error('WebGPU is not ready');
      return Array.from(await runDoubling(ctx.device, Uint32Array.from(values)));
    },
    async gpuInfo() {
      const ctx = (await handle).context();
      return ctx ? { ...ctx.adapter } : null;
    },
    async loseGpu(): Promise<void> {
      const ctx = (await handle).context();
      ctx?.device.destroy();
    },
  };
}
