/** The page's side of the Gym's tools worker (the shared job client, lib/jobClient.ts). */
import { createJobClient, type Job } from '../lib/jobClient';
import type { UiError } from '../store';
import { runGymTool, type GymToolJob, type GymToolResults, type GymToolStage } from './tools';

export class GymToolError extends Error {
  constructor(readonly info: UiError) { super(info.message); this.name = 'GymToolError'; }
}

const client = createJobClient<GymToolJob, GymToolStage, UiError>({
  label: 'gym-tools',
  createWorker: () => new Worker(new URL('./tools.worker.ts', import.meta.url), { type: 'module', name: 'asx-gym-tools' }),
  runInline: runGymTool,
  toError: (e) => new GymToolError(e),
});

export function startGymTool<K extends GymToolJob['type']>(job: Extract<GymToolJob, { type: K }>, onStage?: (s: GymToolStage) => void): Job<GymToolResults[K]> {
  return client.start<GymToolResults[K]>(job, onStage);
}
