/**
 * The workbench store: one zustand store assembled from typed slices. Build a fresh one
 * with `createWorkbenchStore(deps)` (the app makes one; every test makes its own, so no
 * state leaks between tests). Services the store needs (pack loading, asset fetching)
 * are injected, so the store itself never imports the core or the network.
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import { createDemoSlice, type DemoDeps, type DemoSlice } from './demoSlice';
import { createFilesSlice, plainUiError, type FilesDeps, type FilesSlice } from './filesSlice';
import { createGpuSlice, type GpuSlice } from './gpuSlice';
import { createIntegritySlice, type IntegrityRunner, type IntegritySlice } from './integritySlice';
import { createUiSlice, memoryKeyStorage, type KeyStorage, type UiSlice } from './uiSlice';

export type WorkbenchState = FilesSlice & GpuSlice & DemoSlice & UiSlice & IntegritySlice;
export type WorkbenchStore = StoreApi<WorkbenchState>;

export interface WorkbenchDeps extends Partial<DemoDeps> {
  loadPack: FilesDeps['loadPack'];
  toUiError?: FilesDeps['toUiError'];
  /** Where trusted keys persist (localStorage in the app; memory by default). */
  keyStorage?: KeyStorage;
  /** Runs signature/root/DATA checks (a Web Worker in the app); none = files stay unchecked. */
  verify?: IntegrityRunner;
}

function noAssets(path: string): Promise<Response> {
  return Promise.reject(new Error(`no asset fetcher configured (asked for ${path})`));
}

export function createWorkbenchStore(deps: WorkbenchDeps): WorkbenchStore {
  const files = createFilesSlice({ loadPack: deps.loadPack, toUiError: deps.toUiError ?? plainUiError });
  const ui = createUiSlice(deps.keyStorage ?? memoryKeyStorage());
  const demo = createDemoSlice({ fetchAsset: deps.fetchAsset ?? noAssets });
  const integrity = createIntegritySlice(deps.verify);
  return createStore<WorkbenchState>()((...a) => ({
    ...files(...a),
    ...createGpuSlice(...a),
    ...demo(...a),
    ...ui(...a),
    ...integrity(...a),
  }));
}

/** The file the main panel shows, or undefined. */
export function selectActiveFile(s: WorkbenchState) {
  return s.files.find((f) => f.id === s.activeId);
}

export type { FilesSlice } from './filesSlice';
export type { GpuSlice, GpuStatus, GpuState } from './gpuSlice';
export type { DemoSlice, DemoListState } from './demoSlice';
export type { IntegritySlice, Integrity, IntegrityIssue, HeaderCheck, IntegrityRunner, IntegrityJob, RunnerReport } from './integritySlice';
export { AUTO_VERIFY_BYTES, integrityLabel } from './integritySlice';
export type { UiSlice, Panel, LaneView, LaneSort, TrustedKey, KeyStorage } from './uiSlice';
export { PANELS, isPanel } from './uiSlice';
export * from './types';
