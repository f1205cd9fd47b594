import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { parseHash } from './lib/hash';
import { heatmapFrameMissing, heatmapFrameTimes } from './components/Heatmap';
import { bootGpu, gpuTestHooks } from './gpuBoot';
import { buildManifest, loadPack, toUiError } from './packLoader';
import { getHandle, laneErrors, liveHandleIds, releaseHandle, subscribe } from './packRegistry';
import { createWorkbenchStore, type KeyStorage, type TrustedKey } from './store';
import { workerVerifier } from './verifyRunner';
import { WorkbenchProvider } from './StoreContext';
import type {} from './testHooks';
import './styles.css';

const KEYS = 'asx.trustedKeys.v1';
const keyStorage: KeyStorage = {
  load() {
    try {
      const v: unknown = JSON.parse(localStorage.getItem(KEYS) ?? '[]');
      return Array.isArray(v) ? v.filter((k): k is TrustedKey => typeof k?.key === 'string' && typeof k?.label === 'string') : [];
    } catch {
      return [];
    }
  },
  save(keys) {
    try {
      localStorage.setItem(KEYS, JSON.stringify(keys));
    } catch {
      // storage full or disabled: keys stay for this session
    }
  },
};

const store = createWorkbenchStore({
  keyStorage,
  loadPack,
  toUiError,
  verify: workerVerifier,
  fetchAsset: (path) => fetch(new URL(path, new URL(import.meta.env.BASE_URL, window.location.href))),
});

// Release the live reader of a closed file; mirror live "bytes read" into the store; build
// each manifest once its inspector has been painted.
const watched = new Map<string, () => void>();
const manifestQueued = new Set<string>();
store.subscribe((s) => {
  const live = new Set<string>();
  for (const f of s.files) {
    const h = f.pack?.handle;
    if (!h) continue;
    live.add(h);
    if (f.pack!.manifestJson === undefined && !manifestQueued.has(h)) {
      manifestQueued.add(h);
      const fileId = f.id;
      requestAnimationFrame(() => setTimeout(() => {
        const m = buildManifest(h);
        if (m) store.getState().setManifest(fileId, m.json, m.schema);
      }, 0));
    }
    if (!watched.has(h)) {
      const fileId = f.id;
      let reported = 0;
      watched.set(h, subscribe(h, () => {
        const handle = window.__asx?.packs.get(h);
        if (handle) store.getState().setBytesRead(fileId, handle.counter.bytesRead);
        // A lane that fails its leaf hash while browsing fails the whole pack's state.
        const errs = laneErrors(h);
        if (errs.length > reported) {
          for (const [index, e] of errs.slice(reported)) {
            if (e.code === 'leaf_mismatch') store.getState().reportLaneIssue(fileId, { code: e.code, message: e.message, offset: e.offset, lane: handle?.reader.ids[index] });
          }
          reported = errs.length;
        }
      }));
    }
  }
  for (const h of liveHandleIds()) {
    if (!live.has(h) && !s.files.some((f) => f.status === 'loading')) {
      watched.get(h)?.();
      watched.delete(h);
      releaseHandle(h);
    }
  }
});

// Apply the URL hash before the first render: the hash-writing effect must never see the
// default panel first (under StrictMode it rewrote `#panel=lanes` to Inspect before it was read).
{
  const h = parseHash(window.location.hash);
  if (h.panel) store.getState().setPanel(h.panel);
  if (h.lane) store.getState().setPendingLaneId(h.lane);
}

const gpu = bootGpu(store);
// Open the first demo at start, unless the URL names another one to reopen.
void store.getState().loadDemos(!parseHash(window.location.hash).demo);

// Test hook: the e2e suite drives the store and the GPU through this (same origin only).
window.__asx = { store, ...gpuTestHooks(gpu), packs: { get: getHandle, ids: liveHandleIds }, heatmapFrames: heatmapFrameTimes, heatmapMissing: heatmapFrameMissing };

const root = document.getElementById('root');
if (root) {
  createRoot(root).render(
    <StrictMode>
      <WorkbenchProvider store={store}>
        <App />
      </WorkbenchProvider>
    </StrictMode>,
  );
}
