/**
 * The store `npm start` serves (docs/laws.md O-DEMO): the bundled demo folder, then the §15.14
 * compliance fixture set held in memory (object://compliance/…, never written to the
 * repository), so `asx objects compliance` reaches Full against the workbench's own server.
 */
import { createFolderStore } from './folderStore.ts';
import { unionStore } from './unionStore.ts';
import { fixtureStore } from '../core/objects/compliance-fixtures.ts';
import type { ObjectStore } from '../core/objects/server.ts';

export async function workbenchObjectStore(dir: string): Promise<{ store: ObjectStore; close(): Promise<void> }> {
  const folder = createFolderStore(dir);
  return { store: unionStore([folder, await fixtureStore()]), close: () => folder.close() };
}
