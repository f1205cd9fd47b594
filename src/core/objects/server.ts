/**
 * The Object Server lifecycle (§15.3): resolve → load → verify → select projection →
 * project → events, as a pure core over an injected store (docs/laws.md O-LIFECYCLE).
 * Hosts (src/server over HTTP, the browser over a dropped folder) supply the store, an
 * optional clock, and listeners; the core touches nothing else.
 */
import type { ByteSource } from '../bytes/source.ts';
import { sha256 } from '../hash/sha256.ts';
import { toHex } from '../bytes/hex.ts';
import { utf8 } from '../bytes/utf8.ts';
import { SCXQ2_HOOKS, type ObjectErrorEvent } from '../scxq2/hooks.ts';
import { ObjectError, loadSignal, type ObjectErrorJson } from './errors.ts';
import { resolveRef } from './identity.ts';
import { DESCRIPTOR_LIMITS, type JsonLimits } from './json.ts';
import { objectTypeOf, parseDescriptor, type Descriptor } from './descriptor.ts';
import { bytesView, detectFormat, foldView, hashPayload, jsonView, packView, parseJsonPayload, safetensorsView, scxq2View, sizeOf, toObjectError, wholeBytes, type FormatInfo, type PayloadInput, type PayloadView } from './payload.ts';
import { verifyObject, type InvariantCheck, type LoadedObject, type Operation, type VerifyResult, type VerifyStep } from './verify.ts';
import { projectObject, selectProjection, type ProjectedResponse } from './project.ts';
import { EventBus, type Listener } from './events.ts';
import { checkAiObject, type AiLegalityResult } from './ai/legality.ts';
import { aiTypeOf } from './ai/schemas.ts';
import { ObjectCache, type CacheLimits, type CacheStats } from './cache.ts';

/** Where descriptors and payloads come from (a folder, HTTP, memory). */
export interface ObjectStore {
  /** Descriptor bytes for a canonical id; null when there is no such object. */
  descriptor(id: string): Promise<Uint8Array | ByteSource | null>;
  /** Payload by hash (`sha256:<hex>`); null when it is unavailable. */
  payload(hash: string, descriptor: Descriptor): Promise<PayloadInput | null>;
  /** Optional: the descriptor of `id` whose hash is `hash` (pinned requests). */
  descriptorAt?(id: string, hash: string): Promise<Uint8Array | ByteSource | null>;
  /** Optional: every id (browsing). */
  list?(): Promise<string[]>;
}

export interface ObjectRequest {
  /** `/objects/<domain>/<name>` or `object://…`, optionally pinned with `@sha256:<hex>`. */
  path: string;
  /** Hash pin (wins over `version`). */
  hash?: string;
  /** `identity.version` pin, ignored when a hash is pinned. */
  version?: string;
  projection?: string;
  accept?: string;
  /** Default `project`; `read` returns the verified payload bytes. */
  operation?: Operation;
  capabilities?: readonly string[];
}

export type ObjectResponse =
  | { ok: true; status: number; id: string; hash: string; projection: string | null; headers: Readonly<Record<string, string>>; body: Uint8Array | ByteSource; value?: unknown; verification: readonly VerifyStep[] }
  | { ok: false; status: number; error: ObjectError; json: ObjectErrorJson; body: Uint8Array };

export interface ObjectServerOptions {
  store: ObjectStore;
  /** Milliseconds since the epoch (for @meta.projected_at of non-deterministic objects and latency). */
  clock?: () => number;
  invariants?: Readonly<Record<string, InvariantCheck>>;
  /** Extra hook names (without the `hook.` prefix) the host provides; the §19 SCXQ2 hooks are always available. */
  hooks?: readonly string[];
  cache?: CacheLimits;
  descriptorLimits?: JsonLimits;
  /** `revalidate` (default): re-read descriptor bytes every request; `trust`: the host calls invalidate() on change. */
  descriptorCache?: 'revalidate' | 'trust';
}

interface PayloadEntry { payload: PayloadInput; format: FormatInfo; view?: PayloadView }

export const CORE_HOOKS: readonly string[] = SCXQ2_HOOKS.map((h) => h.id.replace(/^hook\./, ''));

export class ObjectServer {
  readonly events = new EventBus();
  readonly cache: ObjectCache<Descriptor, PayloadEntry, ProjectedResponse>;
  readonly hooks: ReadonlySet<string>;
  constructor(readonly opts: ObjectServerOptions) {
    this.cache = new ObjectCache(opts.cache);
    this.hooks = new Set([...CORE_HOOKS, ...(opts.hooks ?? [])]);
  }

