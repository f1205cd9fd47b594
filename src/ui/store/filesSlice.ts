import type { StateCreator } from 'zustand';
import type { ErrorMapper, OpenFile, PackLoader, PackSummary, UiError } from './types';
import type { WorkbenchState } from './index';
import { isRemote, type PayloadRef } from '../lib/httpSource';

export interface FilesSlice {
  files: OpenFile[];
  activeId: string | null;
  /**
   * Open a pack. The file is listed at once (status `loading`) and becomes active; it ends
   * `ready` with a summary or `error` with a UiError. Never rejects. Resolves to its id.
   */
  openFile: (blob: PayloadRef, name: string, origin?: OpenFile['origin']) => Promise<string>;
  /** List a file that could not even be read (e.g. a failed fetch) with its error. */
  addFailedFile: (name: string, error: UiError, origin?: OpenFile['origin']) => string;
  closeFile: (id: string) => void;
  selectFile: (id: string) => void;
}

export interface FilesDeps {
  loadPack: PackLoader;
  toUiError: ErrorMapper;
}

/** Fallback when no mapper is given: code and message only, never a stack. */
export function plainUiError(error: unknown, file: string): UiError {
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message, file };
}

/**
 * Identity of an opened file, so opening the same file again focuses it instead of listing it
 * twice: a File by name, size and modification time; a demo by its name; other Blobs by name
 * and size. Packs made in the page (merges, builds: origin `unsaved`) are always new entries.
 */
export function fileKey(blob: PayloadRef, name: string, origin: OpenFile['origin']): string | undefined {
  if (origin === 'unsaved') return undefined;
  if (isRemote(blob)) return `remote\u0000${blob.url}\u0000${blob.etag}`;
  if (origin === 'demo') return `demo\u0000${name}`;
  const modified = (blob as Partial<File>).lastModified;
  return `${origin}\u0000${name}\u0000${blob.size}${modified !== undefined ? `\u0000${modified}` : ''}`;
}

export function createFilesSlice(deps: FilesDeps): StateCreator<WorkbenchState, [], [], FilesSlice> {
  let counter = 0;
  return (set, get) => ({
    files: [],
    activeId: null,

    openFile: async (blob, name, origin = 'local') => {
      const key = fileKey(blob, name, origin);
      const same = key !== undefined ? get().files.find((f) => f.key === key) : undefined;
      if (same) {
        // Already open (or already failed): focus it, do not list it twice.
        get().selectFile(same.id);
        return same.id;
      }
      counter += 1;
      const id = `f${counter}`;
      const entry: OpenFile = { id, key, name, size: blob.size, origin, status: 'loading' };
      set((s) => ({ files: [...s.files, entry], activeId: id, lane: null }));

      let pack: PackSummary | undefined;
      let error: UiError | undefined;
      try {
        pack = await deps.loadPack(blob, name);
      } catch (e) {
        try {
          error = deps.toUiError(e, name);
        } catch {
          error = plainUiError(e, name);
        }
      }
      // The file may have been closed while loading: then there is nothing to update.
      if (!get().files.some((f) => f.id === id)) return id;
      set((s) => ({
        files: s.files.map((f) =>
          f.id !== id ? f : pack ? { ...f, status: 'ready', pack } : { ...f, status: 'error', error },
        ),
      }));
      if (pack) get().checkIntegrity(id);
      return id;
    },

    addFailedFile: (name, error, origin = 'local') => {
      const key = `failed\u0000${origin}\u0000${name}\u0000${error.code}`;
      const same = get().files.find((f) => f.key === key);
      if (same) {
        get().selectFile(same.id);
        return same.id;
      }
      counter += 1;
      const id = `f${counter}`;
      const entry: OpenFile = { id, key, name, size: 0, origin, status: 'error', error };
      set((s) => ({ files: [...s.files, entry], activeId: id, lane: null }));
      return id;
    },

    closeFile: (id) => {
      get().cancelIntegrity(id);
      set((s) => {
        const index = s.files.findIndex((f) => f.id === id);
        if (index < 0) return s;
        const files = s.files.filter((f) => f.id !== id);
        let activeId = s.activeId;
        if (activeId === id) {
          // Select the neighbour that slid into its place, or the new last file.
          const next = files[Math.min(index, files.length - 1)];
          activeId = next ? next.id : null;
        }
        return activeId === s.activeId ? { files } : { files, activeId, lane: null };
      });
    },

    selectFile: (id) => {
      if (get().activeId !== id && get().files.some((f) => f.id === id)) set({ activeId: id, lane: null });
    },
  });
}
