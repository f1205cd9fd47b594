/**
 * SVG → lane streams (the packs spec's "SVG → lanes → temporal → interactions"; law
 * L-STREAMS in docs/laws.md). A deterministic projection of a canonical SVG-tensor to a
 * `{"streams": {...}}` document that `buildPack` accepts:
 *
 * - every top-level `<g>` whose id is a valid stream name (1…64 of `[A-Za-z0-9_.-]`, no
 *   `__x__`) becomes one stream named by its id;
 * - its samples are, for each primitive inside it in canonical order, the primitive's weight
 *   magnitude × confidence (§16.9 "path length = weight magnitude", "stroke width =
 *   confidence"; webgpu.ts L-WEIGHT), rounded to 6 decimals and clamped to |x| ≤ 1e12;
 * - primitives outside such groups feed the stream `tensor` (appended after a group of that
 *   name, if one exists), in canonical order;
 * - a stream longer than 65,536 samples or more than 1,024 streams is `bad_input`;
 * - the document is written as RFC 8785 canonical JSON (`streamsJson`).
 */
import { AsxError } from '../errors.ts';
import { canonValue } from './number.ts';
import { isPrimitive, preorder, type TNode } from './model.ts';
import { traverse } from './webgpu.ts';
import { canonicalize, importSvg } from './canonical.ts';
import { canonicalJson } from '../json/jcs.ts';

export const UNGROUPED_STREAM = 'tensor';
const NAME = /^[A-Za-z0-9_.-]{1,64}$/;

export interface StreamsDoc { streams: Record<string, number[]> }

export function svgToStreams(model: TNode): StreamsDoc {
  const tr = traverse(model);
  const order = preorder(model);
  const weightOf = new Map<TNode, number>();
  let wi = 0;
  for (const { node } of order) {
    if (!isPrimitive(node.kind)) continue;
    const w = tr.weights[wi++];
    const v = canonValue(Math.max(-1e12, Math.min(1e12, w.magnitude * w.confidence)));
    weightOf.set(node, v);
  }
  const owner = new Map<TNode, string>();
  const named: string[] = [];
  for (const c of model.children) {
    if (c.kind === 'g' && c.id !== undefined && NAME.test(c.id) && !c.id.includes('__x__')) {
      named.push(c.id);
      for (const { node } of preorder(c)) owner.set(node, c.id);
    }
  }
  const streams = new Map<string, number[]>();
  for (const n of named) streams.set(n, []);
  const ungrouped: number[] = [];
  for (const { node } of order) {
    const w = weightOf.get(node);
    if (w === undefined) continue;
    const o = owner.get(node);
    if (o !== undefined) streams.get(o)!.push(w);
    else ungrouped.push(w);
  }
  if (ungrouped.length) streams.set(UNGROUPED_STREAM, [...(streams.get(UNGROUPED_STREAM) ?? []), ...ungrouped]);
  if (streams.size > 1024) throw new AsxError('bad_input', `${streams.size} streams (at most 1,024 named top-level groups)`, { path: '/svg' });
  const out: Record<string, number[]> = {};
  for (const [k, v] of streams) {
    if (v.length > 65536) throw new AsxError('bad_input', `stream ${k} has ${v.length} samples (at most 65,536)`, { path: `/svg/g#${k}` });
    if (v.length) out[k] = v;
  }
  return { streams: out };
}

/**
 * One call for `asx pack build` and the workbench: SVG bytes or text → a streams document
 * `lenient` imports an ordinary SVG first; otherwise the file must be a legal tensor.
 */
export function streamsFromSvg(input: string | Uint8Array, opts: { lenient?: boolean } = {}): StreamsDoc {
  return svgToStreams((opts.lenient ? importSvg(input) : canonicalize(input)).model);
}

/** The streams document as RFC 8785 canonical JSON (one SVG-tensor → one byte string). */
export function streamsJson(doc: StreamsDoc): string {
  return canonicalJson(doc);
}
