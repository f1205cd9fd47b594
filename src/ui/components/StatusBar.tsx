import { formatBytes, formatInt, percent } from '../format';
import { selectActiveFile } from '../store';
import { useWorkbench } from '../StoreContext';
import { IntegrityChip } from './Integrity';
import { useBytesRead } from './PackView';
import type { PackSummary } from '../store';

export function StatusBar() {
  const file = useWorkbench(selectActiveFile);
  const count = useWorkbench((s) => s.files.length);
  const gpuMessage = useWorkbench((s) => s.gpu.message);
  const gpuState = useWorkbench((s) => s.gpu.state);
  let fileText = 'No file';
  if (file?.status === 'ready' && file.pack) {
    fileText = '';
  } else if (file?.status === 'loading') {
    fileText = `${file.name}: opening…`;
  } else if (file?.status === 'error') {
    fileText = `${file.name}: ${file.error?.code ?? 'error'}`;
  }
  return (
    <footer className="statusbar" data-testid="statusbar">
      {file?.status === 'ready' && file.pack ? <LiveBytes name={file.name} pack={file.pack} /> : <span data-testid="status-bytes">{fileText}</span>}
      {file?.status === 'ready' && <><span className="sep" /><IntegrityChip file={file} /></>}
      <span className="sep" />
      <span>{count} open</span>
      {file && file.status !== 'error' && <span className="muted">{formatBytes(file.size)}</span>}
      <span className="grow" />
      <span className={`gpu-line gpu-${gpuState}`} data-testid="status-gpu" title={gpuMessage}>{gpuMessage}</span>
    </footer>
  );
}

function LiveBytes({ name, pack }: { name: string; pack: PackSummary }) {
  const read = useBytesRead(pack);
  return (
    <span data-testid="status-bytes" data-bytes={read}>
      {name}: read {formatInt(read)} of {formatInt(pack.fileSize)} bytes ({percent(read, pack.fileSize)})
    </span>
  );
}
