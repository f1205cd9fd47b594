import { useEffect, useState } from 'react';
import { filesFromEntries, takeDropEntries } from '../lib/dropEntries';
import { routeFiles } from '../router';
import { useWorkbenchStore } from '../StoreContext';

function hasFiles(e: DragEvent): boolean {
  const types = e.dataTransfer?.types;
  return !!types && Array.from(types).includes('Files');
}

/**
 * Drop files anywhere on the window, on every tab, to open them: each goes to the face that
 * handles its type (see router.ts). Shows an overlay while dragging.
 */
export function DropTarget() {
  const store = useWorkbenchStore();
  const [dragging, setDragging] = useState(false);

  useEffect(() => {
    let depth = 0;
    const onEnter = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      depth += 1;
      setDragging(true);
    };
    const onOver = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      e.preventDefault();
      if (e.dataTransfer) e.dataTransfer.dropEffect = 'copy';
    };
    const onLeave = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      depth = Math.max(0, depth - 1);
      if (depth === 0) setDragging(false);
    };
    const onDrop = (e: DragEvent) => {
      if (!hasFiles(e)) return;
      // A face's own drop zone (the Gym's corpus box) took these files.
      const claimed = e.defaultPrevented;
      e.preventDefault();
      if (claimed) { depth = 0; setDragging(false); return; }
      depth = 0;
      setDragging(false);
      if (!e.dataTransfer) return;
      // Folders are walked; packs inside them open like dropped files.
      const taken = takeDropEntries(e.dataTransfer);
      void filesFromEntries(taken).then(
        (list) => routeFiles(store, list.map(({ file, path }) => ({ file, name: path }))),
        () => routeFiles(store, taken.files.map((f) => ({ file: f, name: f.name }))),
      );
    };
    window.addEventListener('dragenter', onEnter);
    window.addEventListener('dragover', onOver);
    window.addEventListener('dragleave', onLeave);
    window.addEventListener('drop', onDrop);
    return () => {
      window.removeEventListener('dragenter', onEnter);
      window.removeEventListener('dragover', onOver);
      window.removeEventListener('dragleave', onLeave);
      window.removeEventListener('drop', onDrop);
    };
  }, [store]);

  if (!dragging) return null;
  return (
    <div className="drop-overlay" data-testid="drop-overlay" aria-hidden="true">
      <div className="drop-overlay-box">Drop packs, safetensors, SVGs, SCXQ2 envelopes or lane-streams JSON</div>
    </div>
  );
}
