/**
 * Vite plugin: `npm start` (and `vite preview`) runs the local Object Server next to the
 * workbench, still one command. The server is the real `asx serve` HTTP host
 * (src/server/http.ts) over the bundled demo store (`demo-objects/`, or ASX_OBJECTS_DIR) on
 * its own 127.0.0.1 port (ASX_OBJECTS_PORT, default 5174, or a free port when that one is
 * taken), so `asx objects compliance http://127.0.0.1:5174/` works against it. The workbench
 * reaches it same-origin: Vite forwards /objects, /descriptors and /events to it byte for
 * byte (status, headers, streamed bodies, Server-Sent Events), rewriting only Host.
 */
import { request } from 'node:http';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Connect, Plugin } from 'vite';
import { createFolderStore } from '../src/server/folderStore.ts';
import { startHttpServer, type RunningServer } from '../src/server/http.ts';

const ROUTES = /^\/(objects|descriptors|events)(\/|\?|$)/;

async function listen(dir: string): Promise<RunningServer> {
  const store = createFolderStore(dir);
  const wanted = Number(process.env.ASX_OBJECTS_PORT ?? 5174);
  try {
    return await startHttpServer({ store, port: wanted });
  } catch {
    return startHttpServer({ store, port: 0 });
  }
}

function forwarder(server: RunningServer): Connect.NextHandleFunction {
  return (req, res, next) => {
    const url = req.url ?? '';
    if (!ROUTES.test(url)) { next(); return; }
    const headers = { ...req.headers, host: `127.0.0.1:${server.port}` };
    const up = request({ host: '127.0.0.1', port: server.port, method: req.method, path: url, headers }, (r) => {
      res.writeHead(r.statusCode ?? 502, r.headers);
      r.pipe(res);
      res.on('close', () => r.destroy());
    });
    up.on('error', () => {
      if (!res.headersSent) {
        res.writeHead(502, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ error: { category: 'request_error', code: 'object_server_unreachable', message: 'the local object server is not reachable', object_id: null, phase: 'request' } }));
      } else res.destroy();
    });
    req.pipe(up);
  };
}

export function objectServerPlugin(): Plugin {
  let running: Promise<RunningServer> | null = null;
  const start = (root: string, log: (m: string) => void) => {
    if (running) return running;
    const dir = resolve(root, process.env.ASX_OBJECTS_DIR ?? 'demo-objects');
    if (!existsSync(dir)) log(`asx: object store ${dir} does not exist (run npm run demo); serving an empty store`);
    running = listen(dir).then((s) => { log(`  ➜  Object server: ${s.url} (${dir})`); return s; });
    return running;
  };
  const stop = async () => { if (running) { const s = await running; running = null; await s.close(); } };
  return {
    name: 'asx-object-server',
    async configureServer(vite) {
      const s = await start(vite.config.root, (m) => vite.config.logger.info(m));
      vite.middlewares.use(forwarder(s));
      vite.httpServer?.once('close', () => { void stop(); });
    },
    async configurePreviewServer(preview) {
      const s = await start(preview.config.root, (m) => preview.config.logger.info(m));
      preview.middlewares.use(forwarder(s));
      preview.httpServer.once('close', () => { void stop(); });
    },
    async closeBundle() { /* build only: no server was started */ },
  };
}
