/**
 * Files from a drop, folders included: directory entries are walked (depth-first, names
 * sorted) through the File System entries API. Entries must be taken synchronously inside
 * the drop handler; reading them can happen afterwards.
 */
export function takeDropEntries(dt: DataTransfer): { entries: FileSystemEntry[]; files: File[] } {
  const entries: FileSystemEntry[] = [];
  for (const item of Array.from(dt.items ?? [])) {
    const e = item.kind === 'file' ? item.webkitGetAsEntry?.() : null;
    if (e) entries.push(e);
  }
  return { entries, files: Array.from(dt.files ?? []) };
}

function readAll(dir: FileSystemDirectoryEntry): Promise<FileSystemEntry[]> {
  const reader = dir.createReader();
  const out: FileSystemEntry[] = [];
  return new Promise((resolve, reject) => {
    const next = () => reader.readEntries((batch) => {
      if (batch.length === 0) resolve(out);
      else { out.push(...batch); next(); }
    }, reject);
    next();
  });
}

function fileOf(entry: FileSystemFileEntry): Promise<File> {
  return new Promise((resolve, reject) => entry.file(resolve, reject));
}

/** Resolve dropped entries to files (folders walked; at most `limit` files). */
export async function filesFromEntries(taken: { entries: FileSystemEntry[]; files: File[] }, limit = 256): Promise<Array<{ file: File; path: string }>> {
  if (!taken.entries.some((e) => e.isDirectory)) return taken.files.map((f) => ({ file: f, path: f.name }));
  const out: Array<{ file: File; path: string }> = [];
  const walk = async (e: FileSystemEntry): Promise<void> => {
    if (out.length >= limit) return;
    if (e.isFile) out.push({ file: await fileOf(e as FileSystemFileEntry), path: e.fullPath.replace(/^\//, '') });
    else if (e.isDirectory) {
      const kids = (await readAll(e as FileSystemDirectoryEntry)).sort((a, b) => (a.name < b.name ? -1 : 1));
      for (const k of kids) await walk(k);
    }
  };
  for (const e of taken.entries) await walk(e);
  return out;
}
