/** Lean monaco for the lab (editor API, editor features, JSON language only). Same modules as the compile panel's, so Vite bundles monaco once. */
import 'monaco-editor/features/register.all.js';
export * from 'monaco-editor/editor/editor.api.js';
export * as json from 'monaco-editor/languages/features/json/register.js';
