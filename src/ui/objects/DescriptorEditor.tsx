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
import { AI_SCHEMAS, aiTypeOf, schemaUri, type AiType } from '../../core/objects/ai/schemas';

if (!window.MonacoEnvironment) {
  window.MonacoEnvironment = {
    getWorker(_id: string, label: string) {
      return label === 'json' ? new jsonWorker() : new editorWorker();
    },
  };
}
loader.config({ monaco });

const SCHEMA_URI = 'inmemory://asx/schema/object.v1.json';

/** The model URI: every descriptor gets object.v1; an ai.* descriptor also its §16 schema (monaco combines schemas that match). */
function modelUri(aiType: AiType | null): string {
  return `inmemory://asx/descriptor${aiType ? `.${aiType}` : ''}.object.json`;
}

{
  const opts = monaco.json.jsonDefaults.diagnosticsOptions;
  const mine = new Set([SCHEMA_URI, ...Object.keys(AI_SCHEMAS).map((t) => `inmemory://asx/schema/${t}.v1.json`)]);
  const others = (opts.schemas ?? []).filter((x) => !mine.has(x.uri));
  monaco.json.jsonDefaults.setDiagnosticsOptions({
    ...opts,
    validate: true,
    allowComments: false,
    enableSchemaRequest: false,
    schemas: [
      ...others,
      { uri: SCHEMA_URI, fileMatch: ['*.object.json'], schema: { ...OBJECT_V1_SCHEMA, title: OBJECT_V1_SCHEMA_ID } },
      ...(Object.entries(AI_SCHEMAS) as Array<[AiType, object]>).map(([t, schema]) => ({ uri: `inmemory://asx/schema/${t}.v1.json`, fileMatch: [`*.${t}.object.json`], schema: { ...schema, title: schemaUri(t) } })),
    ],
  });
}

function aiTypeOfText(text: string): AiType | null {
  try { return aiTypeOf(JSON.parse(text) as { $schema?: unknown; type?: unknown }); } catch { return null; }
}

export default function DescriptorEditor({ initialValue, onReady }: { initialValue: string; onReady: (getValue: () => string) => void }) {
  const onMount: OnMount = (editor) => { onReady(() => editor.getValue()); };
  return (
    <Editor
      height="100%"
      defaultLanguage="json"
      path={modelUri(aiTypeOfText(initialValue))}
      defaultValue={initialValue}
      theme="vs-dark"
      onMount={onMount}
      loading={<div className="muted pad">Loading editor…</div>}
      options={{ minimap: { enabled: false }, fontSize: 12, tabSize: 2, scrollBeyondLastLine: false, automaticLayout: true, fixedOverflowWidgets: true }}
    />
  );
}
