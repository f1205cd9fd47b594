/// <reference lib="webworker" />
/** The π-GCCP lab's CPU work off the main thread (vectors, CPU mirror, heatmap bins, SVG import). */
import { runLabJob, labTransferables } from './labJobs';
import type { LabRequest, LabStage } from './labTypes';

type Out = { id: number; kind: 'stage'; stage: LabStage } | { id: number; kind: 'done'; result: unknown } | { id: number; kind: 'error'; message: string } | { id: 0; kind: 'ready' };
const post = (m: Out, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

let queue: Promise<void> = Promise.resolve();
self.onmessage = (ev: MessageEvent<{ id: number; req: LabRequest }>) => {
  const { id, req } = ev.data;
  queue = queue.then(async () => {
    try {
      const result = await runLabJob(req, (stage) => post({ id, kind: 'stage', stage }));
      post({ id, kind: 'done', result }, labTransferables(result));
    } catch (e) {
      post({ id, kind: 'error', message: e instanceof Error ? e.message : String(e) });
    }
  });
};
post({ id: 0, kind: 'ready' });
