/**
 * Node glue for the WebGPU integer matrix product (intmatmul.ts): registers
 * shaders/intmatmul.wgsl from disk. Devices come from gccp-node.ts (`acquireNodeGpu`, Dawn on
 * SwiftShader here); Dawn's GPU object for the WGSL language features from `nodeGpuLanguageFeatures`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { SWIFTSHADER_ICD } from './gccp-node.ts';
import { setIntMatmulWgsl } from './intmatmul.ts';

export const INTMATMUL_WGSL_PATH = fileURLToPath(new URL('../../shaders/intmatmul.wgsl', import.meta.url));

export function loadIntMatmulWgsl(): string {
  const code = readFileSync(INTMATMUL_WGSL_PATH, 'utf8');
  setIntMatmulWgsl(code);
  return code;
}

/** Dawn's `wgslLanguageFeatures` (empty when the webgpu package cannot be loaded). */
export async function nodeGpuLanguageFeatures(): Promise<ReadonlySet<string>> {
  if (!process.env.VK_ICD_FILENAMES && existsSync(SWIFTSHADER_ICD)) process.env.VK_ICD_FILENAMES = SWIFTSHADER_ICD;
  try {
    const mod = (await import('webgpu')) as unknown as { create: (flags: string[]) => GPU };
    return new Set(mod.create(['backend=vulkan']).wgslLanguageFeatures ?? []);
  } catch {
    return new Set();
  }
}
