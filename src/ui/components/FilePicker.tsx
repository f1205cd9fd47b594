import { useRef } from 'react';
import { routeFiles } from '../router';
import { useWorkbenchStore } from '../StoreContext';

/** "Open…" button backed by a hidden file input; every chosen file goes to the face for its type. */
export function FilePicker() {
  const store = useWorkbenchStore();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className="btn btn-primary" onClick={() => input.current?.click()} data-testid="open-button" title="Open packs, SVGs, SCXQ2 envelopes or lane-streams JSON (o)">
        Open…
      </button>
      <input
        ref={input}
        type="file"
        multiple
        hidden
        data-testid="file-input"
        onChange={(e) => {
          const files = Array.from(e.currentTarget.files ?? []);
          e.currentTarget.value = '';
          void routeFiles(store, files.map((f) => ({ file: f, name: f.name })));
        }}
      />
    </>
  );
}
