/**
 * An `ObjectStore` over a folder (docs/laws.md O-STORE), laid out after OCI image layouts and
 * git's object database:
 *
 *   DIR/objects/<domain>/<name>[/<name>…].json   descriptor of object://<domain>/<name>…
 *   DIR/blobs/sha256/<64 lowercase hex>          payload bytes, named by their SHA-256
 *
 * Descriptors are small mutable pointers (an id → the hash it currently has); blobs are
 * immutable and content-addressed, so two objects with the same payload share one file and a
 * blob is verified by the core against its own name. File paths are built only from ids that
 * the core's `resolveRef` accepts (its segment rules refuse `..`, `%2e%2e`, `\`, absolute,
 * drive and UNC paths, NUL and Windows device names) and from `sha256:<hex>` hashes; every
 * file is then resolved with `realpath` and must lie inside the store's own real path, so a
 * symbolic link leading out of DIR is refused (reported as "no such object" / "payload
 * unavailable", never with the path). Symbolic links that stay inside DIR are followed.
 *
 * Payloads are ByteSources over file handles, read by range (never whole unless a
 * projection needs the whole payload). Open handles are pooled (LRU, `maxOpenFiles`); a
 * handle closed by the pool is reopened on the next read only if the file is still the same
 * one (device, inode, size, mtime), and every read checks the size and mtime again, so a blob
 * changed after it was verified fails its reads (503) instead of serving unverified bytes.
 */
import { open, readdir, realpath, type FileHandle } from 'node:fs/promises';
import { constants as FS } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import { AsxError } from '../core/errors.ts';
import type { ByteSource } from '../core/bytes/source.ts';
import { resolveRef, isCanonicalId, ID_SCHEME } from '../core/objects/identity.ts';
import { DESCRIPTOR_LIMITS } from '../core/objects/json.ts';
import type { ObjectStore } from '../core/objects/server.ts';

export const OBJECTS_DIR = 'objects';
export const BLOBS_DIR = join('blobs', 'sha256');
export const DESCRIPTOR_EXT = '.json';

export interface FolderStoreOptions {
  /** Descriptors larger than this are reported by size only (the core refuses them unread). */
  maxDescriptorBytes?: number;
  /** Open payload file handles kept at most (LRU). */
  maxOpenFiles?: number;
  /** `list()` stops after this many ids. */
  maxList?: number;
}

const NOFOLLOW = FS.O_NOFOLLOW ?? 0;

interface FileId { dev: number; ino: number; size: number; mtimeMs: number }

/** Thrown inside the store; the core replaces it by a fixed sentence (no path leaves). */
function unavailable(what: string): AsxError { return new AsxError('io_error', what); }

class BlobSource implements ByteSource {
  readonly name: string;
  fh: FileHandle | null;
  inflight = 0;
  constructor(readonly pool: HandlePool, readonly path: string, readonly size: number, readonly ident: FileId, fh: FileHandle, hash: string) {
    this.fh = fh;
    this.name = hash;
  }
  async read(offset: number, length: number): Promise<Uint8Array> {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > this.size) {
      throw new AsxError('truncated', `read of ${length} bytes at ${offset} is past the end of the ${this.size}-byte payload`, { offset });
    }
    this.inflight++;
    try {
      const fh = await this.handle();
      const st = await fh.stat();
      if (st.size !== this.ident.size || st.mtimeMs !== this.ident.mtimeMs) throw unavailable('the payload changed after it was opened');
      const buf = new Uint8Array(length);
      let got = 0;
      while (got < length) {
        const { bytesRead } = await fh.read(buf, got, length - got, offset + got);
        if (bytesRead === 0) throw new AsxError('truncated', 'payload shrank while reading', { offset: offset + got });
        got += bytesRead;
      }
      return buf;
    } finally {
      this.inflight--;
    }
  }
  private async handle(): Promise<FileHandle> {
    if (this.fh) { this.pool.touch(this); return this.fh; }
    let fh: FileHandle;
    try { fh = await open(this.path, FS.O_RDONLY | NOFOLLOW); } catch { throw unavailable('the payload could not be reopened'); }
    const st = await fh.stat();
    if (st.dev !== this.ident.dev || st.ino !== this.ident.ino || st.size !== this.ident.size || st.mtimeMs !== this.ident.mtimeMs) {
      await fh.close();
      throw unavailable('the payload changed after it was opened');
    }
    if (this.fh) { await fh.close(); return this.fh; } // opened concurrently
    this.fh = fh;
    await this.pool.add(this);
    return fh;
  }
  async close(): Promise<void> {
    const fh = this.fh;
    this.fh = null;
    if (fh) await fh.close().catch(() => undefined);
  }
}

class HandlePool {
  private readonly open = new Set<BlobSource>();
  constructor(readonly max: number) {}
  touch(s: BlobSource): void { this.open.delete(s); this.open.add(s); }
  async add(s: BlobSource): Promise<void> {
    this.touch(s);
    for (const old of this.open) {
      if (this.open.size <= this.max) break;
      if (old === s || old.inflight > 0) continue;
      this.open.delete(old);
      await old.close();
    }
  }
  async closeAll(): Promise<void> {
    const all = [...this.open];
    this.open.clear();
    await Promise.all(all.map((s) => s.close()));
  }
}

