import { useEffect, useState } from 'react';
import { DropTarget } from './components/DropTarget';
import { FilePicker } from './components/FilePicker';
import { GpuChip } from './components/GpuChip';
import { MainPanel } from './components/MainPanel';
import { Sidebar } from './components/Sidebar';
import { StatusBar } from './components/StatusBar';
import { Tabs } from './components/Tabs';
import { useGlobalKey } from './hooks';
import { formatHash, parseHash } from './lib/hash';
import { selectActiveFile } from './store';
import { useWorkbench, useWorkbenchStore } from './StoreContext';

/** Keep `#panel=…&lane=…` in the URL, and apply it on load and on back/forward. */
function useHashSync() {
  const store = useWorkbenchStore();
  const panel = useWorkbench((s) => s.panel);
  const lane = useWorkbench((s) => s.lane);
  const file = useWorkbench(selectActiveFile);
  const pending = useWorkbench((s) => s.pendingLaneId);
  const demoState = useWorkbench((s) => s.demoState);
  const [pendingDemo, setPendingDemo] = useState<string | null>(() => parseHash(window.location.hash).demo ?? null);
  const laneId = lane !== null && file?.pack ? file.pack.laneIds[lane] : undefined;
  const demo = file?.origin === 'demo' ? file.name : undefined;

  // A demo named in the hash is reopened once the demo list is known.
  useEffect(() => {
    if (!pendingDemo || demoState === 'idle' || demoState === 'loading') return;
    const s = store.getState();
    const entry = s.demos.find((d) => d.file === pendingDemo);
    setPendingDemo(null);
    if (!entry) return;
    const open = s.files.find((f) => f.name === entry.file && f.origin === 'demo');
    if (open) s.selectFile(open.id);
    else void s.openDemo(entry);
  }, [pendingDemo, demoState, store]);

  useEffect(() => {
    const apply = () => {
      const h = parseHash(window.location.hash);
      if (h.panel) store.getState().setPanel(h.panel);
      if (h.lane) store.getState().setPendingLaneId(h.lane);
    };
    apply();
    window.addEventListener('hashchange', apply);
    return () => window.removeEventListener('hashchange', apply);
  }, [store]);

  // A lane named in the hash is selected once the active pack has it.
  useEffect(() => {
    if (!pending || !file?.pack) return;
    const i = file.pack.laneIds.indexOf(pending);
    if (i >= 0) {
      store.getState().selectLane(i);
      store.getState().setPendingLaneId(null);
    }
  }, [pending, file, store]);

  useEffect(() => {
    if (pending || pendingDemo) return; // do not overwrite the hash before it has been applied
    const next = formatHash({ panel, demo, lane: laneId });
    if (next !== window.location.hash && !(next === '' && window.location.hash === '')) {
      history.replaceState(null, '', `${window.location.pathname}${window.location.search}${next}`);
    }
  }, [panel, laneId, pending, pendingDemo, demo]);
}

export function App() {
  const store = useWorkbenchStore();
  useHashSync();
  useGlobalKey((e) => {
    if (e.key === 'o') {
      e.preventDefault();
      document.querySelector<HTMLButtonElement>('[data-testid="open-button"]')?.click();
    } else if (e.key === 'd') {
      e.preventDefault();
      store.getState().setPanel('diff');
    } else if (e.key === '/' && store.getState().panel !== 'lanes') {
      e.preventDefault();
      store.getState().setPanel('lanes');
      setTimeout(() => window.dispatchEvent(new Event('asx:focus-filter')), 0);
    }
  }, [store]);
  const sidebarOpen = useWorkbench((s) => s.sidebarOpen);
  return (
    <div className="app">
      <header className="topbar">
        <button
          type="button"
          className="sidebar-toggle"
          data-testid="sidebar-toggle"
          aria-expanded={sidebarOpen}
          aria-controls="sidebar"
          title={sidebarOpen ? 'Hide the file list' : 'Show the file list'}
          onClick={() => store.getState().setSidebarOpen(!sidebarOpen)}
        >
          {sidebarOpen ? '⟨' : '☰'}
        </button>
        <span className="brand"><span className="brand-mark" aria-hidden="true">◆</span> ASX Workbench</span>
        <FilePicker />
        <Tabs />
        <span className="grow" />
        <GpuChip />
      </header>
      <div className={`body${sidebarOpen ? '' : ' sidebar-closed'}`}>
        <Sidebar />
        <MainPanel />
      </div>
      <StatusBar />
      <DropTarget />
    </div>
  );
}
