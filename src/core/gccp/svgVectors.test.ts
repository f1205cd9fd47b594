import { describe, expect, it } from 'vitest';
import { svgEdgeVectorPairs } from './svgVectors.ts';
import { importSvg } from '../svg/canonical.ts';
import { traverse } from '../svg/webgpu.ts';
import { AsxError } from '../errors.ts';

// Nodes are §17.2 {x, y, z, rank}; the 3-segment path M0 0 L3 0 L3 4 L0 4.
const node = (x: number, y: number) => [x, y, 0, 1];
const PATH3 = { nodes: [...node(0, 0), ...node(3, 0), ...node(3, 4), ...node(0, 4)], edges: [0, 1, 1, 2, 2, 3] };

describe('L22 vector pairs from an SVG-tensor', () => {
  it('3-segment path: a = edge direction, b = next edge direction, last wraps to first', () => {
    const r = svgEdgeVectorPairs(PATH3.nodes, PATH3.edges);
    expect(Array.from(r.a)).toEqual([3, 0, 0, 4, -3, 0]);
    expect(Array.from(r.b)).toEqual([0, 4, -3, 0, 3, 0]);
    expect([r.edges, r.skipped]).toEqual([3, 0]);
  });

  it('zero-length edges are skipped before pairing', () => {
    // M0 0 L3 0 L3 0 L3 4: the middle edge has direction (0, 0).
    const nodes = [...node(0, 0), ...node(3, 0), ...node(3, 0), ...node(3, 4)];
    const r = svgEdgeVectorPairs(nodes, [0, 1, 1, 2, 2, 3]);
    expect(Array.from(r.a)).toEqual([3, 0, 0, 4]);
    expect(Array.from(r.b)).toEqual([0, 4, 3, 0]);
    expect([r.edges, r.skipped]).toEqual([3, 1]);
  });

  it('one direction pairs with itself; no edges give no pairs', () => {
    const one = svgEdgeVectorPairs([...node(1, 1), ...node(2, 3)], [0, 1]);
    expect([Array.from(one.a), Array.from(one.b)]).toEqual([[1, 2], [1, 2]]);
    const none = svgEdgeVectorPairs(node(1, 1), []);
    expect([none.a.length, none.b.length, none.edges]).toEqual([0, 0, 0]);
  });

  it('directions are rounded to f32', () => {
    const r = svgEdgeVectorPairs([...node(0, 0), ...node(0.1, 0.2)], [0, 1]);
    expect(Array.from(r.a)).toEqual([Math.fround(0.1), Math.fround(0.2)]);
  });

  it('rejects malformed buffers', () => {
    expect(() => svgEdgeVectorPairs([0, 0, 0], [])).toThrow(AsxError);
    expect(() => svgEdgeVectorPairs(node(0, 0), [0, 1])).toThrow(/outside 0\.\.0/);
  });

  it('the same vector through the SVG importer and the §17.2 map (world coordinates)', () => {
    const c = importSvg('<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><path d="M0 0 L3 0 L3 4 L0 4"/></svg>');
    const tr = traverse(c.model);
    const r = svgEdgeVectorPairs(tr.nodes, tr.edges);
    expect(Array.from(r.a)).toEqual([3, 0, 0, 4, -3, 0]);
    expect(Array.from(r.b)).toEqual([0, 4, -3, 0, 3, 0]);
  });
});
