/**
 * The workbench's one way in: every dropped or picked file (any tab, anywhere in the window)
 * is sniffed by its content (core L-SNIFF) and sent to the face that handles it:
 *   pack (and anything unrecognised, so the pack reader names the problem) → the pack views,
 *   SVG or SCXQ2 envelope → the SVG tab, lane-streams JSON → the compile editor,
 *   fold bundle or fold.v1 document → the Gym tab,
 *   safetensors → the Tensors tab (a model.safetensors.index.json takes the safetensors files
 *   dropped with it as its shards; those are not opened on their own).
 * The same file opened twice is focused by the store, not listed again.
 */
import { SNIFF_HEAD_BYTES, SNIFF_JSON_MAX_BYTES, sniffHead, sniffJsonText, type FileKind } from '../core/sniff';
import { postToFace } from './inbox';
import type { WorkbenchStore } from './store';

export interface Incoming { file: Blob; name: string }

/** Kind of a file by its content; never throws (an unreadable file is 'unknown'). */
export async function sniffFile(file: Blob): Promise<FileKind> {
  try {
    const head = new Uint8Array(await file.slice(0, SNIFF_HEAD_BYTES).arrayBuffer());
    const k = sniffHead(head, file.size);
    if (k !== 'json') return k;
    if (file.size > SNIFF_JSON_MAX_BYTES) return 'unknown';
    return sniffJsonText(await file.text());
  } catch {
    return 'unknown';
  }
}

/** Route files in order; resolves when each has been handed to its face. */
export async function routeFiles(store: WorkbenchStore, items: Incoming[]): Promise<FileKind[]> {
  const kinds: FileKind[] = [];
  for (const { file } of items) kinds.push(await sniffFile(file));
  // A sharded index takes every safetensors file of the same drop as a candidate shard.
  const hasIndex = kinds.includes('safetensors-index');
  items.forEach(({ file, name }, i) => {
    const kind = kinds[i];
    const s = store.getState();
    if (kind === 'safetensors-index' || (kind === 'safetensors' && !hasIndex)) {
      postToFace('tensors', file, name, kind === 'safetensors' ? undefined : items.filter((_, j) => kinds[j] === 'safetensors'));
      s.setPanel('tensors');
    } else if (kind === 'safetensors') {
      // A shard of the index above.
    } else if (kind === 'svg' || kind === 'scxq2') {
      postToFace('svg', file, name);
      s.setPanel('svg');
    } else if (kind === 'fold' || kind === 'fold-json') {
      postToFace('gym', file, name);
      s.setPanel('gym');
    } else if (kind === 'streams') {
      postToFace('compile', file, name);
      s.setPanel('compile');
    } else {
      // Packs land on a pack view; from a face that shows no pack, go to Inspect.
      if (s.panel !== 'overview' && s.panel !== 'lanes' && s.panel !== 'trust') s.setPanel('overview');
      void s.openFile(file, name, 'local');
    }
  });
  return kinds;
}
