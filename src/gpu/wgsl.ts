/**
 * WGSL sources by name, so the pipeline modules run unchanged in Vite (browser, vitest)
 * and in plain Node (tsx, the CLI, the benchmark). A host registers the text once:
 * `./wgsl-vite.ts` through Vite's `?raw` imports, `./wgsl-node.ts` by reading shaders/.
 */
export type ShaderName = 'gccp' | 'svg_traverse';

const sources = new Map<ShaderName, string>();

export function registerWgsl(name: ShaderName, code: string): void {
  sources.set(name, code);
}

export function wgsl(name: ShaderName): string {
  const s = sources.get(name);
  if (s === undefined) throw new Error(`WGSL source "${name}" is not registered (import src/gpu/wgsl-vite.ts in the browser or call loadWgslFromDisk() in Node)`);
  return s;
}

export function hasWgsl(name: ShaderName): boolean {
  return sources.has(name);
}
