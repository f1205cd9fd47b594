import { useWorkbench } from '../StoreContext';

const LABEL: Record<string, string> = {
  idle: 'WebGPU: …',
  checking: 'WebGPU: checking…',
  unavailable: 'WebGPU: unavailable',
  lost: 'WebGPU: device lost',
  failed: 'WebGPU: failed',
};

export function GpuChip() {
  const state = useWorkbench((s) => s.gpu.state);
  const adapter = useWorkbench((s) => s.gpu.adapter);
  const message = useWorkbench((s) => s.gpu.message);
  const text = state === 'ready' ? `WebGPU: ${adapter ?? 'ready'} ✓` : LABEL[state];
  return (
    <span className={`chip chip-gpu chip-${state}`} data-testid="gpu-chip" data-state={state} title={message} role="status">
      <span className="chip-dot" aria-hidden="true" />
      {text}
    </span>
  );
}
