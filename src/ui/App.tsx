import { DropTarget } from './components/DropTarget';
import { FilePicker } from './components/FilePicker';
import { GpuChip } from './components/GpuChip';
import { MainPanel } from './components/MainPanel';
import { Sidebar } from './components/Sidebar';
import { StatusBar } from './components/StatusBar';

export function App() {
  return (
    <div className="app">
      <header className="topbar">
        <span className="brand"><span className="brand-mark" aria-hidden="true">◆</span> ASX Workbench</span>
        <FilePicker />
        <span className="grow" />
        <GpuChip />
      </header>
      <div className="body">
        <Sidebar />
        <MainPanel />
      </div>
      <StatusBar />
      <DropTarget />
    </div>
  );
}
