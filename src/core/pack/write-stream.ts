/**
 * The streaming `weights.v2c-bin` writer (issue 9: packs larger than memory). Same law and same
 * bytes as `encodePack` (write.ts): the plan comes from the lane ids alone, so DATA's offset is
 * known before any weight is read; lanes are read one at a time in DICT order (twice when
 * auto-tuning: the audit pass, then the quantize pass), quantized into a bounded chunk, hashed
 * and written at their final offset; header, DICT, INDEX and the tail sections are written last,
 * once every leaf hash is known. Memory holds one chunk, the DICT and INDEX, and 32 bytes a lane
 * — never DATA.
 */
import { AsxError } from '../errors.ts';
import { getHashBackend, type HashBackend } from '../hash/backend.ts';
import { classifyLane, type LaneClass } from './classes.ts';
import { AuditAccumulator, type PackAudit } from './audit.ts';
import {
  finishPack, planPack, quantScales, validateLaneWeights, writeLanePayload, type EncodeOptions, type PackPlan,
} from './write.ts';

/**
 * Lanes the writer pulls one at a time; `weights` may be called twice per lane (audit, then
 * quantize). The writer is done with one lane's weights before it asks for the next, so a
 * reader may hand back the same buffer every time (the CLI does: no allocation per lane).
 */
export interface LaneReader {
  /** Every lane id, in any order. */
  ids: readonly string[];
  dims: number;
  weights(id: string): Promise<ArrayLike<number>> | ArrayLike<number>;
}

/** Where the pack's bytes go: positional writes (a file handle, or memory in tests). */
export interface ByteSink {
  write(offset: number, bytes: Uint8Array): Promise<void>;
}

export interface StreamEncodeOptions extends EncodeOptions {
  /** DATA bytes per write (default 4 MiB; at least one lane). */
  chunkBytes?: number;
  /** SHA-256 backend for leaf hashes (default: the installed one). */
  hash?: HashBackend;
  /** Progress: which pass, lanes done, lanes in all. */
  onProgress?: (pass: 'audit' | 'data', done: number, total: number) => void;
  /** Checked between lanes: an aborted encode stops with `cancelled`. */
  signal?: AbortSignal;
}

export interface StreamEncodeResult {
  /** Bytes written in all (the file's size). */
  size: number;
  ids: string[];
  scales: Record<LaneClass, number>;
  auditScales: Record<LaneClass, number>;
  audit: PackAudit | null;
  /** The INDEX leaf hashes, 32 bytes a lane in DICT order. */
  leafFlat: Uint8Array;
  plan: PackPlan;
}

function checkAbort(signal?: AbortSignal): void {
  if (signal?.aborted) throw new AsxError('cancelled', 'the encode was cancelled');
}

export async function encodePackStream(lanes: LaneReader, sink: ByteSink, opts: StreamEncodeOptions = {}): Promise<StreamEncodeResult> {
  const dims = lanes.dims;
  const plan = planPack(lanes.ids, dims, opts);
  const n = plan.ids.length;
  const read = async (id: string): Promise<ArrayLike<number>> => {
    const W = await lanes.weights(id);
    validateLaneWeights(id, W, dims);
    return W;
  };

  let audit: PackAudit | null = null;
  // Without tuning the scales are fixed, so the audit rides along with the quantize pass.
  let alongside: AuditAccumulator | null = null;
  if (plan.audits) {
    const acc = new AuditAccumulator(plan.auditScales, n, plan.laneAuditIndices);
    if (plan.tune) {
      for (let i = 0; i < n; i++) {
        checkAbort(opts.signal);
        acc.add(i, plan.ids[i], await read(plan.ids[i]));
        opts.onProgress?.('audit', i + 1, n);
      }
      audit = acc.result();
    } else alongside = acc;
  }
  const scales = quantScales(plan, audit);

  const pl = plan.payloadBytes;
  const per = Math.max(1, Math.floor((opts.chunkBytes ?? 4 << 20) / pl));
  const chunk = new Uint8Array(Math.min(per, Math.max(1, n)) * pl);
  const leafFlat = new Uint8Array(32 * n);
  const hash = opts.hash ?? getHashBackend();
  let pendingWrite: Promise<void> | null = null;
  let spare = new Uint8Array(chunk.length);
  let cur = chunk;
  for (let i = 0; i < n; i += per) {
    const k = Math.min(per, n - i);
    for (let j = 0; j < k; j++) {
      checkAbort(opts.signal);
      const id = plan.ids[i + j];
      const W = await read(id);
      alongside?.add(i + j, id, W);
      writeLanePayload(W, scales[classifyLane(id)], dims, cur, j * pl);
    }
    await hash.sha256Batch(cur, 0, pl, pl, k, leafFlat, 32 * i);
    // One write in flight while the next chunk is filled (two buffers, swapped).
    if (pendingWrite) await pendingWrite;
    pendingWrite = sink.write(plan.dataStart + i * pl, cur.subarray(0, k * pl));
    [cur, spare] = [spare, cur];
    opts.onProgress?.('data', i + k, n);
  }
  if (pendingWrite) await pendingWrite;
  if (alongside) audit = alongside.result();

  const { head, tail } = finishPack(plan, scales, audit, leafFlat);
  await sink.write(0, head);
  await sink.write(plan.dataStart + plan.dataBytes, tail);
  return {
    size: head.length + plan.dataBytes + tail.length, ids: plan.ids, scales, auditScales: plan.auditScales,
    audit: plan.useAudit ? audit : null, leafFlat, plan,
  };
}

/** A sink into one growing buffer (tests and small packs). */
export function memorySink(): ByteSink & { bytes(): Uint8Array } {
  let buf = new Uint8Array(1024);
  let size = 0;
  return {
    async write(offset, bytes) {
      const end = offset + bytes.length;
      if (end > buf.length) {
        const next = new Uint8Array(Math.max(end, buf.length * 2));
        next.set(buf.subarray(0, size));
        buf = next;
      }
      buf.set(bytes, offset);
      size = Math.max(size, end);
    },
    bytes: () => buf.slice(0, size),
  };
}
