/**
 * The Tensors face's own state: the safetensors models open in it (a list: several at once,
 * a failed one beside the others), the active one, its selected tensor, and the diff pair. It
 * lives outside the component so switching tabs keeps everything open. Blobs and readers stay
 * here, not in the workbench store (which holds plain data only).
 */
import { createStore } from 'zustand/vanilla';
import type { UiError } from '../store';
import { openModel, toUiError, type ModelSpec, type OpenedModel } from './source';

export interface ModelEntry {
  id: string;
  name: string;
  /** Identity: the same file dropped again is focused, not listed twice. */
  key: string;
  spec: ModelSpec;
  status: 'loading' | 'ready' | 'error';
  model?: OpenedModel;
  error?: UiError;
}

export interface TensorsState {
  models: ModelEntry[];
  activeId: string | null;
  /** Selected tensor of each model. */
  selected: Record<string, string | null>;
  filter: string;
  diffA: string | null;
  diffB: string | null;
}

export const tensorsStore = createStore<TensorsState>(() => ({ models: [], activeId: null, selected: {}, filter: '', diffA: null, diffB: null }));

let seq = 0;

function keyOf(spec: ModelSpec): string {
  if (spec.kind === 'http') return `http:${spec.url}:${spec.etag}`;
  const f = spec.kind === 'single' ? spec.file : spec.index;
  const lm = (f as Partial<File>).lastModified ?? '';
  return `${spec.kind}:${spec.name}:${f.size}:${lm}${spec.kind === 'sharded' ? `:${spec.shards.map((s) => `${s.name}/${s.file.size}`).join(',')}` : ''}`;
}

function patch(id: string, p: Partial<ModelEntry>): void {
  tensorsStore.setState((s) => ({ models: s.models.map((m) => (m.id === id ? { ...m, ...p } : m)) }));
}

/** Fill the diff pair with the first two ready models when it is not set. */
function fillDiff(): void {
  const s = tensorsStore.getState();
  const ready = s.models.filter((m) => m.status === 'ready').map((m) => m.id);
  const a = s.diffA && ready.includes(s.diffA) ? s.diffA : ready[0] ?? null;
  const b = s.diffB && ready.includes(s.diffB) && s.diffB !== a ? s.diffB : ready.find((x) => x !== a) ?? null;
  if (a !== s.diffA || b !== s.diffB) tensorsStore.setState({ diffA: a, diffB: b });
}

/** Open a model (or focus it when it is open already); resolves to its id when done. */
export async function addModel(spec: ModelSpec): Promise<string> {
  const key = keyOf(spec);
  const have = tensorsStore.getState().models.find((m) => m.key === key);
  if (have) {
    tensorsStore.setState({ activeId: have.id });
    return have.id;
  }
  const id = `t${++seq}`;
  tensorsStore.setState((s) => ({ models: [...s.models, { id, name: spec.name, key, spec, status: 'loading' }], activeId: id }));
  try {
    const model = await openModel(spec);
    patch(id, { status: 'ready', model });
    // The largest tensor first: the most to see (the reference order puts 8-byte dtypes first).
    const first = model.rows.reduce<typeof model.rows[number] | null>((best, r) => (!best || r.elements > best.elements ? r : best), null)?.name ?? null;
    tensorsStore.setState((s) => ({ selected: { ...s.selected, [id]: s.selected[id] ?? first } }));
    fillDiff();
  } catch (e) {
    patch(id, { status: 'error', error: toUiError(e, spec.name) });
  }
  return id;
}

export function closeModel(id: string): void {
  tensorsStore.setState((s) => {
    const models = s.models.filter((m) => m.id !== id);
    const activeId = s.activeId === id ? models[models.length - 1]?.id ?? null : s.activeId;
    return { models, activeId, diffA: s.diffA === id ? null : s.diffA, diffB: s.diffB === id ? null : s.diffB };
  });
  fillDiff();
}

export function setActive(id: string): void { tensorsStore.setState({ activeId: id }); }
export function selectTensor(id: string, name: string): void { tensorsStore.setState((s) => ({ selected: { ...s.selected, [id]: name } })); }
export function setFilter(filter: string): void { tensorsStore.setState({ filter }); }
export function setDiffPair(diffA: string | null, diffB: string | null): void { tensorsStore.setState({ diffA, diffB }); }