  on(l: Listener): () => void { return this.events.on(l); }
  stats(): CacheStats & { events: number; handlerErrors: number } {
    return { ...this.cache.stats(), events: this.events.emitted, handlerErrors: this.events.handlerErrors };
  }
  invalidate(id: string): void { this.cache.invalidate(resolveRef(id).id); }

  private async readDescriptorBytes(src: Uint8Array | ByteSource, id: string): Promise<Uint8Array> {
    const limit = (this.opts.descriptorLimits ?? DESCRIPTOR_LIMITS).maxBytes;
    if (src instanceof Uint8Array) return src;
    if (src.size > limit) throw new ObjectError('descriptor_too_large', `the descriptor is ${src.size} bytes, the limit is ${limit}`, 'load', id, '$');
    try { return await src.read(0, src.size); } catch { throw new ObjectError('descriptor_unavailable', 'the descriptor could not be read', 'load', id); }
  }

  /** Steps 1–2 for the descriptor: resolve the request and load + validate the descriptor. */
  async resolve(req: ObjectRequest): Promise<Descriptor> {
    const ref = resolveRef(req.path);
    const id = ref.id;
    const pin = ref.hash ?? req.hash;
    if (pin !== undefined && !/^sha256:[0-9a-f]{64}$/.test(pin)) throw new ObjectError('invalid_id', 'a hash pin is sha256:<64 lowercase hex>', 'resolve', id);
    const store = this.opts.store;
    let d: Descriptor | undefined;
    if (pin === undefined && this.opts.descriptorCache === 'trust') d = this.cache.trustedDescriptor(id);
    if (!d) {
      let src: Uint8Array | ByteSource | null;
      try { src = pin !== undefined && store.descriptorAt ? await store.descriptorAt(id, pin) : await store.descriptor(id); } catch { throw new ObjectError('descriptor_unavailable', 'the store could not be read', 'load', id); }
      if (src === null) throw new ObjectError(pin !== undefined && store.descriptorAt ? 'hash_not_found' : 'not_found', `no object ${id}${pin !== undefined && store.descriptorAt ? ` with hash ${pin}` : ''}`, 'resolve', id);
      const bytes = await this.readDescriptorBytes(src, id);
      d = this.cache.descriptor(id, bytes);
      if (!d) {
        d = parseDescriptor(bytes, id, this.opts.descriptorLimits);
        if (d.id !== id) throw new ObjectError('invalid_descriptor', `the descriptor's id is ${d.id}, not the requested ${id}`, 'load', id, '$.id');
        if (pin === undefined) this.cache.putDescriptor(id, bytes, d, d.hash);
      }
    }
    if (pin === undefined) this.cache.noteHash(id, d.hash);
    if (pin !== undefined && d.hash !== pin) throw new ObjectError('hash_not_found', `${id} has hash ${d.hash}, not the pinned ${pin}`, 'resolve', id);
    if (pin === undefined && req.version !== undefined && d.identity?.version !== req.version) throw new ObjectError('version_not_found', `${id} is version ${d.identity?.version ?? '(none)'}, not ${JSON.stringify(req.version.slice(0, 64))}`, 'resolve', id);
    return d;
  }

  private async loadPayload(d: Descriptor, hookSink: (e: ObjectErrorEvent) => void): Promise<{ entry: PayloadEntry; cached: boolean }> {
    const hit = this.cache.payloads.get(d.hash);
    if (hit) return { entry: hit, cached: true };
    let p: PayloadInput | null;
    try { p = await this.opts.store.payload(d.hash, d); } catch { p = null; }
    if (p === null) throw new ObjectError('payload_unavailable', 'the payload is unavailable', 'load', d.id);
    // In-memory payloads are copied once, so the bytes hashed are the bytes kept (a store that
    // later writes into its array cannot change a verified payload).
    if (p instanceof Uint8Array) p = p.slice();
    const format = await detectFormat(d, p, objectTypeOf(d), hookSink);
    return { entry: { payload: p, format }, cached: false };
  }

