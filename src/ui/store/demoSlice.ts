import type { StateCreator } from 'zustand';
import type { AssetFetcher, DemoEntry } from './types';
import type { WorkbenchState } from './index';

export type DemoListState = 'idle' | 'loading' | 'ready' | 'empty' | 'error';

export interface DemoSlice {
  demos: DemoEntry[];
  demoState: DemoListState;
  demoMessage: string;
  /** Fetch `demo/index.json`; with `openFirst`, open its first pack. Never rejects. */
  loadDemos: (openFirst?: boolean) => Promise<void>;
  /** Fetch one bundled pack and open it. Never rejects; resolves to the file id. */
  openDemo: (entry: DemoEntry) => Promise<string>;
}

export interface DemoDeps {
  fetchAsset: AssetFetcher;
}

function isDemoEntry(v: unknown): v is DemoEntry {
  if (typeof v !== 'object' || v === null) return false;
  const o = v as Record<string, unknown>;
  return typeof o.file === 'string' && o.file !== '' && !o.file.includes('..') && !o.file.startsWith('/')
    && (o.title === undefined || typeof o.title === 'string');
}

export function createDemoSlice(deps: DemoDeps): StateCreator<WorkbenchState, [], [], DemoSlice> {
  return (set, get) => ({
    demos: [],
    demoState: 'idle',
    demoMessage: '',

    loadDemos: async (openFirst = false) => {
      set({ demoState: 'loading', demoMessage: 'Loading demo packs…' });
      let list: unknown;
      try {
        const res = await deps.fetchAsset('demo/index.json');
        if (!res.ok) throw new Error(`demo/index.json: HTTP ${res.status}`);
        list = await res.json();
      } catch (e) {
        set({ demos: [], demoState: 'error', demoMessage: `Could not load the demo list (${e instanceof Error ? e.message : String(e)}).` });
        return;
      }
      if (!Array.isArray(list) || !list.every(isDemoEntry)) {
        set({ demos: [], demoState: 'error', demoMessage: 'demo/index.json is not a list of { file, title } entries.' });
        return;
      }
      const demos = list.map((d) => ({ file: d.file, title: d.title ?? d.file }));
      if (demos.length === 0) {
        set({ demos, demoState: 'empty', demoMessage: 'No demo packs are bundled (run `npm run demo`).' });
        return;
      }
      set({ demos, demoState: 'ready', demoMessage: `${demos.length} demo pack${demos.length === 1 ? '' : 's'}` });
      if (openFirst) await get().openDemo(demos[0]);
    },

    openDemo: async (entry) => {
      let blob: Blob;
      try {
        const res = await deps.fetchAsset(`demo/${entry.file}`);
        if (!res.ok) throw new Error(`HTTP ${res.status}`);
        blob = await res.blob();
      } catch (e) {
        // List it as a failed file so the error card names it; other files stay open.
        return get().addFailedFile(entry.file, {
          code: 'io_error',
          message: `Could not fetch the demo pack: ${e instanceof Error ? e.message : String(e)}`,
          file: entry.file,
        }, 'demo');
      }
      return get().openFile(blob, entry.file, 'demo');
    },
  });
}
