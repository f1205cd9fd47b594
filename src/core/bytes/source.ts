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
  /**
   * Optional: read `length` bytes at `offset` into `dst` (length ≤ dst.length) and return
   * dst.subarray(0, length). Lets a long scan (a full verify's DATA) reuse two buffers instead
   * of a fresh one per chunk; sources without it are read with `read`.
   */
  readInto?(offset: number, length: number, dst: Uint8Array): Promise<Uint8Array>;
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

/**
 * Disjoint, sorted byte ranges [start, end) with their total length: adding a range merges
 * it with every range it touches, so re-reading bytes never counts them twice.
 */
export class RangeSet {
  private starts: number[] = [];
  private ends: number[] = [];
  /** Bytes covered by the union of every range added. */
  covered = 0;

  get count(): number { return this.starts.length; }

  add(start: number, end: number): void {
    if (!(end > start)) return;
    const { starts, ends } = this;
    // First range whose end reaches `start` (ranges that merely touch are merged too).
    let lo = 0;
    let hi = starts.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (ends[mid] < start) lo = mid + 1;
      else hi = mid;
    }
    let j = lo;
    let s = start;
    let e = end;
    let removed = 0;
    while (j < starts.length && starts[j] <= end) {
      s = Math.min(s, starts[j]);
      e = Math.max(e, ends[j]);
      removed += ends[j] - starts[j];
      j++;
    }
    starts.splice(lo, j - lo, s);
    ends.splice(lo, j - lo, e);
    this.covered += e - s - removed;
  }

  /** The ranges as [start, end) pairs, ascending. */
  toArray(): Array<[number, number]> {
    return this.starts.map((s, i) => [s, this.ends[i]]);
  }
}

/**
 * Wraps a source and counts what was read: `bytesRead` is the number of distinct bytes of
 * the file read so far (overlapping and repeated reads count once, so it never exceeds the
 * file size: the UI's "read N of M bytes"); `bytesTransferred` is the raw I/O total.
 */
export class CountingSource implements ByteSource {
  reads = 0;
  bytesTransferred = 0;
  private readonly ranges = new RangeSet();
  readInto?: (offset: number, length: number, dst: Uint8Array) => Promise<Uint8Array>;
  constructor(private readonly inner: ByteSource) {
    // Only when the inner source has it: a copy here would cost more than a fresh buffer.
    const into = inner.readInto?.bind(inner);
    if (into) {
      this.readInto = async (offset, length, dst) => {
        const b = await into(offset, length, dst);
        this.count(offset, b.length);
        return b;
      };
    }
  }
  private count(offset: number, n: number): void {
    this.ranges.add(offset, offset + n);
    this.bytesTransferred += n;
    this.reads++;
  }
  get size(): number { return this.inner.size; }
  get name(): string | undefined { return this.inner.name; }
  get bytesRead(): number { return this.ranges.covered; }
  async read(offset: number, length: number): Promise<Uint8Array> {
    const b = await this.inner.read(offset, length);
    this.count(offset, b.length);
    return b;
  }
}
