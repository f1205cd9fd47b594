/**
 * Messages between the UI and the verify worker (plain, structured-clonable). The worker gets
 * the pack's Blob (a File is a Blob: nothing is copied, the worker reads slices of it), opens it
 * with the core reader and runs the core's verifyPack: first the signature and merkle root
 * (no DATA read), then, when asked, every lane against its leaf hash with progress.
 */
import type { VerifyReport } from '../core/pack/verify';
import type { PayloadRef } from '../ui/lib/httpSource';

/** Which SHA-256 backend hashed the lane payloads, and the timings it was chosen by (L-HASH-CHOICE). */
export interface HashChoiceSummary {
  backend: string;
  /** Fastest round per candidate on the sample, ms. */
  ms: Record<string, number>;
  sample: { count: number; length: number };
}

export interface VerifyRequest {
  /** The pack: a Blob, or an object-server payload read by HTTP Range. */
  blob: PayloadRef;
  name: string;
  /** Also hash every lane payload (a full check); false = signature and root only. */
  lanes: boolean;
  /** Bytes per DATA read (default 4 MiB). */
  chunkBytes?: number;
}

export type VerifyMessage =
  /** Signature and root checked (no DATA read yet). */
  | { type: 'header'; report: VerifyReport }
  | { type: 'progress'; done: number; total: number }
  /** The final report (with lanes when they were asked for). */
  | { type: 'done'; report: VerifyReport; hash?: HashChoiceSummary; timing?: VerifyTiming };

/** Where a job's time went inside the worker, ms (performance.now() differences). */
export interface VerifyTiming {
  /** Reading header, DICT, INDEX and tail. */
  open: number;
  /** Signature and merkle root. */
  header: number;
  /** Timing the hash backends (L-HASH-CHOICE). */
  choose: number;
  /** Reading and hashing every lane payload. */
  lanes: number;
}
