/// <reference lib="webworker" />
/**
 * The worker side of jobClient.ts: run posted jobs one after another, in the order they were
 * posted, reporting stages, then the result (its large buffers transferred) or an error payload.
 */
import type { WorkerJobMessage } from './jobClient';

export function serveJobs<Req, Stage, Err>(
  run: (req: Req, onStage: (s: Stage) => void) => Promise<unknown>,
  transferables: (result: unknown) => Transferable[],
  toError: (e: unknown) => Err,
): void {
  const post = (m: WorkerJobMessage<Stage, Err>, transfer: Transferable[] = []) => (self as unknown as Worker).postMessage(m, transfer);
  let queue: Promise<void> = Promise.resolve();
  self.onmessage = (ev: MessageEvent<{ id: number; req: Req }>) => {
    const { id, req } = ev.data;
    queue = queue.then(async () => {
      try {
        const result = await run(req, (stage) => post({ id, kind: 'stage', stage }));
        post({ id, kind: 'done', result }, transferables(result));
      } catch (e) {
        post({ id, kind: 'error', error: toError(e) });
      }
    });
  };
  post({ id: 0, kind: 'ready' });
}
