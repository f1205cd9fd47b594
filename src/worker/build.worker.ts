/// <reference lib="webworker" />
/**
 * Compile worker: lane-streams JSON text → weights.v2c-bin bytes with the core pipeline
 * (buildPack), off the main thread. Errors come back as code + message + JSON path.
 */
import { isAsxError } from '../core/errors';
import { buildPack } from '../core/pack/build-pack';
import type { BuildRequest, BuildResponse } from './buildProtocol';

declare const self: DedicatedWorkerGlobalScope;

export function handleBuild(req: BuildRequest): BuildResponse {
  const t0 = performance.now();
  let doc: unknown;
  try {
    doc = JSON.parse(req.text);
  } catch (e) {
    const message = e instanceof Error ? e.message : String(e);
    const m = /position (\d+)/.exec(message);
    return { id: req.id, ok: false, code: 'bad_json', message, offset: m ? Number(m[1]) : undefined };
  }
  try {
    const built = buildPack(doc, { signKey: req.seed });
    return { id: req.id, ok: true, bytes: built.bytes, dims: built.dims, lanes: built.ids.length, ms: performance.now() - t0 };
  } catch (e) {
    if (isAsxError(e)) return { id: req.id, ok: false, code: e.code, message: e.message, path: e.where.path };
    return { id: req.id, ok: false, code: 'internal', message: e instanceof Error ? e.message : String(e) };
  }
}

if (typeof self !== 'undefined' && typeof (self as { importScripts?: unknown }).importScripts === 'function') {
  self.onmessage = (ev: MessageEvent<BuildRequest>) => {
    const res = handleBuild(ev.data);
    if (res.ok) self.postMessage(res, [res.bytes.buffer as ArrayBuffer]);
    else self.postMessage(res);
  };
}
