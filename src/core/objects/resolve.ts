/**
 * Resolving references against a verified payload (§15.8; docs/laws.md O-REF, O-META).
 * `@meta` keys come from the descriptor and the request only; `@meta.projected_at` is `null`
 * for objects that declare `deterministic` and when no clock was injected, else the injected
 * clock's reading as ISO 8601 UTC. The core never reads a clock itself.
 */
import { ObjectError } from './errors.ts';
import type { Json } from './json.ts';
import { pathSegment } from './json.ts';
import { LazyMap, type HookSink, type PayloadView } from './payload.ts';
import { parseRefText, walkValue, type MetaKey, type Ref } from './reference.ts';
import type { Descriptor } from './descriptor.ts';

export interface RefContext {
  view: PayloadView;
  meta: Readonly<Record<MetaKey, Json>>;
  objectId: string;
  /** Hears §19 hook failures of this request. */
  emit?: HookSink;
}

export function declaresInvariant(d: Descriptor, name: string): boolean {
  return (d.invariants ?? []).some((i) => (typeof i === 'string' ? i : i.name) === name);
}

/** The `@meta` record for one projection of one object (O-META). */
export function metaFor(d: Descriptor, size: number, projection: string | null, clock?: () => number): Readonly<Record<MetaKey, Json>> {
  let at: string | null = null;
  if (clock && !declaresInvariant(d, 'deterministic')) {
    const t = clock();
    at = Number.isFinite(t) ? new Date(t).toISOString() : null;
  }
  return Object.freeze({
    id: d.id, hash: d.hash, size, mime: d.payload.mime ?? null, type: d.payload.type,
    name: d.identity?.name ?? null, version: d.identity?.version ?? null, projection, projected_at: at,
  });
}

/** Does any reference in this value read `@meta.projected_at`? (such projections are not cached). */
export function usesClock(v: unknown): boolean {
  if (typeof v === 'string') return v === '@meta.projected_at';
  if (Array.isArray(v)) return v.some(usesClock);
  if (v && typeof v === 'object') return Object.values(v).some(usesClock);
  return false;
}

export function parseRefOrThrow(text: string, objectId: string, path: string): Ref {
  const r = parseRefText(text);
  if (typeof r === 'string') throw new ObjectError('bad_reference', `bad reference ${JSON.stringify(text.slice(0, 64))}: ${r}`, 'project', objectId, path);
  return r;
}

export async function resolveReference(ref: Ref, ctx: RefContext): Promise<unknown> {
  if (ref.root === 'meta') return ctx.meta[ref.segments[0] as MetaKey];
  const segs = ref.segments;
  if (segs.length === 0) return ctx.view.whole();
  const notFound = (k: number) => {
    const here = '@payload' + segs.slice(0, k + 1).map(pathSegment).join('');
    return new ObjectError('reference_not_found', `${here} does not exist in the payload`, 'project', ctx.objectId, here);
  };
  const first = await ctx.view.member(segs[0], ctx.emit);
  if (!first) throw notFound(0);
  let v = first.value;
  let i = 1;
  while (v instanceof LazyMap) {
    if (i >= segs.length) throw new ObjectError('bad_reference', `${ref.text} names a collection read lane by lane; name one member`, 'project', ctx.objectId, ref.text);
    const r = await v.get(segs[i], ctx.emit);
    if (!r) throw notFound(i);
    v = r.value;
    i++;
  }
  return walkValue(v, segs, ref, ctx.objectId, i);
}
