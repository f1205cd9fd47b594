import { useRef, useState } from 'react';
import { fromHex, toHex } from '../../core/bytes/hex';
import { keyFingerprint } from '../../core/pack/sign';
import { formatInt } from '../format';
import { readFileBytes } from '../lib/download';
import { integrityLabel, type OpenFile, type PackSummary } from '../store';
import { MAX_ISSUES } from '../store/integritySlice';
import { useWorkbench, useWorkbenchStore } from '../StoreContext';
import { integrityTone, VerifyProgress } from './Integrity';
import { PackHead } from './PackView';

/** A public key from a key file: 64 hex digits, 32 raw bytes, or `asx key gen`'s JSON line. */
export function parsePublicKeyFile(bytes: Uint8Array): string | null {
  if (bytes.length === 32) return toHex(bytes);
  const text = new TextDecoder().decode(bytes).trim();
  try {
    const j = JSON.parse(text) as { public_key?: unknown; publicKey?: unknown };
    const k = typeof j.public_key === 'string' ? j.public_key : typeof j.publicKey === 'string' ? j.publicKey : null;
    if (k && fromHex(k)?.length === 32) return k.toLowerCase();
  } catch {
    // not JSON
  }
  const b = fromHex(text);
  return b && b.length === 32 ? toHex(b) : null;
}

/** A backend's name as a person reads it. */
function hashBackendLabel(name: string): string {
  return name === 'js' ? 'the built-in SHA-256' : name.startsWith('webcrypto') ? 'Web Crypto' : name;
}

