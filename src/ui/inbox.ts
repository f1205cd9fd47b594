/**
 * Files routed to a face that keeps its own documents (the SVG tab, the compile editor).
 * The router (routeFiles) sniffs a file's type, switches the panel and posts the file here;
 * the face takes it when it mounts and whenever a new one arrives. Blobs live here, not in
 * the store (the store holds plain data only).
 */
export type InboxFace = 'svg' | 'compile' | 'tensors' | 'gym';

export interface InboxItem {
  /** Increases with every posted file, so a face can tell a new post from one it has seen. */
  seq: number;
  file: Blob;
  name: string;
  /** Files that came with it (a sharded safetensors index: the shards dropped with it). */
  related?: Array<{ file: Blob; name: string }>;
}

const queues: Record<InboxFace, InboxItem[]> = { svg: [], compile: [], tensors: [], gym: [] };
const listeners: Record<InboxFace, Set<() => void>> = { svg: new Set(), compile: new Set(), tensors: new Set(), gym: new Set() };
let seq = 0;

export function postToFace(face: InboxFace, file: Blob, name: string, related?: InboxItem['related']): InboxItem {
  seq += 1;
  const item: InboxItem = related ? { seq, file, name, related } : { seq, file, name };
  queues[face].push(item);
  for (const l of listeners[face]) l();
  return item;
}

/** Take (and remove) every file waiting for this face, oldest first. */
export function takeInbox(face: InboxFace): InboxItem[] {
  const items = queues[face];
  queues[face] = [];
  return items;
}

/** Call `fn` whenever a file is posted to this face; returns the unsubscribe function. */
export function subscribeInbox(face: InboxFace, fn: () => void): () => void {
  listeners[face].add(fn);
  return () => { listeners[face].delete(fn); };
}
