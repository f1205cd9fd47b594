import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';
import { objectServerPlugin } from './scripts/objectServerPlugin.ts';

// The workbench is served only from localhost; nothing is fetched from other origins.
export default defineConfig({
  plugins: [react(), objectServerPlugin()],
  // Dev servers running side by side (e2e on several ports) each get their own dependency
  // cache: a shared node_modules/.vite re-optimized by one server breaks the other's pages.
  cacheDir: process.env.ASX_VITE_CACHE_DIR ?? 'node_modules/.vite',
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  worker: { format: 'es' },
  // Pre-bundle every dependency the lazy panels and workers use when the dev server starts.
  // Otherwise the first visit to Compile discovers monaco, re-optimizes and reloads the page
  // mid-session ("Failed to fetch dynamically imported module").
  optimizeDeps: {
    entries: ['index.html', 'src/ui/**/*.tsx', 'src/worker/*.worker.ts', 'src/ui/**/*.worker.ts'],
    include: [
      'monaco-editor/editor/editor.api.js',
      'monaco-editor/languages/features/json/register.js',
      '@monaco-editor/react',
      'd3',
      '@noble/ed25519',
      '@noble/hashes/sha2.js',
      'zustand',
      'zustand/vanilla',
      'zustand/react/shallow',
      'react-dom/client',
    ],
  },
  build: {
    target: 'es2022',
    sourcemap: false,
    // Monaco (editor chunk ~3.9 MB) is split out and loaded only by the Compile panel; the
    // initial load stays ~400 KB. Warn only above that lazy chunk's size.
    chunkSizeWarningLimit: 4200,
  },
});
