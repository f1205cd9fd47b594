/**
 * Monaco (bundled, never from a CDN) for object.v1 descriptors, with the core's schema
 * (OBJECT_V1_SCHEMA) registered for live diagnostics and completion. Uncontrolled, like the
 * streams editor: the text is read from the editor when the user checks it (fast typing
 * never round-trips through React state).
 */
import Editor, { type OnMount } from '@monaco-editor/react';
import { registerJsonSchemas } from '../compile/monacoSetup';
import { OBJECT_V1_SCHEMA, OBJECT_V1_SCHEMA_ID } from '../../core/objects/descriptor';
import { AI_SCHEMAS, schemaUri, type AiType } from '../../core/objects/ai/schemas';

export const DESCRIPTOR_MODEL_URI = 'inmemory://asx/descriptor.object.json';

/**
 * Schemas registered under the URIs descriptors name in their own "$schema" member: the JSON
 * language service validates a document against the schema its "$schema" names (instead of
 * any file association), so `object://schema/object.v1` is object.v1 and
 * `object://schema/ai.<type>.v1` is object.v1 plus that type's §16 schema (allOf at the root,
 * so object.v1's `#/$defs/…` references still resolve). A descriptor without "$schema" gets
 * object.v1 through the model URI.
 */
{
  const base = { ...OBJECT_V1_SCHEMA, title: OBJECT_V1_SCHEMA_ID } as Record<string, unknown>;
  delete base.$id;
  delete base.$schema;
  const ai = (Object.entries(AI_SCHEMAS) as Array<[AiType, Record<string, unknown>]>).map(([t, schema]) => {
    const { $id: _id, $schema: _s, ...rest } = schema;
    return { uri: schemaUri(t), schema: { ...base, title: schemaUri(t), allOf: [rest] } };
  });
  // Only registered schemas exist here; a "$schema" naming anything else is not fetched.
  registerJsonSchemas([{ uri: OBJECT_V1_SCHEMA_ID, fileMatch: [DESCRIPTOR_MODEL_URI, '*.object.json'], schema: base }, ...ai]);
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
