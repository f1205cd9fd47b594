/**
 * The store `npm start` serves (docs/laws.md O-DEMO): the bundled demo folder, then the MX2LM
 * Brown object set (brownStore.ts, docs/laws.md MX2LM-OBJECTS: listed at once, built in memory
 * on first use; a committed object with the same id in the folder wins), then the §15.14
 * compliance fixture set held in memory (object://compliance/…, never written to the
 * repository), so `asx objects compliance` reaches Full against the workbench's own server.
 */
import { createFolderStore } from './folderStore.ts';
import { unionStore } from './unionStore.ts';
import { fixtureStore } from '../core/objects/compliance-fixtures.ts';
import { brownStore, type BrownStoreOptions } from './brownStore.ts';
import type { ObjectStore } from '../core/objects/server.ts';

export async function workbenchObjectStore(dir: string, brown: BrownStoreOptions = {}): Promise<{ store: ObjectStore; close(): Promise<void> }> {
  const folder = createFolderStore(dir);
  return { store: unionStore([folder, brownStore(brown), await fixtureStore()]), close: () => folder.close() };
}
