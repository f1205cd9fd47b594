/**
 * Helpers the MX2LM benchmarks share (bench/infer.ts, bench/mx2lm-quality.ts,
 * bench/tune-collapse.ts): a payload read through the object server over an object folder
 * (verified: hash, format, invariants, §16 legality), and the whole-sentence prefixes of a split.
 */
import { createFolderStore } from '../src/server/folderStore.ts';
import { createObjectServer } from '../src/core/objects/server.ts';
import { parseDescriptor } from '../src/core/objects/descriptor.ts';

/** A verified payload and its descriptor, through the object server over the folder. */
export async function objectPayload(dir: string, id: string): Promise<{ bytes: Uint8Array; descriptor: Record<string, unknown> }> {
  const store = createFolderStore(dir);
  try {
    const got = await store.descriptor(id);
    const raw: Uint8Array | null = got === null || got instanceof Uint8Array ? got : await got.read(0, got.size);
    if (!raw) throw new Error(`${id} is not in ${dir} (build it with: npx asx mx2lm build --out ${dir})`);
    const d = parseDescriptor(raw, id) as unknown as Record<string, unknown>;
    const server = createObjectServer({ store });
    server.on(() => {});
    const r = await server.handle({ path: id, projection: 'payload' });
    if (!r.ok) throw new Error(`${id}: ${r.error.code}: ${r.error.message}`);
    const src = r.body;
    return { bytes: src instanceof Uint8Array ? src : await src.read(0, src.size), descriptor: d };
  } finally {
    await store.close();
  }
}

/** The first whole sentences whose predicted tokens (words + `</s>`) sum to at most n (at least one); null: all. */
export function firstTokens(sentences: string[][], n: number | null): string[][] {
  if (n === null) return sentences;
  let t = 0, i = 0;
  for (; i < sentences.length; i++) {
    const c = sentences[i].length + 1;
    if (i > 0 && t + c > n) break;
    t += c;
  }
  return sentences.slice(0, i);
}
