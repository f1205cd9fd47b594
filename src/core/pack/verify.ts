/**
 * Verification returns a result, not an exception (packs spec §3 "partial verification",
 * addenda 5, 6). Checks: the signature over every byte but DATA (no DATA read needed), the
 * merkle root over INDEX leaf hashes, and — for a full verify — each lane payload against
 * its leaf hash, streamed in bounded chunks with progress.
 */
import { AsxError, type AsxErrorCode } from '../errors.ts';
import { bytesEqual, toHex } from '../bytes/hex.ts';
import { getHashBackend, type HashBackend } from '../hash/backend.ts';
import { signatureMessage, verifyMessage, verifyMessageAsync, keyFingerprint } from './sign.ts';
import type { PackReader } from './read.ts';

export interface VerifyIssue { code: AsxErrorCode; message: string; offset?: number; lane?: string }

export interface VerifyReport {
  file?: string;
  ok: boolean;
  lanes: number;
  leaves: 'ok' | 'failed' | 'skipped';
  leavesChecked: number;
  root: 'ok' | 'failed' | 'absent';
  rootHex: string | null;
  signature: 'valid' | 'invalid' | 'unsigned' | 'untrusted';
  publicKey: string | null;
  fingerprint: string | null;
  issues: VerifyIssue[];
  bytesRead?: number;
}

export interface VerifyOptions {
  /** Read and hash every lane payload (default true). */
  lanes?: boolean;
  /** Hex public keys the signature must come from; when given, other keys are 'untrusted'. */
  trustedKeys?: string[];
  /** Require a signature (unsigned is then a failure). */
  requireSignature?: boolean;
  /** Progress in [0, 1] while lanes are hashed. */
  onProgress?: (done: number, total: number) => void;
  /** Bytes per DATA read (default 1 MiB for sources with readInto, else 4 MiB). */
  chunkBytes?: number;
  /** SHA-256 backend for the leaf hashes (default: the one installed with setHashBackend). */
  hash?: HashBackend;
  /**
   * The signature's validity as already checked on this same reader (the browser worker's
   * header pass): not checked twice. Only the caller that ran checkSignatureAsync passes it.
   */
  signatureValid?: boolean;
}

export function checkSignature(r: PackReader): boolean {
  if (!r.signature || !r.publicKey) return false;
  return verifyMessage(r.signature, signatureMessage(r.head, r.tailBeforeSig), r.publicKey);
}

/**
 * checkSignature with native SHA-512 where the platform has Web Crypto, and a backend's native
 * Ed25519 (when it has one) as a faster way to accept: same verdict (sign.ts).
 */
export async function checkSignatureAsync(r: PackReader, backend?: HashBackend): Promise<boolean> {
  if (!r.signature || !r.publicKey) return false;
  const native = backend?.ed25519Verify?.bind(backend);
  return verifyMessageAsync(r.signature, signatureMessage(r.head, r.tailBeforeSig), r.publicKey, native);
}

