import { useRef, useState } from 'react';
import { fromHex, toHex } from '../../core/bytes/hex';
import { keyFingerprint } from '../../core/pack/sign';
import { verifyPack, type VerifyReport } from '../../core/pack/verify';
import { formatInt } from '../format';
import { usePackHandle } from '../hooks';
import { readFileBytes } from '../lib/download';
import { touch } from '../packRegistry';
import { useQuickVerify } from '../quickVerify';
import type { OpenFile, PackSummary } from '../store';
import { useWorkbench, useWorkbenchStore } from '../StoreContext';
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

export function TrustPanel({ file, pack }: { file: OpenFile; pack: PackSummary }) {
  const store = useWorkbenchStore();
  const { handle } = usePackHandle(pack.handle);
  const trusted = useWorkbench((s) => s.trustedKeys);
  const [full, setFull] = useState<VerifyReport | null>(null);
  const [progress, setProgress] = useState<{ done: number; total: number } | null>(null);
  const [keyMsg, setKeyMsg] = useState<string | null>(null);
  const keyInput = useRef<HTMLInputElement>(null);
  const trustedHex = trusted.map((t) => t.key);
  // Signature and root only: no DATA read.
  const quick = useQuickVerify(handle, trustedHex);

  if (!handle) return null;
  const runFull = async () => {
    setFull(null);
    setProgress({ done: 0, total: pack.header.laneCount });
    let last = 0;
    const report = await verifyPack(handle.reader, {
      trustedKeys: trustedHex.length ? trustedHex : undefined,
      chunkBytes: 1 << 20,
      onProgress: (done, total) => {
        const now = performance.now();
        if (now - last > 50 || done === total) {
          last = now;
          setProgress({ done, total });
          touch(handle.id);
        }
      },
    });
    touch(handle.id);
    setProgress(null);
    setFull(report);
  };
  const addKeyFile = async (f: File) => {
    const key = parsePublicKeyFile(await readFileBytes(f));
    if (!key) {
      setKeyMsg(`${f.name}: not a public key (expected 64 hex digits, 32 raw bytes or {"public_key": …})`);
      return;
    }
    store.getState().addTrustedKey(key, f.name);
    setKeyMsg(`Added ${keyFingerprint(fromHex(key)!)} from ${f.name}`);
  };
  const sig = quick?.signature ?? 'unsigned';
  const pub = quick?.publicKey ?? null;
  const isTrusted = !!pub && trustedHex.includes(pub);
  const sigLabel: Record<string, string> = {
    valid: isTrusted ? 'valid · trusted key' : 'valid',
    untrusted: 'valid signature · key not trusted',
    invalid: 'INVALID',
    unsigned: 'unsigned',
  };

  return (
    <div className="pack-view" data-testid="trust-panel" data-file={file.name}>
      <PackHead file={file} pack={pack} />
      <div className="grid2">
        <section className="panel">
          <header className="panel-head"><h3>Signature</h3></header>
          <div className="pad">
            <p>
              <span className={`badge sig-${sig}`} data-testid="sig-state" data-state={sig}>{quick ? sigLabel[sig] : 'checking…'}</span>
            </p>
            <dl className="kv">
              <dt>Fingerprint</dt>
              <dd className="mono" data-testid="sig-fingerprint">{quick?.fingerprint ?? '—'}</dd>
              <dt>Public key</dt>
              <dd className="mono hash">{pub ?? '—'}</dd>
              <dt>Merkle root</dt>
              <dd className="mono hash">{quick ? `${quick.root}${quick.rootHex ? ` · ${quick.rootHex}` : ''}` : '—'}</dd>
            </dl>
            <p className="muted small">The signature covers every byte except DATA; DATA is bound through the leaf hashes in INDEX, so checking it reads no lane.</p>
            {pub && !isTrusted && (
              <button type="button" className="btn" data-testid="trust-pack-key" onClick={() => store.getState().addTrustedKey(pub, `from ${file.name}`)}>Trust this pack's key</button>
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
            {keyMsg && <p className="small muted">{keyMsg}</p>}
          </div>
        </section>
      </div>
      <section className="panel">
        <header className="panel-head">
          <h3>Full verification</h3>
          <span className="muted small">signature, merkle root, and every lane payload against its leaf hash ({formatInt(pack.header.dataBytes)} bytes of DATA)</span>
          <span className="grow" />
          <button type="button" className="btn btn-primary btn-small" onClick={() => void runFull()} disabled={!!progress} data-testid="verify-full">Verify everything</button>
        </header>
        <div className="pad">
          {progress && (
            <div className="progress" data-testid="verify-progress">
              <div className="progress-bar" style={{ width: `${(100 * progress.done) / Math.max(1, progress.total)}%` }} />
              <span className="progress-text small">{formatInt(progress.done)} / {formatInt(progress.total)} lanes</span>
            </div>
          )}
          {full && (
            <div data-testid="verify-report" data-ok={full.ok ? 'true' : 'false'}>
              <p className={`verdict ${full.ok ? 'ok' : 'failed'}`} data-testid="verify-verdict">
                {full.ok ? `✓ Verified: signature ${full.signature}, root ${full.root}, ${formatInt(full.leavesChecked)} lanes match their leaf hashes` : `✗ Verification failed: ${full.issues.length} issue${full.issues.length === 1 ? '' : 's'}`}
              </p>
              {full.issues.length > 0 && (
                <table className="table" data-testid="verify-issues">
                  <thead><tr><th>Code</th><th className="num">Offset</th><th>Lane</th><th>Message</th></tr></thead>
                  <tbody>
                    {full.issues.slice(0, 200).map((i, k) => (
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
