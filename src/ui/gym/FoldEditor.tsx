/**
 * Monaco (bundled) for the fold.v1 document a run starts from, with the core's FOLD_V1_SCHEMA
 * registered for live diagnostics and completion. Uncontrolled: the text is read from the
 * editor when Train is pressed, so typing never round-trips through React state.
 */
import Editor, { type OnMount } from '@monaco-editor/react';
import { registerJsonSchemas } from '../compile/monacoSetup';
import { FOLD_V1_SCHEMA } from '../../core/fold/fold';

export const FOLD_MODEL_URI = 'inmemory://asx/gym.fold.json';
const FOLD_SCHEMA_URI = 'asx:fold.v1';

{
  const { $id: _id, $schema: _s, ...schema } = FOLD_V1_SCHEMA as Record<string, unknown>;
  registerJsonSchemas([{ uri: FOLD_SCHEMA_URI, fileMatch: [FOLD_MODEL_URI, '*.fold.json'], schema }]);
}

export default function FoldEditor({ initialValue, onReady }: { initialValue: string; onReady: (api: { get: () => string; set: (text: string) => void }) => void }) {
  const onMount: OnMount = (editor) => { onReady({ get: () => editor.getValue(), set: (t) => editor.setValue(t) }); };
  return (
    <Editor
      height="100%"
      defaultLanguage="json"
      path={FOLD_MODEL_URI}
      defaultValue={initialValue}
      theme="vs-dark"
      onMount={onMount}
      loading={<div className="muted pad">Loading editor…</div>}
      options={{ minimap: { enabled: false }, fontSize: 12, tabSize: 2, scrollBeyondLastLine: false, automaticLayout: true, fixedOverflowWidgets: true }}
    />
  );
}
