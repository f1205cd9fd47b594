/**
 * Monaco (bundled, never from a CDN) for lane-streams documents. This module is only
 * reached through a dynamic import, so monaco and its workers stay out of the initial load.
 */
import Editor, { type OnMount } from '@monaco-editor/react';
import { monaco, registerJsonSchemas } from './monacoSetup';
import { useEffect, useRef } from 'react';
import { streamsSchema } from '../../core/pack/pipeline/streamsSchema';

export const MODEL_URI = 'inmemory://asx/streams.json';

// The streams schema in monaco's JSON defaults, next to the other panels' schemas.
registerJsonSchemas([{ uri: streamsSchema.$id, fileMatch: [MODEL_URI, '*.streams.json'], schema: streamsSchema }]);

monaco.editor.defineTheme('asx-dark', {
  base: 'vs-dark',
  inherit: true,
  rules: [],
  colors: { 'editor.background': '#111418', 'editorGutter.background': '#111418' },
});

export interface EditorMarker { start: number; end: number; message: string }

export interface StreamsEditorApi {
  getValue: () => string;
  setValue: (t: string) => void;
  focus: () => void;
  revealOffset: (o: number) => void;
}

export interface StreamsEditorProps {
  /** Text the editor starts with. The editor owns its text after that (uncontrolled). */
  initialValue: string;
  /** Called on edits; the text is read from the editor (getValue) when it is needed. */
  onDirty?: () => void;
  /** Build error to underline (character range in the text). */
  marker: EditorMarker | null;
  onReady?: (api: StreamsEditorApi) => void;
}

/**
 * Uncontrolled on purpose: feeding every keystroke back through React state as `value` made
 * the wrapper reconcile a stale value into the model while a fast typist's next keys were
 * already in it, and keys were lost ("the quick brown fox jumps over" → "jums oer").
 */
export default function StreamsEditor({ initialValue, onDirty, marker, onReady }: StreamsEditorProps) {
  const ed = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const onMount: OnMount = (editor) => {
    ed.current = editor;
    onReady?.({
      getValue: () => editor.getValue(),
      setValue: (t) => {
        // One undoable edit over the whole text, so Ctrl+Z brings the old text back.
        const model = editor.getModel();
        if (!model) return;
        editor.pushUndoStop();
        editor.executeEdits('asx-load', [{ range: model.getFullModelRange(), text: t }]);
        editor.pushUndoStop();
      },
      focus: () => editor.focus(),
      revealOffset: (o) => {
        const m = editor.getModel();
        if (!m) return;
        const p = m.getPositionAt(o);
        editor.revealPositionInCenter(p);
        editor.setPosition(p);
      },
    });
  };
  useEffect(() => {
    const editor = ed.current;
    const model = editor?.getModel();
    if (!editor || !model) return;
    if (!marker) {
      monaco.editor.setModelMarkers(model, 'asx-build', []);
      return;
    }
    const s = model.getPositionAt(marker.start);
    const e = model.getPositionAt(Math.max(marker.end, marker.start + 1));
    monaco.editor.setModelMarkers(model, 'asx-build', [{
      severity: monaco.MarkerSeverity.Error,
      message: marker.message,
      startLineNumber: s.lineNumber, startColumn: s.column, endLineNumber: e.lineNumber, endColumn: e.column,
    }]);
    editor.revealPositionInCenter(s);
  }, [marker]);
  return (
    <Editor
      height="100%"
      defaultLanguage="json"
      path={MODEL_URI}
      defaultValue={initialValue}
      theme="asx-dark"
      onChange={() => onDirty?.()}
      onMount={onMount}
      loading={<div className="muted pad">Loading editor…</div>}
      options={{
        minimap: { enabled: false },
        fontSize: 12,
        tabSize: 2,
        scrollBeyondLastLine: false,
        automaticLayout: true,
        quickSuggestions: { strings: true, other: true, comments: false },
        fixedOverflowWidgets: true,
      }}
    />
  );
}
