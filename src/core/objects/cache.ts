/**
 * Caches (§15.6, §19.8; docs/laws.md O-CACHE): descriptors keyed by id (with the descriptor
 * bytes, so a changed descriptor is a miss), verified payloads keyed by hash, projections
 * keyed by (id, projection name) and stamped with the hash they were made from. When an id's
 * hash changes, its projections and its old payload entry are dropped. Bounded by entry
 * counts (least recently used out first); hits and misses are counted.
 */
import { bytesEqual } from '../bytes/hex.ts';

export interface CacheCounts { hits: number; misses: number; entries: number }
export interface CacheStats { descriptors: CacheCounts; payloads: CacheCounts; projections: CacheCounts; invalidations: number }

export class Lru<K, V> {
  private readonly m = new Map<K, V>();
  hits = 0;
  misses = 0;
  constructor(readonly max: number) {}
  get(k: K): V | undefined {
    const v = this.m.get(k);
    if (v === undefined) { this.misses++; return undefined; }
    this.hits++;
    this.m.delete(k);
    this.m.set(k, v);
    return v;
  }
  peek(k: K): V | undefined { return this.m.get(k); }
  set(k: K, v: V): void {
    this.m.delete(k);
    this.m.set(k, v);
    while (this.m.size > this.max) this.m.delete(this.m.keys().next().value as K);
  }
  delete(k: K): boolean { return this.m.delete(k); }
  keys(): K[] { return [...this.m.keys()]; }
  get size(): number { return this.m.size; }
  counts(): CacheCounts { return { hits: this.hits, misses: this.misses, entries: this.m.size }; }
}

export interface CacheLimits { descriptors: number; payloads: number; projections: number }
export const DEFAULT_CACHE_LIMITS: CacheLimits = { descriptors: 1024, payloads: 64, projections: 1024 };

export class ObjectCache<D, P, R> {
  readonly descriptors: Lru<string, { bytes: Uint8Array; descriptor: D; hash: string }>;
  readonly payloads: Lru<string, P>;
  readonly projections: Lru<string, { hash: string; response: R }>;
  /** The hash each id was last seen with. */
  private readonly hashOf = new Map<string, string>();
  invalidations = 0;

  constructor(limits: CacheLimits = DEFAULT_CACHE_LIMITS) {
    this.descriptors = new Lru(limits.descriptors);
    this.payloads = new Lru(limits.payloads);
    this.projections = new Lru(limits.projections);
  }

  /** A parsed descriptor for exactly these bytes, or undefined (counted as a miss). */
  descriptor(id: string, bytes: Uint8Array): D | undefined {
    const e = this.descriptors.get(id);
    if (e && bytesEqual(e.bytes, bytes)) return e.descriptor;
    if (e) { this.descriptors.hits--; this.descriptors.misses++; }
    return undefined;
  }
  /** The last descriptor seen for `id` without re-reading it (hosts that invalidate on change). */
  trustedDescriptor(id: string): D | undefined {
    return this.descriptors.get(id)?.descriptor;
  }

  putDescriptor(id: string, bytes: Uint8Array, descriptor: D, hash: string): void {
    this.noteHash(id, hash);
    this.descriptors.set(id, { bytes: bytes.slice(), descriptor, hash });
  }

  /** Record the hash an id resolves to; a change invalidates everything derived from the old one. */
  noteHash(id: string, hash: string): void {
    const old = this.hashOf.get(id);
    if (old !== undefined && old !== hash) {
      this.invalidations++;
      for (const k of this.projections.keys()) if (k.startsWith(id + '\n')) this.projections.delete(k);
      if (![...this.hashOf.entries()].some(([i, h]) => i !== id && h === old)) this.payloads.delete(old);
    }
    this.hashOf.set(id, hash);
  }

  projection(id: string, name: string, hash: string): R | undefined {
    const e = this.projections.get(`${id}\n${name}`);
    if (e && e.hash === hash) return e.response;
    if (e) { this.projections.hits--; this.projections.misses++; this.projections.delete(`${id}\n${name}`); }
    return undefined;
  }
  putProjection(id: string, name: string, hash: string, r: R): void {
    this.projections.set(`${id}\n${name}`, { hash, response: r });
  }

  /** Drop everything known about an id (a host saw its descriptor change). */
  invalidate(id: string): void {
    this.invalidations++;
    this.descriptors.delete(id);
    for (const k of this.projections.keys()) if (k.startsWith(id + '\n')) this.projections.delete(k);
    this.hashOf.delete(id);
  }

  stats(): CacheStats {
    return { descriptors: this.descriptors.counts(), payloads: this.payloads.counts(), projections: this.projections.counts(), invalidations: this.invalidations };
  }
}
