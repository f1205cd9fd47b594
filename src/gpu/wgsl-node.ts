/** Node (tsx, CLI, bench): register the shaders by reading shaders/*.wgsl next to this repo's src/. */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { registerWgsl, type ShaderName } from './wgsl.ts';

export function loadWgslFromDisk(): void {
  for (const name of ['gccp', 'svg_traverse'] as ShaderName[]) {
    const url = new URL(`../../shaders/${name}.wgsl`, import.meta.url);
    registerWgsl(name, readFileSync(fileURLToPath(url), 'utf8'));
  }
}