export async function verifyPack(r: PackReader, opts: VerifyOptions = {}): Promise<VerifyReport> {
  const file = r.source.name;
  const sigSection = r.sections.find((s) => s.name === 'SIGNATURE');
  // Signature: header, DICT, INDEX, QSCALE, AUDIT, MERKLE, with no DATA read. Started first
  // and awaited last: its SHA-512 over every byte but DATA runs in Web Crypto (off this
  // thread where the platform has it) while the root and the leaves are hashed here. The
  // report is the same as checking it first: its issue comes first, the cap counts it.
  const backend = opts.hash ?? getHashBackend();
  const sigCheck = r.signature ? (opts.signatureValid !== undefined ? Promise.resolve(opts.signatureValid) : checkSignatureAsync(r, backend)) : null;
  sigCheck?.catch(() => undefined); // awaited below; a throw in between must not leave it unhandled

  // Root over the INDEX leaves (computed once per reader; the manifest reuses it).
  const rootIssues: VerifyIssue[] = [];
  const computed = r.computedRoot();
  let root: VerifyReport['root'] = 'absent';
  if (r.merkleRoot) {
    if (computed && bytesEqual(computed, r.merkleRoot)) root = 'ok';
    else {
      root = 'failed';
      rootIssues.push({ code: 'root_mismatch', message: 'the MERKLE root does not match the INDEX leaf hashes', offset: r.sections.find((s) => s.name === 'MERKLE')?.offset });
    }
  }

  // Leaves: stream DATA in chunks of whole lanes, the next read under way while a chunk is
  // hashed; each chunk's digests go in one batch call into one buffer, compared with INDEX.
  const leafIssues: VerifyIssue[] = [];
  let leavesState: VerifyReport['leaves'] = 'skipped';
  let checked = 0;
  if (opts.lanes ?? true) {
    leavesState = 'ok';
    const n = r.header.laneCount;
    const pl = r.laneBytes;
    const into = r.source.readInto?.bind(r.source);
    // Default chunk: 1 MiB into reused buffers (stays in cache between the read and the hash;
    // little memory), 4 MiB for sources that hand out a fresh buffer per read (fewer reads).
    const per = Math.max(1, Math.floor((opts.chunkBytes ?? (into ? 1 << 20 : 4 << 20)) / Math.max(1, pl)));
    const digests = new Uint8Array(32 * Math.min(per, n));
    const flat = r.leafHashFlat;
    // Sources that can read into a given buffer get two, used in turn: the next chunk is read
    // into one while the other is hashed, and a buffer is refilled only after its chunk's
    // digests are done (no fresh multi-MiB buffer, zeroed and faulted in, per chunk).
    const bufs: Uint8Array[] = [];
    let turn = 0;
    const readChunk = (i: number) => {
      const len = Math.min(per, n - i) * pl;
      let p: Promise<Uint8Array>;
      if (into) {
        const b = (bufs[turn] ??= new Uint8Array(Math.min(per, n) * pl));
        turn ^= 1;
        p = into(r.dataStart + i * pl, len, b);
      } else p = r.source.read(r.dataStart + i * pl, len);
      p.catch(() => undefined); // a failed read ahead is rethrown where it is awaited
      return p;
    };
    let pending = n > 0 ? readChunk(0) : null;
    for (let i = 0; i < n; i += per) {
      const k = Math.min(per, n - i);
      const at = r.dataStart + i * pl;
      const chunk = await pending!;
      pending = i + per < n ? readChunk(i + per) : null;
      await backend.sha256Batch(chunk, 0, pl, pl, k, digests, 0);
      for (let j = 0; j < k; j++) {
        const d = 32 * j, f = 32 * (i + j);
        let same = true;
        for (let b = 0; b < 32; b++) if (digests[d + b] !== flat[f + b]) { same = false; break; }
        if (!same) {
          leavesState = 'failed';
          if (leafIssues.length < 1000) leafIssues.push({ code: 'leaf_mismatch', message: `lane ${r.symOf(i + j)} (${r.ids[i + j]}) does not match its leaf hash`, offset: at + j * pl, lane: r.ids[i + j] });
        }
        checked++;
      }
      opts.onProgress?.(checked, n);
    }
  }

  const issues: VerifyIssue[] = [];
  let signature: VerifyReport['signature'] = 'unsigned';
  if (sigCheck) {
    if (await sigCheck) {
      const pub = toHex(r.publicKey!);
      signature = opts.trustedKeys && !opts.trustedKeys.map((k) => k.toLowerCase()).includes(pub) ? 'untrusted' : 'valid';
      if (signature === 'untrusted') issues.push({ code: 'bad_signature', message: `signed by key ${pub}, which is not trusted`, offset: sigSection?.offset });
    } else {
      signature = 'invalid';
      issues.push({ code: 'bad_signature', message: 'the Ed25519 signature does not match the pack bytes', offset: sigSection?.offset });
    }
  } else if (opts.requireSignature) issues.push({ code: 'unsigned', message: 'the pack carries no signature' });
  issues.push(...rootIssues);
  // At most 1,000 issues in all, as when each was pushed in check order.
  for (const x of leafIssues) if (issues.length < 1000) issues.push(x);
  return {
    file, ok: issues.length === 0, lanes: r.header.laneCount, leaves: leavesState, leavesChecked: checked, root,
    rootHex: computed ? toHex(computed) : null, signature,
    publicKey: r.publicKey ? toHex(r.publicKey) : null, fingerprint: r.publicKey ? keyFingerprint(r.publicKey) : null, issues,
  };
}

/** Turn a thrown open error into a failed report (for multi-file verification). */
export function failedReport(e: unknown, file?: string): VerifyReport {
  const err = e instanceof AsxError ? e : new AsxError('io_error', String((e as Error)?.message ?? e));
  return { file, ok: false, lanes: 0, leaves: 'skipped', leavesChecked: 0, root: 'absent', rootHex: null, signature: 'unsigned', publicKey: null, fingerprint: null, issues: [{ code: err.code, message: err.message, offset: err.where.offset }] };
}
