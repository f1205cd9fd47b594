/**
 * Monaco (bundled) for the fold.v1 document a run starts from, with the core's FOLD_V1_SCHEMA
 * registered for live diagnostics and completion. Uncontrolled: the text is read from the
 * editor when Train is pressed, so typing never round-trips through React state.
 */
import Editor, { loader, type OnMount } from '@monaco-editor/react';
import * as monaco from '../compile/monacoLean';
import editorWorker from 'monaco-editor/editor/editor.worker?worker';
import jsonWorker from 'monaco-editor/language/json/json.worker?worker';
import { FOLD_V1_SCHEMA } from '../../core/fold/fold';

if (!window.MonacoEnvironment) {
  window.MonacoEnvironment = {
    getWorker(_id: string, label: string) {
      return label === 'json' ? new jsonWorker() : new editorWorker();
    },
  };
}
loader.config({ monaco });

export const FOLD_MODEL_URI = 'inmemory://asx/gym.fold.json';
const FOLD_SCHEMA_URI = 'asx:fold.v1';

{
  const { $id: _id, $schema: _s, ...schema } = FOLD_V1_SCHEMA as Record<string, unknown>;
  const opts = monaco.json.jsonDefaults.diagnosticsOptions;
  const others = (opts.schemas ?? []).filter((x) => x.uri !== FOLD_SCHEMA_URI);
  monaco.json.jsonDefaults.setDiagnosticsOptions({
    ...opts,
    validate: true,
    allowComments: false,
    enableSchemaRequest: false,
    schemaRequest: 'ignore',
    schemas: [...others, { uri: FOLD_SCHEMA_URI, fileMatch: [FOLD_MODEL_URI, '*.fold.json'], schema }],
  });
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
