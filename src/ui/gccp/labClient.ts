/**
 * The lab page's side of its worker (the shared job client, lib/jobClient.ts): cancel
 * terminates the worker (the CPU mirror is one synchronous loop); without module workers jobs
 * run inline, loading the CPU code only then (the worker has its own copy).
 */
import { createJobClient, JobCancelled, type Job } from '../lib/jobClient';
import type { LabRequest, LabResults, LabStage } from './labTypes';

export { JobCancelled as LabCancelled, type Job as LabJob };

const client = createJobClient<LabRequest, LabStage, string>({
  label: 'π-GCCP',
  createWorker: () => new Worker(new URL('./gccp.worker.ts', import.meta.url), { type: 'module', name: 'gccp-lab' }),
  runInline: (req, onStage) => import('./labJobs').then(({ runLabJob }) => runLabJob(req, onStage)),
  toError: (message) => new Error(message),
});

export function labJob<K extends LabRequest['type']>(req: Extract<LabRequest, { type: K }>, onStage?: (s: LabStage) => void): Job<LabResults[K]> {
  return client.start<LabResults[K]>(req, onStage);
}
