/**
 * A ByteSource over HTTP Range requests (docs/laws.md O-BROWSER, "lazy over HTTP"): a payload
 * served by an object server is read exactly as a dropped file is, range by range, so a face
 * opens a multi-gigabyte safetensors object reading only its header and the tensors looked at.
 * Every response must be `206` with `Content-Range: bytes a-b/SIZE` for exactly the range asked
 * and the ETag of the verified payload (sent as `If-Range`, so a payload that changed on the
 * server comes back whole — `200` — and is refused, never mixed with older bytes). Works on the
 * page and in workers (fetch only).
 */
import { AsxError } from '../../core/errors';
import { blobSource, type ByteSource } from '../../core/bytes/source';

export interface HttpSourceSpec {
  /** Absolute URL of a `binary` projection that serves the raw payload. */
  url: string;
  /** The payload's ETag (the quoted descriptor hash). */
  etag: string;
  size: number;
  name?: string;
}

/** Largest single range read (bounded memory whatever a caller asks). */
export const HTTP_READ_MAX = 64 << 20;

export interface HttpByteSource extends ByteSource {
  /** Bytes received so far (all ranges). */
  readonly bytesReceived: () => number;
}

/**
 * What a face opens: a Blob (a dropped or fetched file) or a payload on an object server read
 * by range. Both are structured-clonable, so either crosses to a worker as it is.
 */
export interface RemotePayload { kind: 'http'; url: string; etag: string; size: number }
export type PayloadRef = Blob | RemotePayload;

export function isRemote(p: PayloadRef): p is RemotePayload {
  return !(p instanceof Blob) && (p as RemotePayload).kind === 'http';
}

/** A ByteSource over either kind. */
export function sourceOf(p: PayloadRef, name?: string): ByteSource {
  return isRemote(p) ? httpSource({ url: p.url, etag: p.etag, size: p.size, name }) : blobSource(p, name);
}

export function httpSource(spec: HttpSourceSpec, fetchFn: typeof fetch = (u, i) => fetch(u, i)): HttpByteSource {
  let received = 0;
  const name = spec.name ?? spec.url;
  return {
    size: spec.size,
    name,
    bytesReceived: () => received,
    async read(offset, length) {
      if (!Number.isSafeInteger(offset) || !Number.isSafeInteger(length) || offset < 0 || length < 0 || offset + length > spec.size) {
        throw new AsxError('truncated', `read of ${length} bytes at ${offset} is past the end of the ${spec.size}-byte payload`, { offset, file: name });
      }
      if (length > HTTP_READ_MAX) throw new AsxError('io_error', `one read of ${length} bytes is over the ${HTTP_READ_MAX}-byte limit`, { offset, file: name });
      if (length === 0) return new Uint8Array(0);
      const end = offset + length - 1;
      let r: Response;
      try {
        r = await fetchFn(spec.url, { headers: { Range: `bytes=${offset}-${end}`, 'If-Range': spec.etag }, cache: 'no-store' });
      } catch {
        throw new AsxError('io_error', 'the object server is not reachable', { offset, file: name });
      }
      if (r.status !== 206) {
        void r.body?.cancel();
        throw new AsxError('io_error', r.status === 200 ? 'the payload changed on the server (it no longer has the verified hash)' : `the server answered ${r.status} to a range request`, { offset, file: name });
      }
      if (r.headers.get('etag') !== spec.etag || r.headers.get('content-range') !== `bytes ${offset}-${end}/${spec.size}`) {
        void r.body?.cancel();
        throw new AsxError('io_error', 'the server sent another range or another payload than asked', { offset, file: name });
      }
      const b = new Uint8Array(await r.arrayBuffer());
      if (b.length !== length) throw new AsxError('truncated', `the server sent ${b.length} of ${length} bytes`, { offset, file: name });
      received += b.length;
      return b;
    },
  };
}