export class FolderStore implements ObjectStore {
  readonly root: string;
  private realRoot: string | null = null;
  private readonly pool: HandlePool;
  private readonly sources = new Map<string, BlobSource>();
  private readonly maxDescriptorBytes: number;
  private readonly maxList: number;

  constructor(dir: string, opts: FolderStoreOptions = {}) {
    this.root = resolve(dir);
    this.pool = new HandlePool(opts.maxOpenFiles ?? 64);
    this.maxDescriptorBytes = opts.maxDescriptorBytes ?? DESCRIPTOR_LIMITS.maxBytes;
    this.maxList = opts.maxList ?? 10_000;
  }

  private async rootReal(): Promise<string> {
    if (this.realRoot === null) this.realRoot = await realpath(this.root);
    return this.realRoot;
  }

  /** The real path of `rel` (segments under the root), or null when it is missing or leaves the store. */
  private async inside(parts: readonly string[]): Promise<string | null> {
    const root = await this.rootReal();
    let real: string;
    try { real = await realpath(join(root, ...parts)); } catch { return null; }
    return real.startsWith(root.endsWith(sep) ? root : root + sep) ? real : null;
  }

  /** Open a regular file inside the store, without following a final symlink. */
  private async openInside(parts: readonly string[]): Promise<{ fh: FileHandle; path: string; ident: FileId } | null> {
    const real = await this.inside(parts);
    if (real === null) return null;
    let fh: FileHandle;
    try { fh = await open(real, FS.O_RDONLY | NOFOLLOW); } catch { return null; }
    const st = await fh.stat();
    if (!st.isFile()) { await fh.close(); return null; }
    return { fh, path: real, ident: { dev: st.dev, ino: st.ino, size: st.size, mtimeMs: st.mtimeMs } };
  }

  /** Path segments of the descriptor file of a canonical id (the core's identity rules apply). */
  static descriptorParts(id: string): string[] {
    const ref = resolveRef(id);
    const segs = ref.id.slice(ID_SCHEME.length).split('/');
    segs[segs.length - 1] += DESCRIPTOR_EXT;
    return [OBJECTS_DIR, ...segs];
  }

  static blobParts(hash: string): string[] {
    const m = /^sha256:([0-9a-f]{64})$/.exec(hash);
    if (!m) throw unavailable('not a sha256 hash');
    return [BLOBS_DIR, m[1]!];
  }

  async descriptor(id: string): Promise<Uint8Array | ByteSource | null> {
    const f = await this.openInside(FolderStore.descriptorParts(id));
    if (!f) return null;
    try {
      const size = f.ident.size;
      if (size > this.maxDescriptorBytes) {
        // The core refuses it by size (descriptor_too_large) without reading.
        return { size, read: async () => { throw unavailable('descriptor too large'); } };
      }
      const buf = new Uint8Array(size);
      let got = 0;
      while (got < size) {
        const { bytesRead } = await f.fh.read(buf, got, size - got, got);
        if (bytesRead === 0) break;
        got += bytesRead;
      }
      return got === size ? buf : buf.subarray(0, got);
    } finally {
      await f.fh.close();
    }
  }

  async payload(hash: string): Promise<ByteSource | null> {
    const have = this.sources.get(hash);
    if (have) return have;
    const f = await this.openInside(FolderStore.blobParts(hash));
    if (!f) return null;
    const again = this.sources.get(hash);
    if (again) { await f.fh.close(); return again; }
    const src = new BlobSource(this.pool, f.path, f.ident.size, f.ident, f.fh, hash);
    this.sources.set(hash, src);
    // Bounded: forget the oldest source objects beyond 4 × the handle limit (they are closed).
    if (this.sources.size > this.pool.max * 4) {
      for (const [h, s] of this.sources) {
        if (this.sources.size <= this.pool.max * 4) break;
        if (s.inflight > 0 || s === src) continue;
        this.sources.delete(h);
        // The core may still cache this source; it reopens (after the identity check) when read.
        await s.close();
      }
    }
    await this.pool.add(src);
    return src;
  }

  /** Every id with a descriptor file (regular files only; symlinks are not listed), sorted. */
  async list(): Promise<string[]> {
    const out: string[] = [];
    const base = await this.inside([OBJECTS_DIR]);
    if (base === null) return out;
    const walk = async (dir: string, segs: string[]): Promise<void> => {
      if (segs.length >= 16 || out.length >= this.maxList) return;
      let entries;
      try { entries = await readdir(dir, { withFileTypes: true }); } catch { return; }
      entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
      for (const e of entries) {
        if (out.length >= this.maxList) return;
        if (e.isDirectory()) await walk(join(dir, e.name), [...segs, e.name]);
        else if (e.isFile() && e.name.endsWith(DESCRIPTOR_EXT) && segs.length >= 1) {
          const id = ID_SCHEME + [...segs, e.name.slice(0, -DESCRIPTOR_EXT.length)].join('/');
          if (isCanonicalId(id)) out.push(id);
        }
      }
    };
    await walk(base, []);
    return out.sort();
  }

  /** Close every open payload handle. */
  async close(): Promise<void> {
    this.sources.clear();
    await this.pool.closeAll();
  }
}

export function createFolderStore(dir: string, opts?: FolderStoreOptions): FolderStore {
  return new FolderStore(dir, opts);
}
