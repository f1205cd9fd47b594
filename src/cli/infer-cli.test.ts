import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { asx } from './cli-testing.ts';
import { createFolderStore } from '../server/folderStore.ts';
import { infer } from '../core/infer/engine.ts';
import { requestJson } from '../core/infer/request.ts';
import { DEMO_AI_IDS } from './demo-ai-objects.ts';

const DEMO = join(import.meta.dirname, '..', '..', 'demo-objects');
const dir = mkdtempSync(join(tmpdir(), 'asx-infer-'));

describe('asx infer', () => {
  it('over the committed demo objects: the reply bytes are the engine\'s, and --trace writes the events', async () => {
    const r = await asx('infer', '--objects', DEMO, '--prompt', 'The jury', '--trace', join(dir, 't.json'));
    expect(r.code, r.err).toBe(0);
    const store = createFolderStore(DEMO);
    try {
      const reply = await infer(store, requestJson({ '@request': 'ai.inference', prompt: 'The jury', profile: DEMO_AI_IDS.profile, projection: 'agent.reply' }));
      expect(r.out).toBe(`${new TextDecoder().decode(reply.bytes)}\n`);
    } finally { await store.close(); }
    const reply = JSON.parse(r.out) as { text?: string };
    expect(reply.text).toBe('the jury said the city.');
    const trace = JSON.parse(readFileSync(join(dir, 't.json'), 'utf8')) as { events: Array<{ type: string }> };
    expect(trace.events[0].type).toBe('object.inference.started');
    expect(trace.events[trace.events.length - 1].type).toBe('object.inference.completed');
  });

  it('--swap: an edited profile (the hybrid collapse) gives the engine\'s swapped reply; a file of no role is a typed error', async () => {
    const { demoHybridProfile } = await import('../core/infer/testkit.ts');
    const { writeFileSync } = await import('node:fs');
    const f = join(dir, 'hybrid.json');
    writeFileSync(f, demoHybridProfile());
    const r = await asx('infer', '--objects', DEMO, '--prompt', 'She walked', '--swap', f);
    expect(r.code, r.err).toBe(0);
    expect(JSON.parse(r.out).text).toBe('she walked to the city.');
    expect(r.err).toMatch(/^swap: profile object:\/\/ai\/inference\/mx2lm-demo sha256:[0-9a-f]{64} → sha256:[0-9a-f]{64} /);
    const plain = await asx('infer', '--objects', DEMO, '--prompt', 'report');
    const swapped = await asx('infer', '--objects', DEMO, '--prompt', 'report', `--swap=${f}`);
    expect([JSON.parse(plain.out).text, JSON.parse(swapped.out).text]).toEqual(['report was quiet.', 'report in the city.']);
    writeFileSync(join(dir, 'notes.txt'), 'hello');
    const bad = await asx('infer', '--objects', DEMO, '--prompt', 'x', '--swap', join(dir, 'notes.txt'));
    expect(bad.code).toBe(1);
    expect(bad.err).toMatch(/^asx: inference_error\.unrecognized_file: /);
    expect(bad.err).not.toMatch(/\n\s+at /);
  });

  it('bad input: no folder, a missing profile, usage', async () => {
    const a = await asx('infer', '--objects', join(dir, 'nope'), '--prompt', 'x');
    expect(a.code).toBe(1);
    expect(a.err).toMatch(/^asx: io_error: /);
    const b = await asx('infer', '--objects', DEMO, '--prompt', 'x', '--profile', 'object://ai/inference/none');
    expect(b.code).toBe(1);
    expect(b.err).toMatch(/^asx: inference_error\.missing_object: /);
    expect((await asx('infer', '--prompt', 'x')).code).toBe(2);
    for (const x of [a, b]) expect(x.err).not.toMatch(/\n\s+at /);
  });
});
