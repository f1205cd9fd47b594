import { useRef } from 'react';
import { useWorkbenchStore } from '../StoreContext';

/** "Open pack…" button backed by a hidden file input; opens every chosen file. */
export function FilePicker() {
  const store = useWorkbenchStore();
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button type="button" className="btn btn-primary" onClick={() => input.current?.click()} data-testid="open-button">
        Open pack…
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
          for (const f of files) void store.getState().openFile(f, f.name, 'local');
        }}
      />
    </>
  );
}
