import { useShallow } from 'zustand/react/shallow';
import { formatBytes } from '../format';
import { integrityLabel } from '../store';
import { integrityTone } from './Integrity';
import { useWorkbench, useWorkbenchStore } from '../StoreContext';

function FileItem({ id }: { id: string }) {
  const store = useWorkbenchStore();
  const file = useWorkbench((s) => s.files.find((f) => f.id === id));
  const active = useWorkbench((s) => s.activeId === id);
  if (!file) return null;
  return (
    <li
      className={`file-item${active ? ' active' : ''} status-${file.status}`}
      data-testid="file-item"
      data-name={file.name}
      data-status={file.status}
    >
      <button
        type="button"
        className="file-select"
        data-testid="file-select"
        aria-current={active ? 'true' : undefined}
        onClick={() => store.getState().selectFile(id)}
        title={`${file.name} — ${formatBytes(file.size)}`}
      >
        <span
          className={`status-dot ${file.status}${file.status === 'ready' ? ` integrity-${integrityTone(file.integrity)}` : ''}`}
          data-testid="file-integrity"
          data-state={file.status === 'ready' ? file.integrity?.state ?? 'checking' : file.status}
          title={file.status === 'ready' ? integrityLabel(file.integrity) : file.status}
          aria-label={file.status === 'ready' ? integrityLabel(file.integrity) : file.status}
          role="img"
        />
        <span className="file-name">{file.name}</span>
        {file.origin === 'unsaved' && <span className="file-unsaved" title="Not saved: use Download .v2c.bin">unsaved</span>}
        {file.origin === 'remote' && <span className="file-unsaved" data-testid="file-remote" title="Read by HTTP Range from the object server">server</span>}
        <span className="file-meta">{file.status === 'error' ? file.error?.code : formatBytes(file.size).split(' (')[0]}</span>
      </button>
      <button type="button" className="file-close" aria-label={`Close ${file.name}`} onClick={() => store.getState().closeFile(id)}>
        ×
      </button>
    </li>
  );
}

export function Sidebar() {
  const store = useWorkbenchStore();
  const ids = useWorkbench(useShallow((s) => s.files.map((f) => f.id)));
  const demos = useWorkbench((s) => s.demos);
  const demoState = useWorkbench((s) => s.demoState);
  const demoMessage = useWorkbench((s) => s.demoMessage);
  return (
    <nav className="sidebar" id="sidebar" aria-label="Files">
      <section className="files-section">
        <h2 className="section-title">Open files <span className="count">{ids.length}</span></h2>
        {ids.length === 0 ? (
          <p className="muted small">Nothing open. Drop a file anywhere or use “Open…”.</p>
        ) : (
          <ul className="file-list" data-testid="file-list">
            {ids.map((id) => <FileItem key={id} id={id} />)}
          </ul>
        )}
      </section>
      <section className="demos-section">
        <h2 className="section-title">Demo packs</h2>
        {demoState === 'ready' ? (
          <ul className="demo-list" data-testid="demo-list">
            {demos.map((d) => (
              <li key={d.file}>
                <button type="button" className="demo-item" onClick={() => void store.getState().openDemo(d)} title={d.file}>
                  <span className="demo-title">{d.title}</span>
                  <span className="demo-file">{d.file}</span>
                </button>
              </li>
            ))}
          </ul>
        ) : (
          <p className={`small ${demoState === 'error' ? 'text-error' : 'muted'}`} data-testid="demo-status">{demoMessage}</p>
        )}
      </section>
    </nav>
  );
}
