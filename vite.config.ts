import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

// The workbench is served only from localhost; nothing is fetched from other origins.
export default defineConfig({
  plugins: [react()],
  server: { host: '127.0.0.1', port: 5173, strictPort: true },
  preview: { host: '127.0.0.1', port: 4173, strictPort: true },
  worker: { format: 'es' },
  build: {
    target: 'es2022',
    sourcemap: false,
    // Monaco (editor chunk ~3.9 MB) is split out and loaded only by the Compile panel; the
    // initial load stays ~400 KB. Warn only above that lazy chunk's size.
    chunkSizeWarningLimit: 4200,
  },
});
