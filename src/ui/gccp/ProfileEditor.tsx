/**
 * Monaco editor for a π-profile, lazy-loaded by the lab. Validation is the core's
 * `parseProfile` (the same rules as PROFILE_SCHEMA), shown as a marker on the offending key;
 * the schema is also added to monaco's JSON defaults (merged, never replacing other panels'
 * schemas) for hover and completion.
 */
import Editor, { type OnMount } from '@monaco-editor/react';
import { useEffect, useRef } from 'react';
import { monaco, registerJsonSchemas } from '../compile/monacoSetup';
import { PROFILE_SCHEMA } from '../../core/gccp/profile';

export const PROFILE_URI = 'inmemory://asx/pi-profile.json';
const SCHEMA_URI = 'asx://schemas/pi-profile.json';

function addSchema(): void {
  registerJsonSchemas([{ uri: SCHEMA_URI, fileMatch: [PROFILE_URI], schema: PROFILE_SCHEMA }]);
}

/** Character range of the key a JSON path like `$.epsilon` names, or the whole text. */
function rangeOf(text: string, path: string | undefined): [number, number] {
  const m = path?.match(/^\$(?:\.([\w]+)|\["(.+)"\])/);
  const key = m?.[1] ?? m?.[2];
  if (key) {
    const i = text.indexOf(`"${key}"`);
    if (i >= 0) return [i, i + key.length + 2];
  }
  return [0, Math.max(1, text.length)];
}

export default function ProfileEditor({ value, onChange, error }: { value: string; onChange: (t: string) => void; error: { message: string; path?: string } | null }) {
  const ed = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const onMount: OnMount = (editor) => { ed.current = editor as unknown as monaco.editor.IStandaloneCodeEditor; addSchema(); };
  useEffect(() => {
    const model = ed.current?.getModel();
    if (!model) return;
    if (!error) { monaco.editor.setModelMarkers(model, 'asx-gccp', []); return; }
    const [a, b] = rangeOf(value, error.path);
    const s = model.getPositionAt(a), e = model.getPositionAt(b);
    monaco.editor.setModelMarkers(model, 'asx-gccp', [{ severity: monaco.MarkerSeverity.Error, message: error.message, startLineNumber: s.lineNumber, startColumn: s.column, endLineNumber: e.lineNumber, endColumn: e.column }]);
  }, [error, value]);
  return (
    <div className="gccp-monaco" data-testid="gccp-monaco">
      <Editor
        height="160px"
        defaultLanguage="json"
        path={PROFILE_URI}
        value={value}
        theme="vs-dark"
        onChange={(v) => onChange(v ?? '')}
        onMount={onMount}
        loading={<div className="muted small">Loading editor…</div>}
        options={{ minimap: { enabled: false }, fontSize: 12, tabSize: 2, scrollBeyondLastLine: false, automaticLayout: true, lineNumbers: 'off', fixedOverflowWidgets: true }}
      />
    </div>
  );
}
