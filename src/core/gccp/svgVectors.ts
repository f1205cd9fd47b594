/**
 * Vector pairs from an SVG-tensor (issue 5, lab vector source "svg"; docs/laws.md L22).
 *
 * Rule: walk the map's edges in buffer order (§17.2: Node {x, y, z, rank} f32, Edge
 * {from, to} u32). Each edge e gives its direction d_e = (x_to − x_from, y_to − y_from),
 * computed in f64 from the node coordinates and rounded to f32. Directions that round to
 * (0, 0) are skipped. Of the M directions left, pair i is a = d_i, b = d_{(i+1) mod M}
 * (the last pairs with the first; a single direction pairs with itself). M pairs in all,
 * interleaved [x, y, …] as the kernels take them. Pure and deterministic.
 */
import { AsxError } from '../errors.ts';

export interface SvgVectorPairs {
  /** Interleaved [x, y, …], one vector per pair. */
  a: Float32Array;
  b: Float32Array;
  /** Edges in the map, and how many were skipped for a zero direction. */
  edges: number;
  skipped: number;
}

export function svgEdgeVectorPairs(nodes: ArrayLike<number>, edges: ArrayLike<number>): SvgVectorPairs {
  const N = nodes.length / 4, E = edges.length / 2;
  if (!Number.isInteger(N) || !Number.isInteger(E)) throw new AsxError('bad_input', 'node buffer is 4 numbers per node, edge buffer 2 per edge');
  const dirs: number[] = [];
  for (let e = 0; e < E; e++) {
    const from = edges[2 * e], to = edges[2 * e + 1];
    if (!(from >= 0 && from < N && to >= 0 && to < N) || !Number.isInteger(from) || !Number.isInteger(to)) {
      throw new AsxError('bad_input', `edge ${e} names a node outside 0..${N - 1}`);
    }
    const dx = Math.fround(nodes[4 * to] - nodes[4 * from]), dy = Math.fround(nodes[4 * to + 1] - nodes[4 * from + 1]);
    if (dx === 0 && dy === 0) continue;
    if (!Number.isFinite(dx) || !Number.isFinite(dy)) throw new AsxError('bad_input', `edge ${e} has a non-finite direction`);
    dirs.push(dx, dy);
  }
  const M = dirs.length / 2;
  const a = Float32Array.from(dirs), b = new Float32Array(2 * M);
  for (let i = 0; i < M; i++) {
    const j = (i + 1) % M;
    b[2 * i] = dirs[2 * j];
    b[2 * i + 1] = dirs[2 * j + 1];
  }
  return { a, b, edges: E, skipped: E - M };
}
