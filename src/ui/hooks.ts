import { useEffect, useSyncExternalStore } from 'react';
import { getHandle, subscribe, type PackHandle } from './packRegistry';

const noop = () => () => {};

/** The live handle of a pack plus a version number that changes when lanes arrive. */
export function usePackHandle(handleId: string | undefined): { handle: PackHandle | undefined; version: number } {
  const handle = getHandle(handleId);
  const version = useSyncExternalStore(
    handle ? (fn) => subscribe(handle.id, fn) : noop,
    () => (handle ? handle.version : -1),
  );
  return { handle, version };
}

/** Run `fn` on window keydown unless the user is typing in a field or an editor. */
export function useGlobalKey(fn: (e: KeyboardEvent) => void, deps: unknown[]): void {
  useEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      if (e.defaultPrevented || e.altKey || e.ctrlKey || e.metaKey) return;
      const t = e.target as HTMLElement | null;
      if (t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName) || t.closest('.monaco-editor'))) return;
      fn(e);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, deps);
}
