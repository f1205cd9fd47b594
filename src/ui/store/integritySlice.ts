/**
 * One integrity state per open pack, kept in the store, shown by every badge (Inspect banner,
 * Trust, sidebar dot, status bar). The checks themselves run elsewhere (a Web Worker in the app,
 * injected as `IntegrityRunner`); the slice only sequences them:
 *
 *   checking ─┬─ header fails ───────────────────────────────► failed
 *             ├─ file ≤ AUTO_VERIFY_BYTES ─► verifying n% ─┬──► verified
 *             │                                           └──► failed: code at offset
 *             └─ larger file ─► unchecked (DATA not read) ──(Verify everything)──► verifying …
 *   verifying ──(cancel)──► unchecked
 */
import type { StateCreator } from 'zustand';
// Type only: the store runs no core code, the runner (a worker) does.
import type { VerifyReport } from '../../core/pack/verify';
import type { HashChoiceSummary, VerifyTiming } from '../../worker/verifyProtocol';
import type { WorkbenchState } from './index';

/** Packs up to this size are fully verified on open, off the main thread. */
export const AUTO_VERIFY_BYTES = 16 << 20;

export interface IntegrityIssue { code: string; message: string; offset?: number; lane?: string }

/** What the signature and root check found (no DATA read). */
export interface HeaderCheck {
  signature: 'valid' | 'invalid' | 'unsigned';
  publicKey: string | null;
  fingerprint: string | null;
  root: 'ok' | 'failed' | 'absent';
  rootHex: string | null;
}

export type Integrity =
  | { state: 'checking' }
  | { state: 'unchecked'; header: HeaderCheck; cancelled?: boolean }
  | { state: 'verifying'; header: HeaderCheck; done: number; total: number }
  | { state: 'verified'; header: HeaderCheck; lanes: number; hash?: HashChoiceSummary; timing?: VerifyTiming }
  | { state: 'failed'; header: HeaderCheck | null; issues: IntegrityIssue[] };

/** What a check reports: the core's VerifyReport without the file name and read counter. */
export type RunnerReport = Omit<VerifyReport, 'file' | 'bytesRead' | 'issues'> & { issues: IntegrityIssue[]; hash?: HashChoiceSummary; timing?: VerifyTiming };

export interface IntegrityJob {
  /** Resolves with the final report; never rejects (a failure is a failed report). */
  done: Promise<RunnerReport>;
  cancel: () => void;
}

/** Runs a check of an open pack: `lanes` false = signature and root only. */
export type IntegrityRunner = (
  handleId: string,
  opts: { lanes: boolean },
  events: { onHeader: (r: RunnerReport) => void; onProgress: (done: number, total: number) => void },
) => IntegrityJob;

export interface IntegritySlice {
  /** Start the check that fits the file: full when small (or `full`), else signature and root. */
  checkIntegrity: (fileId: string, mode?: 'auto' | 'full') => void;
  cancelIntegrity: (fileId: string) => void;
  /**
   * A lane read while browsing failed its leaf hash: the pack is failed whatever its state
   * (a large pack's DATA is otherwise only checked lane by lane as it is viewed).
   */
  reportLaneIssue: (fileId: string, issue: IntegrityIssue) => void;
}

/** Issues shown per file at most (a pack with 65,535 bad lanes would otherwise flood the store). */
export const MAX_ISSUES = 200;

function headerOf(r: RunnerReport): HeaderCheck {
  return {
    signature: r.signature === 'untrusted' ? 'valid' : r.signature,
    publicKey: r.publicKey,
    fingerprint: r.fingerprint,
    root: r.root,
    rootHex: r.rootHex,
  };
}

