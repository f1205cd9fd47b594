/**
 * The Gym's fold library: fold bundles the user opened (dropped, picked, or exported by a run),
 * each verified and summarised in the tools worker, and the compile of a base with the folds
 * chosen here. Its own store, so a new training run does not clear it.
 */
import { createStore } from 'zustand/vanilla';
import type { UiError } from '../store';
import { startGymTool, GymToolError } from './toolsClient';
import type { CompileRequest, CompileResult, FoldSummary } from './tools';

export interface LibraryFold {
  key: string;
  name: string;
  origin: 'file' | 'run';
  bytes: Uint8Array;
  status: 'checking' | 'ok' | 'error';
  summary?: FoldSummary;
  error?: UiError;
  chosen: boolean;
}

export interface LibraryState {
  folds: LibraryFold[];
  compile: { status: 'idle' | 'running' | 'done' | 'error'; stage: string; result?: CompileResult; error?: UiError };
}

export const libraryStore = createStore<LibraryState>(() => ({ folds: [], compile: { status: 'idle', stage: '' } }));

function patch(key: string, p: Partial<LibraryFold>): void {
  libraryStore.setState((s) => ({ folds: s.folds.map((f) => (f.key === key ? { ...f, ...p } : f)) }));
}

function asError(e: unknown): UiError {
  return e instanceof GymToolError ? e.info : { code: 'internal', message: e instanceof Error ? e.message : String(e), file: '' };
}

/** Add a fold bundle (the same bytes again are not listed twice) and verify it in the worker. */
export function addFold(name: string, bytes: Uint8Array, origin: LibraryFold['origin']): void {
  const key = `${name}:${bytes.length}:${Array.from(bytes.subarray(bytes.length - 8), (b) => b.toString(16).padStart(2, '0')).join('')}`;
  if (libraryStore.getState().folds.some((f) => f.key === key)) return;
  libraryStore.setState((s) => ({ folds: [...s.folds, { key, name, origin, bytes, status: 'checking', chosen: origin === 'file' }] }));
  const copy = bytes.slice().buffer;
  startGymTool({ type: 'inspect', name, bytes: copy }).promise.then(
    (summary) => patch(key, { status: 'ok', summary }),
    (e: unknown) => patch(key, { status: 'error', error: { ...asError(e), file: name }, chosen: false }),
  );
}

export function removeFold(key: string): void {
  libraryStore.setState((s) => ({ folds: s.folds.filter((f) => f.key !== key) }));
}

export function chooseFold(key: string, chosen: boolean): void {
  patch(key, { chosen });
}

export function compileChosen(req: Omit<CompileRequest, 'folds'>): void {
  const folds = libraryStore.getState().folds.filter((f) => f.chosen && f.status === 'ok').map((f) => ({ name: f.name, bytes: f.bytes.slice().buffer }));
  libraryStore.setState({ compile: { status: 'running', stage: 'starting' } });
  startGymTool({ type: 'compile', ...req, folds }, (st) => libraryStore.setState((s) => ({ compile: { ...s.compile, stage: st.label } }))).promise.then(
    (result) => libraryStore.setState({ compile: { status: 'done', stage: '', result } }),
    (e: unknown) => libraryStore.setState({ compile: { status: 'error', stage: '', error: asError(e) } }),
  );
}