export function TrustPanel({ file, pack }: { file: OpenFile; pack: PackSummary }) {
  const store = useWorkbenchStore();
  const trusted = useWorkbench((s) => s.trustedKeys);
  const [keyMsg, setKeyMsg] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  const keyInput = useRef<HTMLInputElement>(null);
  const trustedHex = trusted.map((t) => t.key);
  const integrity = file.integrity;
  const header = integrity && 'header' in integrity ? integrity.header : null;
  const tone = integrityTone(integrity);

  const addKeyFile = async (f: File) => {
    const key = parsePublicKeyFile(await readFileBytes(f));
    if (!key) {
      setKeyMsg(`${f.name}: not a public key (expected 64 hex digits, 32 raw bytes or {"public_key": …})`);
      return;
    }
    const fp = keyFingerprint(fromHex(key)!);
    const existing = trusted.find((t) => t.key === key);
    if (existing) {
      setKeyMsg(`${fp} is already trusted (as “${existing.label}”); nothing changed.`);
      return;
    }
    store.getState().addTrustedKey(key, f.name);
    setKeyMsg(`Added ${fp} from ${f.name}`);
  };
  const sig = header?.signature ?? null;
  const pub = header?.publicKey ?? null;
  const isTrusted = !!pub && sig === 'valid' && trustedHex.includes(pub);
  const sigState = sig === 'valid' && pub && trustedHex.length > 0 && !isTrusted ? 'untrusted' : sig;
  const sigLabel: Record<string, string> = {
    valid: isTrusted ? 'valid · trusted key' : 'valid',
    untrusted: 'valid signature · key not trusted',
    invalid: 'INVALID',
    unsigned: 'unsigned',
  };
  const issues = integrity?.state === 'failed' ? integrity.issues : [];

  return (
    <div className="pack-view" data-testid="trust-panel" data-file={file.name}>
      <PackHead file={file} pack={pack} />
      <section className="panel">
        <div className="pad trust-verdict">
          <span className={`verdict-badge ${tone}`} data-testid="trust-verdict" data-state={integrity?.state ?? 'checking'}>
            <span className={`dot ${tone}`} aria-hidden="true" />
            {integrity?.state === 'verified' ? `verified${isTrusted ? ' · trusted key' : ''}` : integrityLabel(integrity)}
          </span>
          <span className="muted small">
            {integrity?.state === 'verified' && 'Signature, merkle root and every lane payload check out.'}
            {integrity?.state === 'failed' && 'Do not use this pack: some of its bytes are not what was signed.'}
            {integrity?.state === 'unchecked' && 'The signature and merkle root check out, but lane DATA has not been hashed yet.'}
            {(integrity?.state === 'verifying' || integrity?.state === 'checking' || !integrity) && 'Checking…'}
          </span>
        </div>
      </section>
      <div className="grid2">
        <section className="panel">
          <header className="panel-head"><h3>Signature</h3><span className="muted small">header, DICT, INDEX and tail</span></header>
          <div className="pad">
            <p>
              <span className={`badge sig-${sigState ?? 'unsigned'}`} data-testid="sig-state" data-state={sigState ?? 'checking'}>{sigState ? sigLabel[sigState] : 'checking…'}</span>
            </p>
            <dl className="kv">
              <dt>Fingerprint</dt>
              <dd className="mono" data-testid="sig-fingerprint">{header?.fingerprint ?? '—'}</dd>
              <dt>Public key</dt>
              <dd className="mono hash">{pub ?? '—'}</dd>
              <dt>Merkle root</dt>
              <dd className="mono hash">{header ? `${header.root}${header.rootHex ? ` · ${header.rootHex}` : ''}` : '—'}</dd>
            </dl>
            <p className="muted small">The signature covers every byte except DATA; DATA is bound through the leaf hashes in INDEX, which “Verify everything” checks lane by lane.</p>
            {pub && sig === 'valid' && !isTrusted && !confirming && (
              <button type="button" className="btn" data-testid="trust-pack-key" onClick={() => setConfirming(true)}>Trust this pack's key…</button>
            )}
            {pub && confirming && !isTrusted && (
              <div className="confirm" role="alertdialog" aria-labelledby="trust-confirm-text" data-testid="trust-confirm">
                <p id="trust-confirm-text">
                  This trusts <strong>whoever made this file</strong>: the key comes from the pack itself, so a forged pack carries its forger's key.
                  Trust it only if the fingerprint below matches one its author gave you another way.
                </p>
                <p className="mono" data-testid="trust-confirm-fingerprint">{header?.fingerprint}</p>
                <div className="row gap">
                  <button type="button" className="btn btn-primary btn-small" data-testid="trust-confirm-yes" onClick={() => {
                    store.getState().addTrustedKey(pub, `from ${file.name}`);
                    setConfirming(false);
                    setKeyMsg(`Trusted ${header?.fingerprint} (from ${file.name}).`);
                  }}>Trust this key</button>
                  <button type="button" className="btn btn-small" data-testid="trust-confirm-no" onClick={() => setConfirming(false)}>Cancel</button>
                </div>
              </div>
            )}
          </div>
        </section>
        <section className="panel">
          <header className="panel-head"><h3>Trusted keys</h3><span className="muted small">kept in this browser</span></header>
          <div className="pad">
            {trusted.length === 0 ? <p className="muted small">No trusted keys yet.</p> : (
              <ul className="keylist" data-testid="trusted-keys">
                {trusted.map((t) => (
                  <li key={t.key}>
                    <span className="mono">{keyFingerprint(fromHex(t.key)!)}</span>
                    <span className="muted small ellipsis">{t.label}</span>
                    {t.key === pub && <span className="tag">this pack</span>}
                    <button type="button" className="file-close" aria-label={`Remove key ${t.label}`} onClick={() => store.getState().removeTrustedKey(t.key)}>×</button>
                  </li>
                ))}
              </ul>
            )}
            <button type="button" className="btn" onClick={() => keyInput.current?.click()}>Add public key file…</button>
            <input ref={keyInput} type="file" hidden data-testid="trust-key-input" onChange={(e) => { const f = e.currentTarget.files?.[0]; e.currentTarget.value = ''; if (f) void addKeyFile(f); }} />
            {keyMsg && <p className="small muted" data-testid="key-message">{keyMsg}</p>}
          </div>
        </section>
      </div>
      <section className="panel">
        <header className="panel-head">
          <h3>Full verification</h3>
          <span className="muted small">signature, merkle root, and every lane payload against its leaf hash ({formatInt(pack.header.dataBytes)} bytes of DATA), in a background worker</span>
          <span className="grow" />
          <button
            type="button"
            className="btn btn-primary btn-small"
            onClick={() => store.getState().checkIntegrity(file.id, 'full')}
            disabled={integrity?.state === 'verifying' || integrity?.state === 'checking' || integrity?.state === 'verified'}
            data-testid="verify-full"
          >
            {integrity?.state === 'verified' ? 'Verified' : 'Verify everything'}
          </button>
        </header>
        <div className="pad">
          {integrity?.state === 'verifying' && <VerifyProgress file={file} integrity={integrity} />}
          {integrity?.state === 'unchecked' && <p className="muted small" data-testid="verify-pending">Lane DATA not checked yet{integrity.cancelled ? ' (the last check was cancelled)' : ''}.</p>}
          {(integrity?.state === 'verified' || integrity?.state === 'failed') && (
            <div data-testid="verify-report" data-ok={integrity.state === 'verified' ? 'true' : 'false'}>
              <p className={`verdict ${integrity.state === 'verified' ? 'ok' : 'failed'}`} data-testid="verify-verdict">
                {integrity.state === 'verified'
                  ? `✓ Verified: signature ${header?.signature}, root ${header?.root}, ${formatInt(integrity.lanes)} lanes match their leaf hashes`
                  : `✗ Verification failed: ${formatInt(issues.length)}${issues.length >= MAX_ISSUES ? '+' : ''} issue${issues.length === 1 ? '' : 's'}`}
              </p>
              {integrity.state === 'verified' && integrity.hash && (
                <p className="muted small" data-testid="verify-hash" data-backend={integrity.hash.backend}>
                  Payloads hashed with {hashBackendLabel(integrity.hash.backend)}, the fastest here on {formatInt(integrity.hash.sample.count)} messages of {formatInt(integrity.hash.sample.length)} bytes
                  {' '}({Object.entries(integrity.hash.ms).filter(([, v]) => Number.isFinite(v)).map(([k, v]) => `${hashBackendLabel(k)} ${v.toFixed(1)} ms`).join(', ')}).
                </p>
              )}
              {issues.length > 0 && (
                <table className="table" data-testid="verify-issues">
                  <thead><tr><th>Code</th><th className="num">Byte offset</th><th>Lane</th><th>Message</th></tr></thead>
                  <tbody>
                    {issues.map((i, k) => (
                      <tr key={k}>
                        <td><span className="error-code" data-testid="issue-code">{i.code}</span></td>
                        <td className="num mono" data-testid="issue-offset">{i.offset ?? '—'}</td>
                        <td className="mono">{i.lane ?? ''}</td>
                        <td>{i.message}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              )}
            </div>
          )}
        </div>
      </section>
    </div>
  );
}
