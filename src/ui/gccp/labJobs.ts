/**
 * The π-GCCP lab's CPU work, run in its worker (gccp.worker.ts) or inline where there is no
 * Worker: vector generation, the exact CPU mirror, heatmap binning, the superposition's CPU
 * scalars and SVG loading. Requests and results are plain cloneable data; typed arrays in
 * results are transferred.
 */
import { gccpExact } from '../../core/gccp/mirror';
import { randomPairs, adversarialPairs } from '../../core/gccp/random';
import { svgEdgeVectorPairs } from '../../core/gccp/svgVectors';
import { heatBuffers, heatOf, type Heat } from './heat';
import { traversalFromSvgText } from './svgTensor';
import type { CpuRun, LabRequest, LabResults, LabStage, LoadedSvg, VectorSpec } from './labTypes';

export function makeVectors(spec: VectorSpec): { a: Float32Array; b: Float32Array } {
  if (spec.kind === 'given') return { a: spec.a, b: spec.b };
  return spec.gen === 'random' ? randomPairs(spec.n, spec.seed, spec.epsilon) : adversarialPairs(spec.gen, spec.n, spec.seed, spec.epsilon);
}

export async function runLabJob(req: LabRequest, onStage: (s: LabStage) => void): Promise<unknown> {
  switch (req.type) {
    case 'run': {
      onStage('vectors');
      const { a, b } = makeVectors(req.spec);
      onStage('cpu');
      const t0 = performance.now();
      const r = gccpExact(a, b, req.profile);
      const ms = performance.now() - t0;
      onStage('heatmaps');
      const cpu: CpuRun = { n: a.length / 2, collapse: r.collapse, ms, phase: heatOf('phase', r.phase), weight: heatOf('weight', r.weight) };
      return { cpu, a: req.keepVectors ? a : null, b: req.keepVectors ? b : null } satisfies LabResults['run'];
    }
    case 'vectors':
      onStage('vectors');
      return makeVectors(req.spec);
    case 'heat':
      return { phase: heatOf('phase', req.phase), weight: heatOf('weight', req.weight) } satisfies LabResults['heat'];
    case 'collapse': {
      onStage('vectors');
      const { a, b } = makeVectors(req.spec);
      onStage('superpose');
      return req.profiles.map((p) => gccpExact(a, b, p).collapse);
    }
    case 'svg': {
      onStage('svg');
      const r = traversalFromSvgText(await req.file.text());
      if (r.t.nodeCount === 0) throw new Error('the SVG-tensor has no nodes');
      return { t: r.t, name: `${req.name} (sha256 ${r.hashHex.slice(0, 12)}…, ${r.primitives.toLocaleString('en-US')} primitives)`, pairs: svgEdgeVectorPairs(r.t.nodes, r.t.edges) } satisfies LoadedSvg;
    }
  }
}

/** Buffers a result owns (deduplicated). */
export function labTransferables(result: unknown): ArrayBuffer[] {
  const out = new Set<ArrayBuffer>();
  const add = (v: unknown) => { if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) out.add(v.buffer); };
  const r = result as Record<string, unknown> | null;
  if (!r || typeof r !== 'object' || Array.isArray(r)) return [];
  const heat = (h: unknown) => { if (h && typeof h === 'object' && 'mode' in h) for (const b of heatBuffers(h as Heat)) out.add(b); };
  if ('cpu' in r) { const c = r.cpu as CpuRun; heat(c.phase); heat(c.weight); add(r.a); add(r.b); }
  if ('phase' in r) { heat(r.phase); heat(r.weight); }
  if ('a' in r && !('cpu' in r)) { add(r.a); add(r.b); }
  if ('t' in r && 'pairs' in r) {
    const l = r as unknown as LoadedSvg;
    for (const v of Object.values(l.t)) add(v);
    add(l.pairs.a); add(l.pairs.b);
  }
  return [...out];
}