/** Short text of a state for badges: `unchecked DATA`, `verifying 42%`, `verified`, `failed: code at offset`. */
export function integrityLabel(i: Integrity | undefined): string {
  if (!i || i.state === 'checking') return 'checking…';
  if (i.state === 'unchecked') return 'DATA not checked';
  if (i.state === 'verifying') return `verifying ${Math.floor((100 * i.done) / Math.max(1, i.total))}%`;
  if (i.state === 'verified') return 'verified';
  const first = i.issues[0];
  return first ? `failed: ${first.code}${first.offset !== undefined ? ` at byte ${first.offset.toLocaleString('en-US')}` : ''}` : 'failed';
}

export function createIntegritySlice(runner: IntegrityRunner | undefined): StateCreator<WorkbenchState, [], [], IntegritySlice> {
  const jobs = new Map<string, IntegrityJob>();
  return (set, get) => {
    const put = (fileId: string, integrity: Integrity) => {
      if (!get().files.some((f) => f.id === fileId)) return;
      set((s) => ({ files: s.files.map((f) => (f.id === fileId ? { ...f, integrity } : f)) }));
    };
    const current = (fileId: string) => get().files.find((f) => f.id === fileId);

    return {
      checkIntegrity: (fileId, mode = 'auto') => {
        const file = current(fileId);
        const handle = file?.pack?.handle;
        if (!runner || !file || file.status !== 'ready' || !handle) return;
        if (jobs.has(fileId)) return; // one check at a time per file
        const lanes = mode === 'full' || file.pack!.fileSize <= AUTO_VERIFY_BYTES;
        const prior = file.integrity && 'header' in file.integrity ? file.integrity.header : null;
        const total = file.pack!.header.laneCount;
        put(fileId, prior && lanes ? { state: 'verifying', header: prior, done: 0, total } : { state: 'checking' });
        let header: HeaderCheck | null = prior;
        const job = runner(handle, { lanes }, {
          onHeader: (r) => {
            header = headerOf(r);
            if (lanes && r.ok && jobs.get(fileId) === job) put(fileId, { state: 'verifying', header, done: 0, total });
          },
          onProgress: (done, t) => {
            if (header && jobs.get(fileId) === job) put(fileId, { state: 'verifying', header, done, total: t });
          },
        });
        jobs.set(fileId, job);
        void job.done.then((r) => {
          if (jobs.get(fileId) !== job) return; // cancelled or superseded
          jobs.delete(fileId);
          const h = header ?? headerOf(r);
          if (r.issues.length > 0 || !r.ok) {
            put(fileId, { state: 'failed', header: r.lanes > 0 || r.signature !== 'unsigned' || r.root !== 'absent' ? h : header, issues: r.issues.slice(0, MAX_ISSUES) });
          } else if (r.leaves === 'ok') {
            put(fileId, { state: 'verified', header: h, lanes: r.leavesChecked, ...(r.hash ? { hash: r.hash } : {}), ...(r.timing ? { timing: r.timing } : {}) });
          } else {
            put(fileId, { state: 'unchecked', header: h });
          }
        });
      },

      reportLaneIssue: (fileId, issue) => {
        const i = current(fileId)?.integrity;
        if (!i || i.state === 'checking') return; // the running check will find it too
        if (i.state === 'failed') {
          if (i.issues.some((x) => x.code === issue.code && x.offset === issue.offset) || i.issues.length >= MAX_ISSUES) return;
          put(fileId, { ...i, issues: [...i.issues, issue] });
          return;
        }
        put(fileId, { state: 'failed', header: i.header, issues: [issue] });
      },

      cancelIntegrity: (fileId) => {
        const job = jobs.get(fileId);
        if (!job) return;
        jobs.delete(fileId);
        job.cancel();
        const f = current(fileId);
        const i = f?.integrity;
        if (i && i.state === 'verifying') put(fileId, { state: 'unchecked', header: i.header, cancelled: true });
        else if (i && i.state === 'checking') set((s) => ({ files: s.files.map((x) => (x.id === fileId ? { ...x, integrity: undefined } : x)) }));
      },
    };
  };
}