  private async viewOf(o: LoadedObject, entry: PayloadEntry): Promise<PayloadView> {
    if (entry.view) return entry.view;
    let v: PayloadView;
    if (o.format.format === 'json') v = jsonView(await parseJsonPayload(o.descriptor, o.payload));
    else if (o.format.pack) v = packView(o.format.pack, o.id);
    else if (o.format.scxq2) v = scxq2View(o.format.scxq2, o.id);
    else if (o.format.safetensors) v = safetensorsView(o.format.safetensors, o.id);
    else if (o.format.fold) v = foldView(o.format.fold, o.payload);
    else v = bytesView(o.payload);
    entry.view = v;
    return v;
  }

  /**
   * A referenced object for the AI legality step (`vocab_ref`, a profile's objects): resolved,
   * loaded and hash-checked, but not itself legality-checked here (it is when requested), so
   * references cannot recurse. Null when any of that fails.
   */
  private async resolveForAi(ref: string): Promise<{ descriptor: Descriptor; payload(): Promise<Uint8Array | null> } | null> {
    let d: Descriptor;
    try { d = await this.resolve({ path: ref }); } catch { return null; }
    return {
      descriptor: d,
      payload: async () => {
        try {
          const { entry, cached } = await this.loadPayload(d, () => {});
          const bytes = await wholeBytes(entry.payload, d.id, 'verify');
          // A payload-cache entry was hash-verified when it was cached.
          return cached || (await hashPayload(bytes)) === d.hash ? bytes : null;
        } catch { return null; }
      },
    };
  }

  /**
   * Legal AI objects, by parsed descriptor (the same object while its bytes do not change),
   * with the hash each reference had when the check passed. A later request re-resolves only
   * those references' descriptors; the check runs again when one of them changed.
   */
  private readonly aiLegal = new WeakMap<Descriptor, Map<string, string>>();
  private async aiCheck(d: Descriptor, payload: PayloadInput): Promise<AiLegalityResult> {
    const memo = this.aiLegal.get(d);
    if (memo) {
      let same = true;
      for (const [id, h] of memo) {
        const o = await this.resolveForAi(id);
        if (!o || o.descriptor.hash !== h) { same = false; break; }
      }
      if (same) return { ok: true, type: aiTypeOf(d), findings: [] };
    }
    const refs = new Map<string, string>();
    const r = await checkAiObject({ descriptor: d, payload, resolve: async (id) => {
      const o = await this.resolveForAi(id);
      if (o) refs.set(id, o.descriptor.hash);
      return o;
    } });
    if (r.ok) this.aiLegal.set(d, refs);
    return r;
  }

  /** Resolve, load and verify for an operation (the authorization path for read/write/execute). */
  async verify(req: ObjectRequest, onProgress?: (done: number, total: number) => void): Promise<VerifyResult & { descriptor?: Descriptor }> {
    const r = await this.run(req, onProgress, false);
    return r.verify ?? { ok: false, error: r.error!, steps: [] };
  }

  /** The whole lifecycle for one request. Never throws: errors are responses. */
  async handle(req: ObjectRequest, onProgress?: (done: number, total: number) => void): Promise<ObjectResponse> {
    const r = await this.run(req, onProgress, true);
    if (r.response) return r.response;
    const e = r.error!;
    const json = e.toJSON();
    return { ok: false, status: e.status, error: e, json, body: utf8(JSON.stringify(json)) };
  }

