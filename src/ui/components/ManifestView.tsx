import { useMemo, useState } from 'react';
import { prettyJson, prettyJsonTokens } from '../format';
import { downloadBlob } from '../lib/download';

/** Above this size the manifest is shown re-indented but without token colours. */
const HIGHLIGHT_LIMIT = 256 * 1024;

export function ManifestView({ json, fileName }: { json: string; fileName?: string }) {
  const [copied, setCopied] = useState(false);
  const body = useMemo(() => {
    if (json.length > HIGHLIGHT_LIMIT) return prettyJson(json);
    return prettyJsonTokens(json).map((t, i) =>
      t.kind === 'space' || t.kind === 'punct' ? t.text : <span key={i} className={`j-${t.kind}`}>{t.text}</span>,
    );
  }, [json]);
  const copy = () => {
    void navigator.clipboard?.writeText(json).then(
      () => {
        setCopied(true);
        setTimeout(() => setCopied(false), 1200);
      },
      () => setCopied(false),
    );
  };
  return (
    <section className="panel manifest">
      <header className="panel-head">
        <h3>Manifest</h3>
        <span className="muted small">canonical JSON, {json.length.toLocaleString('en-US')} chars</span>
        <span className="grow" />
        <button type="button" className="btn btn-small" onClick={copy} title="Copy the canonical (compact) JSON">
          {copied ? 'Copied' : 'Copy JSON'}
        </button>
        <button
          type="button"
          className="btn btn-small"
          data-testid="manifest-download"
          onClick={() => downloadBlob(json, `${(fileName ?? 'pack').replace(/\.v2c\.bin$|\.bin$/, '')}.manifest.json`, 'application/json')}
          title="Download the canonical JSON"
        >
          Download
        </button>
      </header>
      <pre className="json" data-testid="manifest-json" data-json={json}>{body}</pre>
    </section>
  );
}
