/**
 * `npm run demo`: write the bundled demo packs and their streams documents to public/demo, and
 * the demo object store (the same artifacts as governed objects) to demo-objects/.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoFiles, demoStreams } from '../core/pack/demo.ts';
import { demoSafetensors } from '../core/tensors/demo.ts';
import { demoObjectEntries } from './demo-objects.ts';
import { writeObjectStore } from '../server/storeWriter.ts';

const root = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../..');
const out = join(root, 'public/demo');
mkdirSync(out, { recursive: true });
const files = demoFiles();
for (const f of files) writeFileSync(join(out, f.file), f.bytes);
writeFileSync(join(out, 'demo-streams-a.json'), JSON.stringify(demoStreams('a'), null, 1) + '\n');
writeFileSync(join(out, 'demo-streams-b.json'), JSON.stringify(demoStreams('b'), null, 1) + '\n');
writeFileSync(join(out, 'index.json'), JSON.stringify(files.map((f) => ({ file: f.file, title: f.title, bytes: f.bytes.length })), null, 2) + '\n');
// The safetensors pair: opened from the Tensors tab, not listed in index.json (that lists packs).
const tensors = demoSafetensors();
for (const f of tensors) writeFileSync(join(out, f.file), f.bytes);
console.log(`asx: wrote ${files.length} demo packs and ${tensors.length} demo safetensors files to public/demo`);
const objects = await writeObjectStore(join(root, 'demo-objects'), await demoObjectEntries(), { clean: true });
console.log(`asx: wrote ${objects.length} demo objects to demo-objects/`);
