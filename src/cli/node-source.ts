/** ByteSource over a Node file handle: random-access reads, nothing read that is not asked for. */
import { open, type FileHandle } from 'node:fs/promises';
import { basename } from 'node:path';
import { AsxError } from '../core/errors.ts';
import { CountingSource, type ByteSource } from '../core/bytes/source.ts';

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
  return {
    size,
    name,
    async read(offset, length) {
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > size) {
        throw new AsxError('truncated', `read of ${length} bytes at ${offset} is past the end of the ${size}-byte file`, { offset, file: name });
      }
      const buf = new Uint8Array(length);
      let got = 0;
      while (got < length) {
        const { bytesRead } = await fh.read(buf, got, length - got, offset + got);
        if (bytesRead === 0) throw new AsxError('truncated', 'file shrank while reading', { offset: offset + got, file: name });
        got += bytesRead;
      }
      return buf;
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
    if (stats) err(`asx: ${path}: read ${src.bytesRead} of ${src.size} bytes (${src.bytesTransferred} transferred) in ${src.reads} reads\n`);
    return out;
  } catch (e) {
    if (e instanceof AsxError && !e.where.file) throw new AsxError(e.code, e.message, { ...e.where, file: path });
    throw e;
  } finally {
    await fsrc.close();
  }
}
