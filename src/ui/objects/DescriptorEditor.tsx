/**
 * Monaco (bundled, never from a CDN) for object.v1 descriptors, with the core's schema
 * (OBJECT_V1_SCHEMA) registered for live diagnostics and completion. Uncontrolled, like the
 * streams editor: the text is read from the editor when the user checks it (fast typing
 * never round-trips through React state).
 */
import Editor, { loader, type OnMount } from '@monaco-editor/react';
import * as monaco from '../compile/monacoLean';
import editorWorker from 'monaco-editor/editor/editor.worker?worker';
import jsonWorker from 'monaco-editor/language/json/json.worker?worker';
import { OBJECT_V1_SCHEMA, OBJECT_V1_SCHEMA_ID } from '../../core/objects/descriptor';

if (!window.MonacoEnvironment) {
  window.MonacoEnvironment = {
    getWorker(_id: string, label: string) {
      return label === 'json' ? new jsonWorker() : new editorWorker();
    },
  };
}
loader.config({ monaco });

export const DESCRIPTOR_MODEL_URI = 'inmemory://asx/descriptor.object.json';
const SCHEMA_URI = 'inmemory://asx/schema/object.v1.json';

{
  const opts = monaco.json.jsonDefaults.diagnosticsOptions;
  const others = (opts.schemas ?? []).filter((x) => x.uri !== SCHEMA_URI);
  monaco.json.jsonDefaults.setDiagnosticsOptions({
    ...opts,
    validate: true,
    allowComments: false,
    enableSchemaRequest: false,
    schemas: [...others, { uri: SCHEMA_URI, fileMatch: [DESCRIPTOR_MODEL_URI, '*.object.json'], schema: { ...OBJECT_V1_SCHEMA, title: OBJECT_V1_SCHEMA_ID } }],
  });
}

export default function DescriptorEditor({ initialValue, onReady }: { initialValue: string; onReady: (getValue: () => string) => void }) {
  const onMount: OnMount = (editor) => { onReady(() => editor.getValue()); };
  return (
    <Editor
      height="100%"
      defaultLanguage="json"
      path={DESCRIPTOR_MODEL_URI}
      defaultValue={initialValue}
      theme="vs-dark"
      onMount={onMount}
      loading={<div className="muted pad">Loading editor…</div>}
      options={{ minimap: { enabled: false }, fontSize: 12, tabSize: 2, scrollBeyondLastLine: false, automaticLayout: true, fixedOverflowWidgets: true }}
    />
  );
}
