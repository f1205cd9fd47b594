/**
 * The page's side of the Tensors worker (the shared job client, lib/jobClient.ts): cancel
 * terminates the worker; without module workers jobs run inline.
 */
import { createJobClient, JobCancelled, type Job } from '../lib/jobClient';
import type { UiError } from '../store';
import { runTensorJob, type JobStage, type TensorJob, type TensorJobResults } from './jobs';

export { JobCancelled, type Job };

/** A job's failure, carrying the typed error the face shows. */
export class TensorJobError extends Error {
  constructor(readonly info: UiError) { super(info.message); this.name = 'TensorJobError'; }
}

// Two workers, so cancelling a diff never stops the statistics of the tensor on screen (and back).
const makeClient = (label: string) => createJobClient<TensorJob, JobStage, UiError>({
  label,
  createWorker: () => new Worker(new URL('./tensors.worker.ts', import.meta.url), { type: 'module', name: `asx-${label}` }),
  runInline: runTensorJob,
  toError: (e) => new TensorJobError(e),
});
const clients = { stats: makeClient('tensor-stats'), diff: makeClient('tensor-diff') };

export function startTensorJob<K extends TensorJob['type']>(req: Extract<TensorJob, { type: K }>, onStage?: (s: JobStage) => void): Job<TensorJobResults[K]> {
  return clients[req.type].start<TensorJobResults[K]>(req, onStage);
}
