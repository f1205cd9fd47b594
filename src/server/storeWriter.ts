/**
 * Writes an object folder (docs/laws.md O-STORE) from descriptors and payloads: the blob
 * `blobs/sha256/<hex>` named by the payload's SHA-256, and the descriptor
 * `objects/<domain>/<name>.json` with `hash` and `payload.size` filled in from the bytes.
 * Output is deterministic (entries sorted by id, descriptors as 2-space JSON with a final
 * newline), so a committed store can be checked against what the code builds.
 */
import { createHash } from 'node:crypto';
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AsxError } from '../core/errors.ts';
import { resolveRef } from '../core/objects/identity.ts';
import { parseDescriptor } from '../core/objects/descriptor.ts';
import { BLOBS_DIR, DESCRIPTOR_EXT, OBJECTS_DIR } from './folderStore.ts';

export interface StoreEntry {
  /** Canonical id, `object://<domain>/<name>…`. */
  id: string;
  /** The descriptor without `hash` (filled in here); `payload.size` is set from the bytes. */
  descriptor: Record<string, unknown>;
  payload: Uint8Array;
}

export interface WrittenObject { id: string; hash: string; size: number; descriptorPath: string; blobPath: string }

/** The descriptor as stored: `hash` after `id`, `payload.size` from the bytes. Throws a typed error if the result is not a valid object.v1. */
export function finishDescriptor(e: StoreEntry): { json: string; hash: string } {
  const hex = createHash('sha256').update(e.payload).digest('hex');
  const hash = `sha256:${hex}`;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(e.descriptor)) {
    if (k === 'hash') continue;
    out[k] = k === 'payload' && v && typeof v === 'object' ? { ...(v as object), size: e.payload.length } : v;
    if (k === 'id') out.hash = hash;
  }
  if (out.id !== e.id) throw new AsxError('usage', `descriptor id ${JSON.stringify(out.id)} is not the entry's id ${e.id}`);
  const json = `${JSON.stringify(out, null, 2)}\n`;
  parseDescriptor(new TextEncoder().encode(json)); // refuses anything the server would refuse
  return { json, hash };
}

/**
 * Write `entries` into `dir`. With `clean`, `dir/objects` and `dir/blobs` are emptied first
 * (nothing else in `dir` is touched), so objects removed from the set disappear.
 */
export async function writeObjectStore(dir: string, entries: readonly StoreEntry[], opts: { clean?: boolean } = {}): Promise<WrittenObject[]> {
  if (opts.clean) {
    await rm(join(dir, OBJECTS_DIR), { recursive: true, force: true });
    await rm(join(dir, 'blobs'), { recursive: true, force: true });
  }
  const seen = new Set<string>();
  const written: WrittenObject[] = [];
  for (const e of [...entries].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))) {
    const ref = resolveRef(e.id);
    if (ref.id !== e.id) throw new AsxError('usage', `not a canonical object id: ${e.id} (canonical: ${ref.id})`);
    if (seen.has(e.id)) throw new AsxError('usage', `two entries with the id ${e.id}`);
    seen.add(e.id);
    const { json, hash } = finishDescriptor(e);
    const rel = e.id.slice('object://'.length);
    const descriptorPath = join(dir, OBJECTS_DIR, ...rel.split('/')) + DESCRIPTOR_EXT;
    const blobPath = join(dir, BLOBS_DIR, hash.slice('sha256:'.length));
    await mkdir(dirname(descriptorPath), { recursive: true });
    await mkdir(dirname(blobPath), { recursive: true });
    await writeFile(blobPath, e.payload);
    await writeFile(descriptorPath, json);
    written.push({ id: e.id, hash, size: e.payload.length, descriptorPath, blobPath });
  }
  return written;
}
