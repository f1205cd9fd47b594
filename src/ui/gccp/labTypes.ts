/** Requests, results and stages of the π-GCCP lab's worker jobs (labJobs.ts runs them). */
import type { SvgVectorPairs } from '../../core/gccp/svgVectors';
import type { TraversalBuffers } from '../../core/gccp/traverse';
import type { PiProfile } from '../../core/gccp/profile';
import type { AdversarialKind } from '../../core/gccp/random';
import type { Heat } from './heat';

export type VectorSpec =
  | { kind: 'seeded'; gen: 'random' | AdversarialKind; n: number; seed: number; epsilon: number }
  | { kind: 'given'; a: Float32Array; b: Float32Array };

export type LabStage = 'vectors' | 'cpu' | 'heatmaps' | 'gpu' | 'gpu-heatmaps' | 'superpose' | 'svg';

export const LAB_STAGE_LABEL: Record<LabStage, string> = {
  vectors: 'generating the vector pairs',
  cpu: 'CPU exact mirror',
  heatmaps: 'binning the CPU heatmaps',
  gpu: 'WebGPU kernels',
  'gpu-heatmaps': 'binning the GPU heatmaps',
  superpose: 'collapse per profile',
  svg: 'importing the SVG',
};

/** A loaded SVG: its traversal tensor and its L22 vector pairs. */
export interface LoadedSvg { t: TraversalBuffers; name: string; pairs: SvgVectorPairs }

export type LabRequest =
  | { type: 'run'; spec: VectorSpec; profile: PiProfile; keepVectors: boolean }
  | { type: 'vectors'; spec: VectorSpec }
  | { type: 'heat'; phase: Float32Array | Float64Array; weight: Float32Array | Float64Array }
  | { type: 'collapse'; spec: VectorSpec; profiles: PiProfile[] }
  | { type: 'svg'; file: Blob; name: string };

export interface CpuRun { n: number; collapse: number; ms: number; phase: Heat; weight: Heat }
export interface LabResults {
  /** The vectors come back only when asked (the GPU needs them on the page). */
  run: { cpu: CpuRun; a: Float32Array | null; b: Float32Array | null };
  vectors: { a: Float32Array; b: Float32Array };
  heat: { phase: Heat; weight: Heat };
  collapse: number[];
  svg: LoadedSvg;
}

