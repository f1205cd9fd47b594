/**
 * The SVG-tensor brain's next-token weights (§20.7; docs/laws.md MX2LM-INFER "traversal"), decoded
 * from the canonical SVG-tensor bytes in integers, so every engine gets the same graph:
 *
 *   edge h → w   a `<path id="e<h>-<w>" d="M x0 y0 L x1 y1 … L xn yn" stroke-width="s">`
 *                (h, w token ids; adjacency = connectivity);
 *   coordinates  decimals with at most 3 fraction digits, read exactly as integers in 1/1000;
 *   weight       bent path (n ≥ 2, an interior vertex): its excess length Σ|segment| − |chord|
 *                (path length = weight magnitude; the Brown graph's 10·P(w | h)), each length
 *                floor(√(Δx² + Δy²)) in 1/1000000 of a unit, an exact BigInt integer square root;
 *                straight path (one segment): its stroke width in 1/1000 (stroke width = confidence;
 *                the demo graph's P(w | h)). Integer weights; a weight ≤ 0 is no edge.
 *   traversal    one step from the last context token's node: P_svg(w) = weight(h → w) / Σ_u weight(h → u),
 *                the sum in ascending u (one IEEE division each); every token without an edge from
 *                h gets 0. When h has no outgoing edge (no node, or a node without edges), the SVG
 *                domain is empty and the collapse renormalises its weight away (collapse.ts).
 *
 * Pure: no DOM, no Node.
 */
import { AsxError } from '../errors.ts';

export interface SvgBrainGraph {
  /** source id → [target ids ascending, integer weights] */
  readonly out: ReadonlyMap<number, { targets: Int32Array; weights: Float64Array; total: number }>;
  readonly edges: number;
}

/** floor(√n) for a non-negative BigInt (Newton's method on integers). */
export function isqrt(n: bigint): bigint {
  if (n < 0n) throw new RangeError('isqrt of a negative number');
  if (n < 2n) return n;
  let x = BigInt(Math.floor(Math.sqrt(Number(n)))) + 1n; // any start ≥ √n works; this one is close
  for (;;) {
    const y = (x + n / x) >> 1n;
    if (y >= x) break;
    x = y;
  }
  while (x * x > n) x -= 1n;
  while ((x + 1n) * (x + 1n) <= n) x += 1n;
  return x;
}

/** A decimal with ≤ 3 fraction digits as an integer in 1/1000 (exact, from the characters). */
function milli(s: string): bigint {
  const m = /^(-?)(\d+)(?:\.(\d{1,3}))?$/.exec(s);
  if (!m) throw new AsxError('bad_input', `SVG brain: coordinate ${JSON.stringify(s)} is not a decimal with at most 3 fraction digits`, { path: 'd' });
  const v = BigInt(m[2]) * 1000n + BigInt((m[3] ?? '').padEnd(3, '0') || '0');
  return m[1] ? -v : v;
}

/** |p q| in 1/1000000 (floor), p and q in 1/1000. */
function lengthMicro(px: bigint, py: bigint, qx: bigint, qy: bigint): bigint {
  const dx = qx - px, dy = qy - py;
  return isqrt((dx * dx + dy * dy) * 1_000_000n);
}

const PATH = /<path\b([^>]*)>/g;
const ATTR = /\s([a-z-]+)="([^"]*)"/g;

/** The token graph of a canonical SVG-tensor brain (see the file comment). */
export function decodeSvgBrain(bytes: Uint8Array): SvgBrainGraph {
  const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  const bySource = new Map<number, Map<number, number>>();
  let edges = 0;
  for (const pm of text.matchAll(PATH)) {
    const attrs = new Map<string, string>();
    for (const am of pm[1].matchAll(ATTR)) attrs.set(am[1], am[2]);
    const id = /^e(\d+)-(\d+)$/.exec(attrs.get('id') ?? '');
    if (!id) continue;
    const h = Number(id[1]), w = Number(id[2]);
    const nums = (attrs.get('d') ?? '').match(/-?\d+(?:\.\d+)?/g) ?? [];
    if (nums.length < 4 || nums.length % 2 !== 0) throw new AsxError('bad_input', `SVG brain: path e${h}-${w} has no polyline`, { path: `e${h}-${w}` });
    const pts: bigint[] = nums.map(milli);
    let weight: number;
    if (pts.length === 4) {
      const sw = attrs.get('stroke-width');
      weight = sw === undefined ? 0 : Number(milli(sw));
    } else {
      let sum = 0n;
      for (let i = 2; i < pts.length; i += 2) sum += lengthMicro(pts[i - 2], pts[i - 1], pts[i], pts[i + 1]);
      const chord = lengthMicro(pts[0], pts[1], pts[pts.length - 2], pts[pts.length - 1]);
      weight = Number(sum - chord);
    }
    if (!(weight > 0)) continue;
    let m = bySource.get(h);
    if (!m) bySource.set(h, (m = new Map()));
    m.set(w, (m.get(w) ?? 0) + weight);
    edges++;
  }
  const out = new Map<number, { targets: Int32Array; weights: Float64Array; total: number }>();
  for (const [h, m] of bySource) {
    const ts = [...m.keys()].sort((a, b) => a - b);
    const weights = Float64Array.from(ts, (t) => m.get(t)!);
    let total = 0;
    for (const x of weights) total += x; // integers: exact below 2^53
    out.set(h, { targets: Int32Array.from(ts), weights, total });
  }
  return { out, edges };
}

/** P_svg(· | last token) into `out` (zeros first); false when the SVG domain is empty. */
export function svgDistributionInto(g: SvgBrainGraph, last: number, out: Float64Array): boolean {
  out.fill(0);
  const e = g.out.get(last);
  if (!e || e.total <= 0) return false;
  for (let i = 0; i < e.targets.length; i++) if (e.targets[i] < out.length) out[e.targets[i]] = e.weights[i] / e.total;
  return true;
}
