/// <reference lib="webworker" />
/** SVG-tensor analysis off the main thread (parse, check, import, map, encode). */
import { analyzeSvgCore } from './analyze';

self.onmessage = (ev: MessageEvent<{ id: number; name: string; source: string; size: number }>) => {
  const { id, name, source, size } = ev.data;
  const core = analyzeSvgCore(name, source, size);
  const transfer: Transferable[] = [];
  if (core.envelope) transfer.push(core.envelope.buffer);
  (self as unknown as Worker).postMessage({ id, core }, transfer);
};
