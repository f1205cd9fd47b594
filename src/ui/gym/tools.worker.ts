/// <reference lib="webworker" />
/** The Gym's tools worker: open (verify) fold bundles and compile models off the page's thread (tools.ts). */
import { serveJobs } from '../lib/jobWorker';
import { gymToolError, gymToolTransfer, runGymTool, type GymToolJob, type GymToolStage } from './tools';

serveJobs<GymToolJob, GymToolStage, ReturnType<typeof gymToolError>>(runGymTool, gymToolTransfer, gymToolError);
