import { isRemote, type PayloadRef } from './httpSource';
/** Save bytes or text as a file through a same-origin blob: URL. */
export function downloadBlob(data: BlobPart, name: string, type = 'application/octet-stream'): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  a.rel = 'noopener';
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export async function readFileBytes(file: Blob): Promise<Uint8Array> {
  return new Uint8Array(await file.arrayBuffer());
}

/**
 * Save an open pack: a Blob directly; a payload on an object server through a link to its raw
 * projection when it is on this origin (the browser streams it to disk, nothing held here),
 * otherwise fetched whole first (cross-origin links cannot name the download).
 */
export async function downloadPack(ref: PayloadRef, name: string): Promise<void> {
  if (!isRemote(ref)) { downloadBlob(ref, name); return; }
  if (new URL(ref.url, window.location.href).origin === window.location.origin) {
    const a = document.createElement('a');
    a.href = ref.url;
    a.download = name;
    a.rel = 'noopener';
    document.body.appendChild(a);
    a.click();
    a.remove();
    return;
  }
  const r = await fetch(ref.url, { cache: 'no-store' });
  if (r.ok && r.headers.get('etag') === ref.etag) downloadBlob(await r.blob(), name);
}
