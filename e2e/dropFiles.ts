/** Drag-and-drop real files onto the page with a real DataTransfer (as a user's drop does). */
import type { Page } from '@playwright/test';

/** `lastModified` as a disk file has it (the same file dropped twice keeps it); default: now. */
export interface DropFile { name: string; bytes: Uint8Array; lastModified?: number }

export async function dropFiles(page: Page, files: DropFile[], selector = 'body'): Promise<void> {
  const payload = files.map((f) => ({ name: f.name, b64: Buffer.from(f.bytes).toString('base64'), lastModified: f.lastModified }));
  const dataTransfer = await page.evaluateHandle((list) => {
    const dt = new DataTransfer();
    for (const f of list) {
      const bin = atob(f.b64);
      const u8 = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) u8[i] = bin.charCodeAt(i);
      dt.items.add(new File([u8], f.name, { type: 'application/octet-stream', ...(f.lastModified !== undefined ? { lastModified: f.lastModified } : {}) }));
    }
    return dt;
  }, payload);
  await page.dispatchEvent(selector, 'dragenter', { dataTransfer });
  await page.dispatchEvent(selector, 'dragover', { dataTransfer });
  await page.dispatchEvent(selector, 'drop', { dataTransfer });
}

/** Facts about the active pack read from the store and its live reader. */
export async function activePack(page: Page) {
  return page.evaluate(() => {
    const s = window.__asx!.store.getState();
    const f = s.files.find((x) => x.id === s.activeId)!;
    const h = window.__asx!.packs.get(f.pack?.handle);
    const sec = (n: string) => f.pack!.sections.find((x) => x.name === n);
    return {
      name: f.name,
      fileSize: f.pack!.fileSize,
      dataBytes: f.pack!.header.dataBytes,
      dataStart: sec('DATA')!.offset,
      bytesRead: h ? h.counter.bytesRead : f.pack!.bytesRead,
    };
  });
}
