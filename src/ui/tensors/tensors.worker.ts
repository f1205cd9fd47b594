/// <reference lib="webworker" />
/** The Tensors face's worker: statistics and diffs off the page's thread (jobs.ts). */
import { serveJobs } from '../lib/jobWorker';
import { jobErrorPayload, runTensorJob, type JobStage, type TensorJob } from './jobs';

serveJobs<TensorJob, JobStage, ReturnType<typeof jobErrorPayload>>(runTensorJob, () => [], jobErrorPayload);
