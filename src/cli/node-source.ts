/** ByteSource over a Node file handle: random-access reads, nothing read that is not asked for. */
import { readFileSync, readSync } from 'node:fs';
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { AsxError } from '../core/errors.ts';
import { CountingSource, type ByteSource } from '../core/bytes/source.ts';
import type { ByteSink } from '../core/pack/write-stream.ts';

export interface NodeFileSource extends ByteSource { close(): Promise<void> }

export async function openFileSource(path: string): Promise<NodeFileSource> {
  let fh: FileHandle;
  try {
    fh = await open(path, 'r');
  } catch (e) {
    throw new AsxError('io_error', `cannot open: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: path });
  }
  const st = await fh.stat();
  if (!st.isFile()) { await fh.close(); throw new AsxError('io_error', 'not a regular file', { file: path }); }
  const size = st.size;
  const name = basename(path);
  const fd = fh.fd;
  // Reads are synchronous (readSync on the handle's descriptor) behind the async interface:
  // a CLI process has nothing else to do meanwhile, and each thread-pool round trip costs a
  // wake-up that, on a loaded machine, can take longer than the read (docs/bench.md §3).
  const check = (offset: number, length: number): void => {
    if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
      throw new AsxError('truncated', `read of ${length} bytes at ${offset} is past the end of the ${size}-byte file`, { offset, file: name });
    }
  };
  const fill = (buf: Uint8Array, offset: number, length: number): Uint8Array => {
    let got = 0;
    while (got < length) {
      const n = readSync(fd, buf, got, length - got, offset + got);
      if (n === 0) throw new AsxError('truncated', 'file shrank while reading', { offset: offset + got, file: name });
      got += n;
    }
    return buf;
  };
  return {
    size,
    name,
    async read(offset, length) {
      check(offset, length);
      return fill(new Uint8Array(length), offset, length);
    },
    async readInto(offset, length, dst) {
      check(offset, length);
      if (length > dst.length) throw new AsxError('io_error', `read of ${length} bytes into a ${dst.length}-byte buffer`, { offset, file: name });
      return fill(dst, offset, length).subarray(0, length);
    },
    close: () => fh.close(),
  };
}

/**
 * Open a file lazily, run `open` then `fn` over a counting source, close it. Errors without
 * a file name get this one; `--stats` prints the bytes read on stderr.
 */
export async function withOpenedFile<R, T>(
  path: string,
  stats: boolean,
  err: (s: string) => void,
  open: (src: CountingSource) => Promise<R>,
  fn: (r: R, src: CountingSource) => Promise<T>,
): Promise<T> {
  const fsrc = await openFileSource(path);
  const src = new CountingSource(fsrc);
  try {
    const out = await fn(await open(src), src);
    if (stats) err(`asx: ${path}: read ${src.bytesRead} of ${src.size} bytes (${src.bytesTransferred} transferred) in ${src.reads} reads; peak memory ${peakMemoryMB()} MB\n`);
    return out;
  } catch (e) {
    if (e instanceof AsxError && !e.where.file) throw new AsxError(e.code, e.message, { ...e.where, file: path });
    throw e;
  } finally {
    await fsrc.close();
  }
}

/**
 * Peak resident memory of this process so far, in MB (10^6 bytes), for `--stats`. On Linux
 * from /proc/self/status VmHWM, which starts afresh at exec; getrusage's maxRSS (the fallback
 * elsewhere) keeps the parent's resident set from before the exec, so a small `asx` started by
 * a large process would report the parent's size.
 */
export function peakMemoryMB(): number {
  try {
    const m = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Math.round((Number(m[1]) * 1024) / 1e6);
  } catch { /* not Linux */ }
  return Math.round((process.resourceUsage().maxRSS * 1024) / 1e6);
}

export interface NodeFileSink extends ByteSink {
  /** Close and move the finished file into place. */
  commit(): Promise<void>;
  /** Close and remove the partial file (after a failure or cancel). */
  abort(): Promise<void>;
}

/**
 * Positional writes into `<path>.part`, renamed to `path` on commit: a failed or cancelled
 * write never leaves a half file under the real name.
 */
export async function openFileSink(path: string): Promise<NodeFileSink> {
  const part = `${path}.part`;
  let fh: FileHandle;
  try {
    fh = await open(part, 'w');
  } catch (e) {
    throw new AsxError('io_error', `cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: path });
  }
  let closed = false;
  const close = async () => { if (!closed) { closed = true; await fh.close(); } };
  return {
    async write(offset, bytes) {
      let done = 0;
      try {
        while (done < bytes.length) {
          const { bytesWritten } = await fh.write(bytes, done, bytes.length - done, offset + done);
          done += bytesWritten;
        }
      } catch (e) {
        throw new AsxError('io_error', `cannot write: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`, { file: path, offset: offset + done });
      }
    },
    async commit() { await close(); await rename(part, path); },
    async abort() { await close(); await unlink(part).catch(() => undefined); },
  };
}
