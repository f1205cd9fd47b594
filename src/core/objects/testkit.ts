/** Test helpers: a counter object in a MemoryStore (not used by the core). */
import { utf8 } from '../bytes/utf8.ts';
import { MemoryStore, ObjectServer, type ObjectServerOptions } from './server.ts';
import type { Descriptor } from './descriptor.ts';

export const COUNTER_PAYLOAD = utf8('{"counter":3,"label":"demo","items":[1,2,3],"nested":{"a":{"b":"deep"}}}');

export function counterDescriptor(extra: Record<string, unknown> = {}): { id: string; [k: string]: unknown } {
  return {
    $schema: 'object://schema/object.v1',
    id: 'object://example/counter',
    payload: { type: 'json', mime: 'application/json', location: './state.json', encoding: 'utf-8' },
    authority: 'none',
    executable: false,
    identity: { name: 'counter', version: '1.0.0' },
    projections: {
      default: { type: 'json', emit: { counter: '@payload.counter', timestamp: '@meta.projected_at' } },
      http: { type: 'http-response', status: 200, headers: { 'Content-Type': 'application/json', 'Cache-Control': 'immutable' }, body: '@payload' },
      raw: { type: 'binary', source: '@payload', encoding: 'raw' },
    },
    invariants: ['immutable_payload', 'no_execution', 'projection_only'],
    events: { on_load: ['log'], on_project: ['audit'] },
    ...extra,
  };
}

export function counterServer(extra: Record<string, unknown> = {}, opts: Partial<ObjectServerOptions> = {}): { store: MemoryStore; server: ObjectServer; descriptor: Descriptor } {
  const store = new MemoryStore();
  const descriptor = store.put(counterDescriptor(extra), COUNTER_PAYLOAD);
  const server = new ObjectServer({ store, ...opts });
  return { store, server, descriptor };
}

export function text(b: unknown): string {
  return new TextDecoder().decode(b as Uint8Array);
}
