/**
 * Vite plugin: `npm start` (and `vite preview`) runs the local Object Server next to the
 * workbench, still one command. The server is the real `asx serve` HTTP host
 * (src/server/http.ts) over the bundled demo store (`demo-objects/`, or ASX_OBJECTS_DIR) on
 * its own 127.0.0.1 port (ASX_OBJECTS_PORT, default 5174, or a free port when that one is
 * taken), together with the compliance fixture set held in memory, so
 * `asx objects compliance http://127.0.0.1:5174/` reaches Full against it. The workbench
 * reaches it same-origin: Vite forwards /objects, /descriptors, /events and /stats to it byte for
 * byte (status, headers, streamed bodies, Server-Sent Events), rewriting only Host.
 */
import { request } from 'node:http';
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Connect, Plugin } from 'vite';
import { startHttpServer, type RunningServer } from '../src/server/http.ts';
import { workbenchObjectStore } from '../src/server/demoServer.ts';
import { setHashBackend } from '../src/core/hash/backend.ts';
import { nodeHashBackend } from '../src/cli/node-hash.ts';

const ROUTES = /^\/(objects|descriptors|events|stats)(\/|\?|$)/;

async function listen(dir: string): Promise<RunningServer> {
  setHashBackend(nodeHashBackend()); // payloads hashed by node:crypto (same function, ~7× faster here)
  // The demo folder, plus the §15.14 compliance fixtures in memory (object://compliance/…).
  const { store, close } = await workbenchObjectStore(dir);
  const wanted = Number(process.env.ASX_OBJECTS_PORT ?? 5174);
  let s: RunningServer;
  try {
    s = await startHttpServer({ store, port: wanted });
  } catch {
    s = await startHttpServer({ store, port: 0 });
  }
  return { ...s, close: async () => { await s.close(); await close(); } };
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

/**
 * Vite reloads this config (a fresh copy of this module) when a file it imports changes, e.g.
 * the server sources; the server of the previous copy is found here and closed first, so the
 * new one gets the same port and runs the new code.
 */
const PREVIOUS = Symbol.for('asx.objectServer');
type Holder = { [PREVIOUS]?: Promise<RunningServer> | null };

export function objectServerPlugin(): Plugin {
  let running: Promise<RunningServer> | null = null;
  const start = (root: string, log: (m: string) => void) => {
    if (running) return running;
    const dir = resolve(root, process.env.ASX_OBJECTS_DIR ?? 'demo-objects');
    if (!existsSync(dir)) log(`asx: object store ${dir} does not exist (run npm run demo); serving an empty store`);
    const g = globalThis as Holder;
    const previous = g[PREVIOUS];
    running = (async () => {
      if (previous) await (await previous.catch(() => null))?.close();
      const s = await listen(dir);
      log(`  ➜  Object server: ${s.url} (${dir})`);
      return s;
    })();
    g[PREVIOUS] = running;
    return running;
  };
  const stop = async () => {
    if (!running) return;
    const s = await running;
    const g = globalThis as Holder;
    if (g[PREVIOUS] === running) g[PREVIOUS] = null;
    running = null;
    await s.close();
  };
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
