/**
 * A lean monaco: the editor API, every editor feature (suggest, hover, find, folding, …)
 * and the JSON language only; not the TypeScript/CSS/HTML services and their large workers.
 */
import 'monaco-editor/features/register.all.js';
export * from 'monaco-editor/editor/editor.api.js';
export * as json from 'monaco-editor/languages/features/json/register.js';