  private async run(req: ObjectRequest, onProgress: ((d: number, t: number) => void) | undefined, project: boolean): Promise<{ response?: ObjectResponse; error?: ObjectError; verify?: VerifyResult & { descriptor?: Descriptor } }> {
    const t0 = this.opts.clock?.();
    let id: string | null = null;
    let phase: 'resolve' | 'load' | 'verify' | 'project' = 'resolve';
    let lastHook: string | undefined;
    const hookSink = (e: ObjectErrorEvent) => { lastHook = e.hook; };
    const fail = (e: unknown) => {
      const err = e instanceof ObjectError ? (e.objectId === null && id !== null ? e.withContext(id) : e) : toObjectError(e, id, phase);
      const signal = loadSignal(err.code);
      this.events.emit({ type: 'object.error', data: { id: err.objectId, error: { category: err.category, code: err.code, message: err.message }, phase: err.phase, ...(signal ? { signal } : {}), ...(lastHook ? { hook: lastHook } : {}) } });
      return { error: err };
    };
    try {
      const op = req.operation ?? 'project';
      const d = await this.resolve(req);
      id = d.id;
      this.events.emit({ type: 'object.resolved', data: { id, hash: d.hash } });
      phase = 'load';
      const { entry, cached } = await this.loadPayload(d, hookSink);
      const loaded: LoadedObject = { id, descriptor: d, payload: entry.payload, format: entry.format, objectType: objectTypeOf(d) };
      this.events.emit({ type: 'object.loaded', data: { id, hash: d.hash, size: sizeOf(entry.payload) } });
      phase = 'verify';
      const v = await verifyObject(loaded, {
        operation: op, capabilities: req.capabilities, invariants: this.opts.invariants, listening: this.events.size > 0,
        hashVerified: cached, view: (o) => this.viewOf(o, entry), emit: hookSink, onProgress,
        aiCheck: (dd, p) => this.aiCheck(dd, p),
      });
      if (!v.ok) return { ...fail(v.error), verify: { ...v, descriptor: d } };
      if (!cached) this.cache.payloads.set(d.hash, entry);
      this.events.emit({ type: 'object.verified', data: { id, invariants: (d.invariants ?? []).map((i) => (typeof i === 'string' ? i : i.name)) } });
      if (!project) return { verify: { ...v, descriptor: d } };
      phase = 'project';
      if (op === 'read') {
        return { response: { ok: true, status: 200, id, hash: d.hash, projection: null, headers: Object.freeze({ 'Content-Type': d.payload.mime ?? 'application/octet-stream', ETag: `"${d.hash}"` }), body: entry.payload instanceof Uint8Array ? entry.payload.slice() : entry.payload, verification: v.steps } };
      }
      if (op !== 'project') throw new ObjectError('authority_exceeded', `the core projects and reads; ${op} is authorized by verify() and performed by no one here`, 'project', id);
      const name = selectProjection(d, req, this.hooks);
      let res = this.cache.projection(id, name, d.hash);
      if (!res) {
        res = await projectObject(v.object, name, { clock: this.opts.clock, emit: hookSink });
        if (res.cacheable) this.cache.putProjection(id, name, d.hash, res);
      }
      const latency = t0 !== undefined && this.opts.clock ? Math.max(0, this.opts.clock() - t0) : null;
      this.events.emit({ type: 'object.projected', data: { id, projection: name, latency } });
      return { response: { ok: true, status: res.status, id, hash: d.hash, projection: name, headers: Object.freeze({ ...res.headers, ETag: `"${d.hash}"` }), body: res.body instanceof Uint8Array ? res.body.slice() : res.body, value: res.value, verification: v.steps } };
    } catch (e) {
      return fail(e);
    }
  }
}

export function createObjectServer(opts: ObjectServerOptions): ObjectServer {
  return new ObjectServer(opts);
}

/** `sha256:<hex>` of bytes (for building descriptors). */
export function payloadHash(b: Uint8Array): string {
  return `sha256:${toHex(sha256(b))}`;
}

/** An in-memory store: descriptors by id, payloads by hash. */
export class MemoryStore implements ObjectStore {
  readonly descriptors = new Map<string, Uint8Array>();
  readonly payloads = new Map<string, PayloadInput>();
  readonly history = new Map<string, Uint8Array>();
  /** Calls, for tests that check what was read. */
  descriptorReads = 0;
  payloadReads = 0;

  /** Store a payload; returns its hash. */
  putPayload(b: PayloadInput, hash?: string): string {
    const h = hash ?? payloadHash(b as Uint8Array);
    this.payloads.set(h, b);
    return h;
  }
  /** Store a descriptor (an object is serialized as JSON; bytes are stored as given). */
  putDescriptor(id: string, d: object | Uint8Array): void {
    const bytes = d instanceof Uint8Array ? d : utf8(JSON.stringify(d));
    this.descriptors.set(id, bytes);
    const h = d instanceof Uint8Array ? undefined : (d as { hash?: string }).hash;
    if (h) this.history.set(`${id}\n${h}`, bytes);
  }
  /** Payload + descriptor in one go: fills in `hash` (and `payload.size`) from the bytes. */
  put(d: { id: string; [k: string]: unknown }, payload: Uint8Array): Descriptor {
    const hash = this.putPayload(payload);
    const full = { ...d, hash } as Descriptor;
    this.putDescriptor(d.id, full);
    return full;
  }
  async descriptor(id: string) { this.descriptorReads++; return this.descriptors.get(id) ?? null; }
  async descriptorAt(id: string, hash: string) { this.descriptorReads++; return this.history.get(`${id}\n${hash}`) ?? null; }
  async payload(hash: string) { this.payloadReads++; return this.payloads.get(hash) ?? null; }
  async list() { return [...this.descriptors.keys()].sort(); }
}
