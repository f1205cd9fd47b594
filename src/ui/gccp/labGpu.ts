/**
 * The lab's own WebGPU device (separate from the start-up smoke device) and the helpers
 * the lab and the e2e harness share. Missing navigator.gpu, no adapter and a lost device
 * all come back as a state with a sentence, never as an exception.
 */
import '../../gpu/wgsl-vite';
import { acquireGpu, browserGpu } from '../../gpu/smoke';
import { GccpGpu, gpuBackend } from '../../gpu/gccp';
import { cpuExactBackend } from '../../core/gccp/backend';
import { runConformance, type ConformanceReport, type ConformanceOptions } from '../../core/gccp/conformance';

export type LabGpuState =
  | { state: 'checking' }
  | { state: 'ready'; gpu: GccpGpu; label: string }
  | { state: 'unavailable' | 'failed' | 'lost'; message: string };

export async function acquireLabGpu(onLost: (message: string) => void): Promise<LabGpuState> {
  const got = await acquireGpu(browserGpu(), (message) => onLost(`${message}. Reload the page to get a new device.`));
  if (!got.ok) return { state: got.reason === 'no-webgpu' || got.reason === 'no-adapter' ? 'unavailable' : 'failed', message: got.message };
  try {
    const gpu = new GccpGpu(got.device);
    await gpu.pipelinesFor({ '@pi_profile': 'warmup', epsilon: 0.1745329, suppress_k: 0.25, rotation: 0 });
    return { state: 'ready', gpu, label: got.adapter.label };
  } catch (e) {
    return { state: 'failed', message: `π-GCCP pipelines failed: ${e instanceof Error ? e.message : String(e)}` };
  }
}

export interface LabConformance { cpu: ConformanceReport; gpu: ConformanceReport | null; gpuMessage: string | null }

export async function labConformance(gpu: LabGpuState, opts: ConformanceOptions = {}): Promise<LabConformance> {
  const cpu = await runConformance(cpuExactBackend, opts);
  if (gpu.state !== 'ready') return { cpu, gpu: null, gpuMessage: gpu.state === 'checking' ? 'WebGPU is still starting' : gpu.message };
  const r = await runConformance(gpuBackend(gpu.gpu, gpu.label), opts);
  return { cpu, gpu: r, gpuMessage: null };
}

/** Compact, serializable verdicts (for tests and badges). */
export function verdicts(r: ConformanceReport): Record<string, { pass: boolean; tests: Array<{ name: string; pass: boolean; detail: string }> }> {
  const out: Record<string, { pass: boolean; tests: Array<{ name: string; pass: boolean; detail: string }> }> = {};
  for (const l of r.levels) out[l.level] = { pass: l.pass, tests: l.tests.map((t) => ({ name: t.name, pass: t.pass, detail: t.detail })) };
  return out;
}
