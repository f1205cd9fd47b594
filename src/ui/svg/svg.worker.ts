/// <reference lib="webworker" />
/** The SVG tab's heavy work off the main thread: parse, check, import, map, encode, verify, build. */
import { serveJobs } from '../lib/jobWorker';
import { errorInfo } from './analyze';
import { runJob, transferables } from './jobs';

serveJobs(runJob, transferables, errorInfo);
