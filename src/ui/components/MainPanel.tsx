import { lazy, Suspense, useState } from 'react';
import { selectActiveFile, type OpenFile } from '../store';
import { useWorkbench, useWorkbenchStore } from '../StoreContext';
import { CompilePanel } from './CompilePanel';
import { DiffPanel } from './DiffPanel';
import { ErrorCard } from './ErrorCard';
import { LanesPanel } from './LanesPanel';
import { PackHead, PackView } from './PackView';
import { TrustPanel } from './TrustPanel';

const SvgPanel = lazy(() => import('../svg/SvgPanel'));
const GccpLab = lazy(() => import('../gccp/GccpLab'));
const TensorsPanel = lazy(() => import('../tensors/TensorsPanel'));
const ObjectsPanel = lazy(() => import('../objects/ObjectsPanel'));
const GymPanel = lazy(() => import('../gym/GymPanel'));
const InferPanel = lazy(() => import('../infer/InferPanel'));

function Empty() {
  return (
    <main className="main empty" data-testid="main-empty">
      <div className="empty-box">
        <h2>No pack open</h2>
        <p className="muted">Drop a <code>weights.v2c-bin</code> pack anywhere in this window, or use “Open…” (<kbd>o</kbd>). SVGs, SCXQ2 envelopes, lane-streams JSON and safetensors go to their own tabs.</p>
      </div>
    </main>
  );
}

function FilePanel({ file, render }: { file: OpenFile; render: (f: OpenFile) => React.ReactNode }) {
  const store = useWorkbenchStore();
  return (
    <main className="main">
      {file.status === 'loading' && <p className="muted loading" data-testid="loading">Opening {file.name}…</p>}
      {file.status === 'error' && file.error && <ErrorCard error={file.error} size={file.size} onDismiss={() => store.getState().closeFile(file.id)} />}
      {file.status === 'ready' && file.pack && render(file)}
    </main>
  );
}

export function MainPanel() {
  const panel = useWorkbench((s) => s.panel);
  // The compile panel stays mounted once opened, so the editor keeps its text and state.
  const [compileSeen, setCompileSeen] = useState(false);
  if (panel === 'compile' && !compileSeen) setCompileSeen(true);
  return (
    <>
      {compileSeen && (
        <main className="main main-fill" hidden={panel !== 'compile'}>
          <CompilePanel />
        </main>
      )}
      {panel !== 'compile' && <Panels />}
    </>
  );
}

function Panels() {
  const file = useWorkbench(selectActiveFile);
  const panel = useWorkbench((s) => s.panel);
  if (panel === 'svg' || panel === 'gccp') {
    return (
      <main className="main" data-testid={`panel-${panel}`}>
        <Suspense fallback={<p className="muted">Loading…</p>}>{panel === 'svg' ? <SvgPanel /> : <GccpLab />}</Suspense>
      </main>
    );
  }
  if (panel === 'tensors') {
    return (
      <main className="main" data-testid="panel-tensors">
        <Suspense fallback={<p className="muted">Loading…</p>}><TensorsPanel /></Suspense>
      </main>
    );
  }
  if (panel === 'objects') {
    return (
      <main className="main" data-testid="panel-objects">
        <Suspense fallback={<p className="muted">Loading…</p>}><ObjectsPanel /></Suspense>
      </main>
    );
  }
  if (panel === 'gym') {
    return (
      <main className="main" data-testid="panel-gym">
        <Suspense fallback={<p className="muted">Loading…</p>}><GymPanel /></Suspense>
      </main>
    );
  }
  if (panel === 'infer') {
    return (
      <main className="main" data-testid="panel-infer">
        <Suspense fallback={<p className="muted">Loading…</p>}><InferPanel /></Suspense>
      </main>
    );
  }
  if (panel === 'diff') return <main className="main"><DiffPanel /></main>;
  if (!file) return <Empty />;
  if (panel === 'lanes') {
    return <FilePanel file={file} render={(f) => (
      <div className="pack-view">
        <PackHead file={f} pack={f.pack!} />
        <LanesPanel key={f.id} file={f} pack={f.pack!} />
      </div>
    )} />;
  }
  if (panel === 'trust') return <FilePanel file={file} render={(f) => <TrustPanel key={f.id} file={f} pack={f.pack!} />} />;
  return <FilePanel file={file} render={(f) => <PackView file={f} pack={f.pack!} />} />;
}
