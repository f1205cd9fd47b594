/**
 * `window.__asx`: the surface the e2e tests drive. Same-origin only; it exposes nothing the
 * page itself cannot already do.
 */
import type { GpuAdapterSummary } from '../gpu/smoke';
import type { PackHandle } from './packRegistry';
import type { WorkbenchStore } from './store';

export interface AsxTestHooks {
  store: WorkbenchStore;
  /** Live pack readers (lazy lane decoding, bytes-read counters). */
  packs: { get(handle: string | undefined): PackHandle | undefined; ids(): string[] };
  /** Heatmap draw times in ms, newest last (for the UI benchmark). */
  heatmapFrames?: number[];
  /** Per heatmap frame: visible rows still being decoded. */
  heatmapMissing?: number[];
  /** Run the doubling kernel on the app's device; rejects if WebGPU is not ready. */
  gpuDouble(values: number[]): Promise<number[]>;
  gpuInfo(): Promise<GpuAdapterSummary | null>;
  /** Destroy the device on purpose, to exercise the device-lost path. */
  loseGpu(): Promise<void>;
}

declare global {
  interface Window {
    __asx?: AsxTestHooks;
  }
}
