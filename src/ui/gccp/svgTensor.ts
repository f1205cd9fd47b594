/**
 * Glue: a dropped SVG file → SVG-tensor import and canonicalization (src/core/svg, issue 4)
 * → the §17.2 map's nodes, edges and per-primitive Weights → traversal buffers
 * (src/core/gccp traversalFromMap). Loaded on demand by the lab.
 */
import { importSvg } from '../../core/svg/canonical';
import { traverse } from '../../core/svg/webgpu';
import { preorder, isPrimitive } from '../../core/svg/model';
import { traversalFromMap, type TraversalBuffers } from '../../core/gccp/traverse';

export function traversalFromSvgText(text: string): { t: TraversalBuffers; hashHex: string; primitives: number } {
  const c = importSvg(text);
  const tr = traverse(c.model);
  const edges = new Uint32Array(tr.edges);
  const w = new Float32Array((3 * edges.length) / 2);
  let j = 0;
  preorder(c.model).forEach(({ node }, i) => {
    if (!isPrimitive(node.kind)) return;
    const [, , e0, ec] = tr.spans[i];
    const wt = tr.weights[j++];
    for (let e = e0; e < e0 + ec; e++) w.set([wt.magnitude, wt.confidence, wt.gradient], 3 * e);
  });
  return { t: traversalFromMap(new Float32Array(tr.nodes), edges, w), hashHex: c.hashHex, primitives: j };
}
