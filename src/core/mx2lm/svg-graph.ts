/**
 * The MX2LM SVG-tensor brain (`ai.brain.svg-tensor.v1`, §16.9; docs/laws.md MX2LM-CORPUS): a
 * token transition graph from the train split's bigram counts, written as a canonical
 * SVG-tensor the way the demo brain is (src/cli/demo-ai-objects.ts), scaled up.
 *
 * Nodes: the first `nodes` (M) tokens of the vocabulary (the specials and the most frequent
 * words), token i at ((i mod 32)·10 + 5, ⌊i/32⌋·10 + 5); viewBox `0 0 320 10·⌈M/32⌉`.
 * Counts c(h w): bigrams of `<s> w1 … wn </s>` over the train sentences, words outside the
 * vocabulary as `<unk>`; c(h) = Σ_w c(h w) over the whole vocabulary.
 * Edges: for each node h except `</s>`, its top `successors` (N) nodes w ≠ h, w ≠ `<s>`, with
 * c(h w) > 0, by count descending, ties lowest id. Each edge is one path in the group
 * `<g id="t<h>">` (groups by h ascending, edges in that rank order), id `e<h>-<w>`:
 *   - adjacency = connectivity: the path runs from node h to node w;
 *   - path length = weight magnitude: with the weight P(w | h) = c(h w) / c(h) (the bigram
 *     maximum-likelihood probability) and d the distance h → w, the path is two segments through
 *     an apex on the perpendicular bisector (to the left of h → w) at the offset that makes its
 *     length d + 10·P (10 = the node spacing), apex coordinates to 3 decimals; so
 *     P = (length − d) / 10 within 10⁻³;
 *   - stroke width = confidence: (c(h w) − D) / c(h w), D = 0.75 the KN discount (the share of the
 *     observed count the n-gram brain keeps), to 3 decimals.
 */
import { canonicalize } from '../svg/canonical.ts';
import { BOS, EOS, KN_DISCOUNT, UNK } from '../ngram/kneser-ney.ts';

export const SVG_GRAPH_NODES = 512;
export const SVG_GRAPH_SUCCESSORS = 8;
const COLS = 32, STEP = 10;

export function nodePosition(i: number): [number, number] {
  return [(i % COLS) * STEP + STEP / 2, Math.floor(i / COLS) * STEP + STEP / 2];
}

function r3(x: number): number {
  const v = Number(x.toFixed(3));
  return v === 0 ? 0 : v;
}

export interface SvgGraph {
  /** Canonical SVG-tensor bytes. */
  bytes: Uint8Array;
  edges: number;
  nodes: number;
}

/** The graph brain of the train sentences over `tokens` (token by id, specials first). */
export function buildSvgGraph(tokens: readonly string[], train: readonly (readonly string[])[], nodes = SVG_GRAPH_NODES, successors = SVG_GRAPH_SUCCESSORS): SvgGraph {
  const M = Math.min(nodes, tokens.length);
  const id = new Map(tokens.map((t, i) => [t, i]));
  const unk = id.get(UNK)!, bos = id.get(BOS)!, eos = id.get(EOS)!;
  const ctxTotal = new Float64Array(M);
  const pair = new Map<number, number>(); // h·M + w for h, w < M
  for (const s of train) {
    let prev = bos;
    for (let i = 0; i <= s.length; i++) {
      const cur = i === s.length ? eos : (id.get(s[i]) ?? unk);
      if (prev < M) {
        ctxTotal[prev]++;
        if (cur < M) pair.set(prev * M + cur, (pair.get(prev * M + cur) ?? 0) + 1);
      }
      prev = cur;
    }
  }
  return renderGraph(M, ctxTotal, pair, bos, eos, successors);
}

/**
 * The count-based entry point (used by evolve.ts, MX2LM-EVOLVE): `bigrams` the raw bigram counts
 * c(h w) of the padded sentences `<s> w… </s>` over `tokens` (`<unk>`, `<s>`, `</s>` among them),
 * keyed h·|tokens| + w, every count > 0. The same graph as `buildSvgGraph` over sentences with
 * those bigram counts (map order does not matter).
 */
export function buildSvgGraphFromCounts(tokens: readonly string[], bigrams: ReadonlyMap<number, number>, nodes = SVG_GRAPH_NODES, successors = SVG_GRAPH_SUCCESSORS): SvgGraph {
  const M = Math.min(nodes, tokens.length);
  const V = tokens.length;
  const id = new Map(tokens.map((t, i) => [t, i]));
  const bos = id.get(BOS)!, eos = id.get(EOS)!;
  const ctxTotal = new Float64Array(M);
  const pair = new Map<number, number>();
  for (const [k, c] of bigrams) {
    const h = Math.floor(k / V), w = k % V;
    if (h >= M) continue;
    ctxTotal[h] += c;
    if (w < M) pair.set(h * M + w, c);
  }
  return renderGraph(M, ctxTotal, pair, bos, eos, successors);
}

function renderGraph(M: number, ctxTotal: Float64Array, pair: ReadonlyMap<number, number>, bos: number, eos: number, successors: number): SvgGraph {
  const bySource: [number, number][][] = Array.from({ length: M }, () => []);
  for (const [k, c] of pair) {
    const h = Math.floor(k / M), w = k % M;
    if (h === w || h === eos || w === bos) continue;
    bySource[h].push([w, c]);
  }
  let edges = 0;
  const groups: string[] = [];
  for (let h = 0; h < M; h++) {
    const top = bySource[h].sort((a, b) => b[1] - a[1] || a[0] - b[0]).slice(0, successors);
    if (top.length === 0) continue;
    const [x1, y1] = nodePosition(h);
    const paths = top.map(([w, c]) => {
      const [x2, y2] = nodePosition(w);
      const dx = x2 - x1, dy = y2 - y1, d = Math.hypot(dx, dy);
      const p = c / ctxTotal[h];
      const half = (d + STEP * p) / 2;
      const t = Math.sqrt(Math.max(half * half - (d / 2) ** 2, 0));
      const mx = r3((x1 + x2) / 2 - (dy / d) * t), my = r3((y1 + y2) / 2 + (dx / d) * t);
      const width = Math.max(0.001, r3((c - KN_DISCOUNT) / c));
      edges++;
      return `<path id="e${h}-${w}" d="M${x1} ${y1} L${mx} ${my} L${x2} ${y2}" stroke-width="${width}"/>`;
    });
    groups.push(`<g id="t${h}">${paths.join('')}</g>`);
  }
  const rows = Math.ceil(M / COLS);
  const src = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${COLS * STEP} ${rows * STEP}">${groups.join('')}</svg>`;
  return { bytes: canonicalize(src).bytes, edges, nodes: M };
}
