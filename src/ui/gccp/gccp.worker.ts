/// <reference lib="webworker" />
/** The π-GCCP lab's CPU work off the main thread (vectors, CPU mirror, heatmap bins, SVG import). */
import { serveJobs } from '../lib/jobWorker';
import { labTransferables, runLabJob } from './labJobs';

serveJobs(runLabJob, labTransferables, (e) => (e instanceof Error ? e.message : String(e)));
