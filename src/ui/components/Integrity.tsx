/**
 * Every integrity badge reads the one state the store keeps per pack (issue 8 item 2): the
 * Inspect banner, the Trust verdict, the sidebar dot and the status bar chip can never disagree.
 */
import { formatBytes, formatInt } from '../format';
import { integrityLabel, type HeaderCheck, type Integrity, type OpenFile } from '../store';
import { useWorkbench, useWorkbenchStore } from '../StoreContext';

/** Colour class of a state: ok (verified), warn (DATA not checked), busy, bad. */
export function integrityTone(i: Integrity | undefined): 'ok' | 'warn' | 'busy' | 'bad' {
  if (!i || i.state === 'checking' || i.state === 'verifying') return 'busy';
  if (i.state === 'verified') return 'ok';
  if (i.state === 'unchecked') return 'warn';
  return 'bad';
}

export function useTrusted(header: HeaderCheck | null | undefined): boolean {
  const keys = useWorkbench((s) => s.trustedKeys);
  return !!header?.publicKey && header.signature === 'valid' && keys.some((k) => k.key === header.publicKey);
}

function signatureText(h: HeaderCheck, trusted: boolean): string {
  if (h.signature === 'valid') return `signature valid (${h.fingerprint}${trusted ? ', trusted key' : ', key not trusted'})`;
  if (h.signature === 'invalid') return 'signature INVALID';
  return 'unsigned';
}

function rootText(h: HeaderCheck): string {
  return h.root === 'ok' ? 'merkle root ok' : h.root === 'failed' ? 'merkle root FAILS' : 'no merkle root';
}

/** Progress bar + cancel for a running DATA check. */
export function VerifyProgress({ file, integrity }: { file: OpenFile; integrity: Extract<Integrity, { state: 'verifying' }> }) {
  const store = useWorkbenchStore();
  const pct = (100 * integrity.done) / Math.max(1, integrity.total);
  return (
    <div className="progress-row">
      <div className="progress" data-testid="verify-progress" role="progressbar" aria-valuemin={0} aria-valuemax={100} aria-valuenow={Math.floor(pct)} aria-label="Verifying DATA">
        <div className="progress-bar" style={{ width: `${pct}%` }} />
        <span className="progress-text small">{formatInt(integrity.done)} / {formatInt(integrity.total)} lanes</span>
      </div>
      <button type="button" className="btn btn-small" data-testid="verify-cancel" onClick={() => store.getState().cancelIntegrity(file.id)}>Cancel</button>
    </div>
  );
}

/** The Inspect banner: what is known about this pack's bytes, in one line or one card. */
export function IntegrityBanner({ file }: { file: OpenFile }) {
  const store = useWorkbenchStore();
  const i = file.integrity;
  const header = i && 'header' in i ? i.header : null;
  const trusted = useTrusted(header);
  const dataBytes = file.pack?.header.dataBytes ?? 0;
  if (!i || i.state === 'checking') {
    return <p className="integrity muted small" data-testid="integrity" data-state="checking">Checking signature and merkle root…</p>;
  }
  if (i.state === 'failed') {
    return (
      <div className="error-card wide" role="alert" data-testid="integrity" data-state="failed">
        <div className="error-head">
          <span className="error-code" data-testid="integrity-code">{i.issues[0]?.code ?? 'failed'}</span>
          <span className="error-title">This pack fails verification</span>
        </div>
        {i.issues.slice(0, 6).map((x, k) => (
          <p key={k} className="error-message">{x.message}{x.offset !== undefined && <> — byte <span className="mono" data-testid="integrity-offset">{x.offset}</span></>}</p>
        ))}
        {i.issues.length > 6 && <p className="muted small">…and {formatInt(i.issues.length - 6)} more (see Trust).</p>}
        <p className="muted small">
          File {file.name}. Do not use its weights. Lanes can still be inspected;{' '}
          <button type="button" className="link" onClick={() => store.getState().setPanel('trust')}>see Trust</button> for every issue.
        </p>
      </div>
    );
  }
  const head = header ? `${signatureText(header, trusted)} · ${rootText(header)}` : '';
  return (
    <div className={`integrity small integrity-${integrityTone(i)}`} data-testid="integrity" data-state={i.state}>
      <span className={`dot ${integrityTone(i)}`} aria-hidden="true" />
      <span>
        {i.state === 'verified' && <><strong>Verified</strong>: {head}, all {formatInt(i.lanes)} lanes match their leaf hashes.</>}
        {i.state === 'unchecked' && <><strong>DATA not checked yet</strong>{i.cancelled ? ' (check cancelled)' : ''}: {head}; the {formatBytes(dataBytes).split(' (')[0]} of lane DATA are checked only lane by lane as you open them.</>}
        {i.state === 'verifying' && <><strong>Verifying DATA…</strong> {head}</>}
      </span>
      {i.state === 'unchecked' && (
        <button type="button" className="btn btn-small" data-testid="integrity-verify" onClick={() => store.getState().checkIntegrity(file.id, 'full')}>Verify DATA</button>
      )}
      {i.state === 'verifying' && <VerifyProgress file={file} integrity={i} />}
      <button type="button" className="link" onClick={() => store.getState().setPanel('trust')}>Trust…</button>
    </div>
  );
}

/** Status-bar chip for the active pack. */
export function IntegrityChip({ file }: { file: OpenFile }) {
  return (
    <span className={`integrity-chip ${integrityTone(file.integrity)}`} data-testid="status-integrity" data-state={file.integrity?.state ?? 'checking'}>
      <span className={`dot ${integrityTone(file.integrity)}`} aria-hidden="true" />
      {integrityLabel(file.integrity)}
    </span>
  );
}
