/**
 * Random-access byte sources for the lazy pack reader: `read(offset, length)` over an
 * in-memory buffer, a Blob/File (via `slice`, so a 2 GiB file is never read whole), or a
 * Node file handle (that adapter lives in src/cli, since src/core imports nothing from Node).
 */
import { AsxError } from '../errors.ts';

export interface ByteSource {
  readonly size: number;
  readonly name?: string;
  read(offset: number, length: number): Promise<Uint8Array>;
}

function checkRange(size: number, offset: number, length: number, name?: string): void {
  if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
    throw new AsxError('truncated', `read of ${length} bytes at ${offset} is past the end of the ${size}-byte file`, { offset, file: name });
  }
}

export function bytesSource(input: Uint8Array | ArrayBuffer, name?: string): ByteSource {
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  return {
    size: bytes.length,
    name,
    async read(offset, length) {
      checkRange(bytes.length, offset, length, name);
      return bytes.subarray(offset, offset + length);
    },
  };
}

export function blobSource(blob: Blob, name?: string): ByteSource {
  return {
    size: blob.size,
    name,
    async read(offset, length) {
      checkRange(blob.size, offset, length, name);
      try {
        return new Uint8Array(await blob.slice(offset, offset + length).arrayBuffer());
      } catch (e) {
        throw new AsxError('io_error', `could not read the file: ${(e as Error).message}`, { offset, file: name });
      }
    },
  };
}

/** Wraps a source and counts the bytes actually read (the UI's "bytes read of file size"). */
export class CountingSource implements ByteSource {
  bytesRead = 0;
  reads = 0;
  constructor(private readonly inner: ByteSource) {}
  get size(): number { return this.inner.size; }
  get name(): string | undefined { return this.inner.name; }
  async read(offset: number, length: number): Promise<Uint8Array> {
    const b = await this.inner.read(offset, length);
    this.bytesRead += b.length;
    this.reads++;
    return b;
  }
}
