import { selectActiveFile } from '../store';
import { useWorkbench } from '../StoreContext';
import { ErrorCard } from './ErrorCard';
import { PackView } from './PackView';

export function MainPanel() {
  const file = useWorkbench(selectActiveFile);
  if (!file) {
    return (
      <main className="main empty" data-testid="main-empty">
        <div className="empty-box">
          <h2>No pack open</h2>
          <p className="muted">Drop a <code>weights.v2c-bin</code> pack anywhere in this window, or use “Open pack…”.</p>
        </div>
      </main>
    );
  }
  return (
    <main className="main">
      {file.status === 'loading' && <p className="muted loading" data-testid="loading">Opening {file.name}…</p>}
      {file.status === 'error' && file.error && <ErrorCard error={file.error} />}
      {file.status === 'ready' && file.pack && <PackView file={file} pack={file.pack} />}
    </main>
  );
}
