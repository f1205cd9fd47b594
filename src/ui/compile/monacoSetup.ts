/**
 * The one monaco setup every editor shares (the compile, π-GCCP profile, descriptor and fold
 * editors): the lean bundled monaco (never a CDN), its editor and JSON workers, the loader
 * pointed at it, and JSON schemas registered by URI next to the other panels' (nothing is ever
 * fetched: `enableSchemaRequest: false`, `schemaRequest: 'ignore'`).
 */
import { loader } from '@monaco-editor/react';
import * as monaco from './monacoLean';
import editorWorker from 'monaco-editor/editor/editor.worker?worker';
import jsonWorker from 'monaco-editor/language/json/json.worker?worker';

declare global {
  interface Window { MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker } }
}

if (!window.MonacoEnvironment) {
  window.MonacoEnvironment = {
    getWorker(_id: string, label: string) {
      return label === 'json' ? new jsonWorker() : new editorWorker();
    },
  };
}
loader.config({ monaco });

export { monaco };

export interface JsonSchemaEntry { uri: string; fileMatch?: string[]; schema: unknown }

/** Add (or replace, by URI) these schemas, keeping every other panel's. */
export function registerJsonSchemas(entries: readonly JsonSchemaEntry[]): void {
  const opts = monaco.json.jsonDefaults.diagnosticsOptions;
  const mine = new Set(entries.map((e) => e.uri));
  const others = (opts.schemas ?? []).filter((x) => !mine.has(x.uri));
  monaco.json.jsonDefaults.setDiagnosticsOptions({
    ...opts,
    validate: true,
    allowComments: false,
    enableSchemaRequest: false,
    schemaRequest: 'ignore',
    schemas: [...others, ...entries],
  });
}
