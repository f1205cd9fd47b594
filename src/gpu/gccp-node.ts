/**
 * WebGPU in Node through the `webgpu` package (Dawn). Here there is no GPU: Dawn reaches
 * SwiftShader through the Vulkan loader (Debian libvulkan1) and the ICD json the chromium
 * package ships. When VK_ICD_FILENAMES is unset and that json exists, it is used.
 * Never throws for an expected condition: no package, no loader, no adapter → a sentence.
 */
import { existsSync } from 'node:fs';
import { loadWgslFromDisk } from './wgsl-node.ts';

/** Adapter facts (smoke.ts has the same shape, but it imports WGSL with Vite's ?raw). */
export interface NodeAdapterSummary { vendor: string; architecture: string; isFallbackAdapter: boolean; label: string }

function summarizeAdapter(info: Partial<GPUAdapterInfo> | undefined): NodeAdapterSummary {
  const vendor = info?.vendor ?? '', architecture = info?.architecture ?? '', device = info?.device ?? '', description = info?.description ?? '';
  const isFallbackAdapter = info?.isFallbackAdapter ?? false;
  const words = [vendor, architecture, device].filter((w) => w !== '');
  const label = (words.length ? words.join(' ') : description || 'unknown adapter') + (isFallbackAdapter ? ' (fallback)' : '');
  return { vendor, architecture, isFallbackAdapter, label };
}

export const SWIFTSHADER_ICD = '/usr/lib/chromium/vk_swiftshader_icd.json';
export const VULKAN_LOADER = '/usr/lib/x86_64-linux-gnu/libvulkan.so.1';

export type NodeGpu = { ok: true; device: GPUDevice; adapter: NodeAdapterSummary; destroy(): void } | { ok: false; message: string };

let keep: unknown[] = [];

export async function acquireNodeGpu(): Promise<NodeGpu> {
  loadWgslFromDisk();
  if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  let mod: { create: (flags: string[]) => GPU; globals: Record<string, unknown> };
  try {
    mod = (await import('webgpu')) as unknown as typeof mod;
  } catch (e) {
    return { ok: false, message: `the webgpu package (Dawn) cannot be loaded: ${(e as Error).message}` };
  }
  Object.assign(globalThis, mod.globals);
  let adapter: GPUAdapter | null = null;
  try {
    const gpu = mod.create(['backend=vulkan']);
    keep.push(gpu);
    adapter = await gpu.requestAdapter();
  } catch (e) {
    return { ok: false, message: `WebGPU adapter request failed: ${(e as Error).message}` };
  }
  if (!adapter) {
    const why: string[] = [];
    if (!existsSync(VULKAN_LOADER)) why.push(`the Vulkan loader ${VULKAN_LOADER} is missing (run scripts/ensure-vulkan.sh)`);
    if (!process.env.VK_ICD_FILENAMES) why.push(`VK_ICD_FILENAMES is unset and ${SWIFTSHADER_ICD} does not exist (install Debian's chromium for SwiftShader)`);
    else if (!existsSync(process.env.VK_ICD_FILENAMES)) why.push(`VK_ICD_FILENAMES=${process.env.VK_ICD_FILENAMES} does not exist`);
    return { ok: false, message: `no WebGPU adapter is available in Node${why.length ? `: ${why.join('; ')}` : ' (Dawn found no Vulkan device)'}` };
  }
  const summary = summarizeAdapter(adapter.info);
  let device: GPUDevice;
  try {
    device = await adapter.requestDevice();
  } catch (e) {
    return { ok: false, message: `WebGPU device request failed on ${summary.label}: ${(e as Error).message}` };
  }
  return { ok: true, device, adapter: summary, destroy: () => { device.destroy(); keep = []; } };
}
