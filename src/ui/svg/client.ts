/**
 * The page's side of the SVG worker (the shared job client, lib/jobClient.ts): cancel
 * terminates the worker; without module workers jobs run inline.
 */
import { createJobClient, JobCancelled, type Job } from '../lib/jobClient';
import type { ErrorInfo, Stage } from './analyze';
import { runJob, type JobRequest, type JobResults } from './jobs';

export { JobCancelled as CancelledError, type Job };

export class JobError extends Error {
  constructor(readonly code: string, message: string, readonly where?: string) { super(message); this.name = 'JobError'; }
}

const client = createJobClient<JobRequest, Stage, ErrorInfo>({
  label: 'SVG',
  createWorker: () => new Worker(new URL('./svg.worker.ts', import.meta.url), { type: 'module', name: 'svg-tensor' }),
  runInline: runJob,
  toError: (e) => new JobError(e.code, e.message, e.where),
});

/** Start a job; `onStage` hears each stage as the worker enters it. */
export function startJob<K extends JobRequest['type']>(req: Extract<JobRequest, { type: K }>, onStage?: (s: Stage) => void): Job<JobResults[K]> {
  return client.start<JobResults[K]>(req, onStage);
}
