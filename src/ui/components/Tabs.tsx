import type { Panel } from '../store';
import { useWorkbench, useWorkbenchStore } from '../StoreContext';

export const TAB_LABELS: Array<{ panel: Panel; label: string; key?: string }> = [
  { panel: 'overview', label: 'Inspect' },
  { panel: 'lanes', label: 'Lanes' },
  { panel: 'trust', label: 'Trust' },
  { panel: 'diff', label: 'Diff & merge', key: 'd' },
  { panel: 'compile', label: 'Compile' },
  { panel: 'svg', label: 'SVG' },
  { panel: 'gccp', label: 'π-GCCP' },
  { panel: 'tensors', label: 'Tensors' },
  { panel: 'objects', label: 'Objects' },
  { panel: 'gym', label: 'Gym' },
  { panel: 'infer', label: 'Inference' },
];

export function Tabs() {
  const store = useWorkbenchStore();
  const panel = useWorkbench((s) => s.panel);
  return (
    <nav className="tabs" role="tablist" aria-label="Panels">
      {TAB_LABELS.map((t) => (
        <button
          key={t.panel}
          type="button"
          role="tab"
          aria-selected={panel === t.panel}
          className={`tab${panel === t.panel ? ' on' : ''}`}
          onClick={() => store.getState().setPanel(t.panel)}
          data-testid={`tab-${t.panel}`}
          title={t.key ? `${t.label} (${t.key})` : t.label}
        >
          {t.label}
        </button>
      ))}
    </nav>
  );
}
