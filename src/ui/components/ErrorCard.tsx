import { formatBytes, formatInt } from '../format';
import type { UiError } from '../store';

/** A failed open: code, sentence, offset, file. Never a stack trace. */
export function ErrorCard({ error, size, onDismiss }: { error: UiError; size?: number; onDismiss?: () => void }) {
  return (
    <div className="error-card" role="alert" data-testid="error-card" data-code={error.code}>
      <div className="error-head">
        <span className="error-code" data-testid="error-code">{error.code}</span>
        <span className="error-title">Could not open this file</span>
      </div>
      <p className="error-message">{error.message}</p>
      <dl className="error-where">
        <dt>File</dt>
        <dd data-testid="error-file">{error.file}</dd>
        {error.offset !== undefined && (
          <>
            <dt>Offset</dt>
            <dd data-testid="error-offset">byte {error.offset} (0x{error.offset.toString(16)})</dd>
          </>
        )}
        {error.bytesRead !== undefined && (
          <>
            <dt>Read</dt>
            <dd data-testid="error-bytes-read" data-bytes={error.bytesRead}>{formatInt(error.bytesRead)} bytes{size ? ` of ${formatBytes(size)}` : ''}</dd>
          </>
        )}
        {error.path !== undefined && (
          <>
            <dt>Path</dt>
            <dd>{error.path}</dd>
          </>
        )}
      </dl>
      <div className="row gap">
        <p className="muted small grow">Other open files are unaffected. The workbench opens weights.v2c-bin packs, safetensors, SVG-tensors, SCXQ2 envelopes and lane-streams JSON.</p>
        {onDismiss && <button type="button" className="btn btn-small" data-testid="error-dismiss" onClick={onDismiss}>Dismiss</button>}
      </div>
    </div>
  );
}
