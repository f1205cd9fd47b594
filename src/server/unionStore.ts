/**
 * Several ObjectStores seen as one (docs/laws.md O-DEMO): the first store that has an id
 * answers for it (its descriptor and its payloads), `list()` is the sorted union. `npm start`
 * serves the bundled demo folder together with the §15.14 compliance fixture set (held in
 * memory, never written to the repository), so `asx objects compliance` can be run against it.
 */
import type { Descriptor } from '../core/objects/descriptor.ts';
import type { ObjectStore } from '../core/objects/server.ts';
import type { PayloadInput } from '../core/objects/payload.ts';

export function unionStore(stores: readonly ObjectStore[]): ObjectStore {
  /** Which store answered for an id, so its payloads come from the same place. */
  const owner = new Map<string, ObjectStore>();
  const find = async (id: string, get: (s: ObjectStore) => ReturnType<ObjectStore['descriptor']>) => {
    for (const s of stores) {
      const d = await get(s);
      if (d !== null) { owner.set(id, s); return d; }
    }
    return null;
  };
  return {
    descriptor: (id) => find(id, (s) => s.descriptor(id)),
    // History where a store keeps it; otherwise the current descriptor, whose hash the core
    // compares with the pin (a mismatch is hash_not_found, as for a store without history).
    async descriptorAt(id, hash) {
      const old = await find(id, (s) => (s.descriptorAt ? s.descriptorAt(id, hash) : Promise.resolve(null)));
      return old ?? find(id, (s) => s.descriptor(id));
    },
    async payload(hash: string, d: Descriptor): Promise<PayloadInput | null> {
      const first = owner.get(d.id);
      if (first) return first.payload(hash, d);
      for (const s of stores) {
        const p = await s.payload(hash, d);
        if (p !== null) return p;
      }
      return null;
    },
    async list() {
      const all = new Set<string>();
      for (const s of stores) for (const id of (s.list ? await s.list() : [])) all.add(id);
      return [...all].sort();
    },
  };
}
