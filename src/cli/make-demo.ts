/** `npm run demo`: write the bundled demo packs and their streams documents to public/demo. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { demoFiles, demoStreams } from '../core/pack/demo.ts';

const out = join(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '../../public/demo');
mkdirSync(out, { recursive: true });
const files = demoFiles();
for (const f of files) writeFileSync(join(out, f.file), f.bytes);
writeFileSync(join(out, 'demo-streams-a.json'), JSON.stringify(demoStreams('a'), null, 1) + '\n');
writeFileSync(join(out, 'demo-streams-b.json'), JSON.stringify(demoStreams('b'), null, 1) + '\n');
writeFileSync(join(out, 'index.json'), JSON.stringify(files.map((f) => ({ file: f.file, title: f.title, bytes: f.bytes.length })), null, 2) + '\n');
console.log(`asx: wrote ${files.length} demo packs to public/demo`);
