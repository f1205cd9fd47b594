/**
 * Node glue for the WebGPU SHA-256 (sha256.ts): registers shaders/sha256.wgsl from disk and
 * acquires a Dawn device through gccp-node.ts (SwiftShader here). `nodeSha256Device` throws
 * NoGpuAdapterError (code 'no_gpu') with the reason when there is no adapter.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { acquireNodeGpu, type NodeAdapterSummary } from './gccp-node.ts';
import { NoGpuAdapterError, setSha256Wgsl } from './sha256.ts';

export const SHA256_WGSL_PATH = fileURLToPath(new URL('../../shaders/sha256.wgsl', import.meta.url));

export function loadSha256Wgsl(): string {
  const code = readFileSync(SHA256_WGSL_PATH, 'utf8');
  setSha256Wgsl(code);
  return code;
}

export async function nodeSha256Device(): Promise<{ device: GPUDevice; adapter: NodeAdapterSummary; destroy(): void }> {
  loadSha256Wgsl();
  const gpu = await acquireNodeGpu();
  if (!gpu.ok) throw new NoGpuAdapterError(gpu.message);
  return { device: gpu.device, adapter: gpu.adapter, destroy: gpu.destroy };
}
