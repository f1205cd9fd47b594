import { formatBytes, formatInt, percent } from '../format';
import { selectActiveFile } from '../store';
import { useWorkbench } from '../StoreContext';

export function StatusBar() {
  const file = useWorkbench(selectActiveFile);
  const count = useWorkbench((s) => s.files.length);
  const gpuMessage = useWorkbench((s) => s.gpu.message);
  const gpuState = useWorkbench((s) => s.gpu.state);
  let fileText = 'No file';
  if (file?.status === 'ready' && file.pack) {
    const p = file.pack;
    fileText = `${file.name}: read ${formatInt(p.bytesRead)} of ${formatInt(p.fileSize)} bytes (${percent(p.bytesRead, p.fileSize)})`;
  } else if (file?.status === 'loading') {
    fileText = `${file.name}: opening…`;
  } else if (file?.status === 'error') {
    fileText = `${file.name}: ${file.error?.code ?? 'error'}`;
  }
  return (
    <footer className="statusbar" data-testid="statusbar">
      <span data-testid="status-bytes">{fileText}</span>
      <span className="sep" />
      <span>{count} open</span>
      {file && file.status !== 'error' && <span className="muted">{formatBytes(file.size)}</span>}
      <span className="grow" />
      <span className={`gpu-line gpu-${gpuState}`} data-testid="status-gpu" title={gpuMessage}>{gpuMessage}</span>
    </footer>
  );
}
