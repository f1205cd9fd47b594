/**
 * The SVG tab's jobs, run by the SVG worker (svg.worker.ts) or, where there is no Worker,
 * inline (client.ts). Each request is plain cloneable data; each result says which of its
 * buffers are transferred to the page instead of copied.
 */
import { buildPack } from '../../core/pack/build-pack';
import { streamsJson } from '../../core/svg/streams';
import { Scxq2Reader, verifyEnvelope, verifyScxq2Proof, type FullVerify } from '../../core/scxq2/envelope';
import { utf8 } from '../../core/bytes/utf8';
import type { LaneId } from '../../core/scxq2/lanes';
import { analyzeBlob, analyzeSvgText, errorInfo, sourceOf, streamsDoc, type Analysis, type AnalyzeOptions, type Stage, type StreamView, type SvgResult } from './analyze';

export type JobRequest =
  | { type: 'analyze'; file: Blob; name: string; dpr: number }
  | { type: 'inflate'; file: Blob; name: string; dpr: number }
  | { type: 'verify'; file: Blob; name: string }
  | { type: 'proof'; source: Blob | Uint8Array; name: string; lane: LaneId; index: number }
  | { type: 'pack'; streams: StreamView[] }
  | { type: 'streamsJson'; streams: StreamView[] };

export interface PackBuilt { lanes: number; dims: number; bytes: Uint8Array }

export interface JobResults {
  analyze: Analysis;
  inflate: SvgResult;
  verify: FullVerify;
  /** 'verified', or `code: message`. */
  proof: string;
  pack: PackBuilt;
  streamsJson: string;
}

/** Every buffer a result owns (deduplicated: transferring one twice is an error). */
export function transferables(result: unknown): Transferable[] {
  const out = new Set<Transferable>();
  const add = (v: unknown) => {
    if (ArrayBuffer.isView(v) && v.buffer instanceof ArrayBuffer) out.add(v.buffer);
    else if (typeof ImageBitmap !== 'undefined' && v instanceof ImageBitmap) out.add(v);
  };
  const r = result as Partial<SvgResult & PackBuilt> | null;
  if (!r || typeof r !== 'object') return [];
  add(r.bytes);
  if (r.kind === 'svg') {
    add(r.imported?.bytes);
    add(r.envelope);
    add(r.overlay);
    if (r.buffers) for (const v of Object.values(r.buffers)) add(v);
    for (const s of r.streams ?? []) add(s.samples);
  }
  return [...out];
}

export async function runJob(req: JobRequest, onStage: (s: Stage) => void): Promise<unknown> {
  const opts = (dpr: number): AnalyzeOptions => ({ dpr, onStage });
  switch (req.type) {
    case 'analyze':
      return analyzeBlob(req.file, req.name, opts(req.dpr));
    case 'inflate': {
      onStage('inflate');
      const reader = await Scxq2Reader.open(sourceOf(req.file, req.name));
      const inf = await reader.inflate();
      return analyzeSvgText(req.name.replace(/\.scxq2$/i, '') + '.svg', inf.text, utf8(inf.text).length, opts(req.dpr));
    }
    case 'verify':
      onStage('verify');
      return verifyEnvelope(sourceOf(req.file, req.name));
    case 'proof': {
      try {
        const reader = await Scxq2Reader.open(sourceOf(req.source, req.name));
        const proof = await reader.proof(req.lane, req.index);
        const chunk = await reader.chunk(req.lane, req.index);
        const r = verifyScxq2Proof(proof, chunk, proof.global_root);
        return r.ok ? 'verified' : `${r.code}: ${r.message}`;
      } catch (e) {
        const info = errorInfo(e);
        return `${info.code}: ${info.message}`;
      }
    }
    case 'pack': {
      const p = buildPack(streamsDoc(req.streams));
      return { lanes: p.ids.length, dims: p.dims, bytes: p.bytes } satisfies PackBuilt;
    }
    case 'streamsJson':
      return streamsJson(streamsDoc(req.streams)) + '\n';
  }
}
