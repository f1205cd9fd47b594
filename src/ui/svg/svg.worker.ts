/// <reference lib="webworker" />
/** The SVG tab's heavy work off the main thread: parse, check, import, map, encode, verify, build. */
import { errorInfo } from './analyze';
import { runJob, transferables, type JobEnvelope, type JobMessage } from './jobs';

const post = (m: JobMessage, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);

// Jobs run one after another, in the order they were posted.
let queue: Promise<void> = Promise.resolve();
self.onmessage = (ev: MessageEvent<JobEnvelope>) => {
  const { id, req } = ev.data;
  queue = queue.then(async () => {
    try {
      const result = await runJob(req, (stage) => post({ id, kind: 'stage', stage }));
      post({ id, kind: 'done', result }, transferables(result));
    } catch (e) {
      post({ id, kind: 'error', error: errorInfo(e) });
    }
  });
};
(self as unknown as Worker).postMessage({ id: 0, kind: 'ready' });
