import { StrictMode } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './App';
import { bootGpu, gpuTestHooks } from './gpuBoot';
import { loadPack, toUiError } from './packLoader';
import { createWorkbenchStore } from './store';
import { WorkbenchProvider } from './StoreContext';
import type {} from './testHooks';
import './styles.css';

const store = createWorkbenchStore({
  loadPack,
  toUiError,
  fetchAsset: (path) => fetch(new URL(path, new URL(import.meta.env.BASE_URL, window.location.href))),
});

const gpu = bootGpu(store);
void store.getState().loadDemos(true);

// Test hook: the e2e suite drives the store and the GPU through this (same origin only).
window.__asx = { store, ...gpuTestHooks(gpu) };

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
