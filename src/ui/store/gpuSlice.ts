import type { StateCreator } from 'zustand';
import type { WorkbenchState } from './index';

export type GpuState = 'idle' | 'checking' | 'ready' | 'unavailable' | 'lost' | 'failed';

export interface GpuStatus {
  state: GpuState;
  /** Adapter label, e.g. `google swiftshader (fallback)`. */
  adapter?: string;
  /** Sentence for people: what happened, what to do. */
  message: string;
}

export interface GpuSlice {
  gpu: GpuStatus;
  setGpu: (status: GpuStatus) => void;
}

export const createGpuSlice: StateCreator<WorkbenchState, [], [], GpuSlice> = (set) => ({
  gpu: { state: 'idle', message: 'WebGPU not checked yet' },
  setGpu: (status) => set({ gpu: status }),
});
