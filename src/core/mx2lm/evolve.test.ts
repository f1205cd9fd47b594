import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { loadBrownSplit, sentencesOf } from '../../cli/brown.ts';
import { AsxError } from '../errors.ts';
import { canonicalJsonBytes } from '../json/jcs.ts';
import { writeArpa } from '../ngram/arpa.ts';
import { openFoldBundle, writeFoldBundle } from '../fold/bundle.ts';
import { buildVocab } from './vocab-build.ts';
import { buildNgramBrain, perplexity } from './ngram-brain.ts';
import { buildSvgGraph } from './svg-graph.ts';
import {
  applyDelta, baseState, checkCountDelta, countDelta, deltaBytes, deltaHash, deltaSize, evolveFold, evolveState,
  EVOLVE_CHAIN_ENTRY, EVOLVE_ROUTE, parseCountDelta, readEvolveFold, replayEvolveFold, stateNgramBrain, stateSvgGraph,
  type CountDelta,
} from './evolve.ts';

const split = loadBrownSplit();
const train = sentencesOf(split.train);
const tokens = buildVocab(train);
const hex = (b: Uint8Array | string) => createHash('sha256').update(b).digest('hex');

function code(f: () => unknown): { code: string; path?: string; message: string } {
  try { f(); } catch (e) { if (e instanceof AsxError) return { code: e.code, path: e.where.path, message: e.message }; throw e; }
  throw new Error('did not throw');
}

describe('count deltas (docs/laws.md MX2LM-EVOLVE)', () => {
  const toy = ['<unk>', '<s>', '</s>', 'the', 'cat', 'sat'];
  const parent = `sha256:${'0'.repeat(64)}`;

  it('counts orders 1 … 3 of <s> w… </s>, sorted by n then ids, <unk> for unknown words', () => {
    const d = countDelta(toy, [['the', 'cat', 'sat'], ['the', 'dog']], parent);
    expect(d.counts).toEqual([
      [0, 1], [1, 2], [2, 2], [3, 2], [4, 1], [5, 1],
      [0, 2, 1], [1, 3, 2], [3, 0, 1], [3, 4, 1], [4, 5, 1], [5, 2, 1],
      [1, 3, 0, 1], [1, 3, 4, 1], [3, 0, 2, 1], [3, 4, 5, 1], [4, 5, 2, 1],
    ]);
    expect(deltaSize(d)).toEqual({ sentences: 2, ngrams: 21 });
    expect(new TextDecoder().decode(deltaBytes(countDelta(toy, [[]], parent)))).toBe(
      `{"counts":[[1,1],[2,1],[1,2,1]],"format":"mx2lm.count-delta.v1","order":3,"parent":"${parent}","vocab_hash":"sha256:${hex('{"tokens":["<unk>","<s>","</s>","the","cat","sat"]}')}"}`);
  });

  it('refuses decreasing, zero, fractional, unsorted and inconsistent counts with the JSON path', () => {
    const d = countDelta(toy, [['the', 'cat', 'sat']], parent);
    const mut = (f: (c: number[][]) => void): CountDelta => { const c = d.counts.map((e) => [...e]); f(c); return { ...d, counts: c }; };
    expect(code(() => checkCountDelta(mut((c) => { c[3][1] = -1; })))).toMatchObject({ code: 'bad_input', path: '$.counts[3][1]', message: expect.stringMatching(/negative.*append-only/) });
    expect(code(() => checkCountDelta(mut((c) => { c[3][1] = 0.5; })))).toMatchObject({ code: 'bad_input', path: '$.counts[3][1]' });
    expect(code(() => checkCountDelta(mut((c) => { c[3][1] = 0; })))).toMatchObject({ code: 'bad_input', path: '$.counts[3][1]' });
    expect(code(() => checkCountDelta(mut((c) => { [c[0], c[1]] = [c[1], c[0]]; })))).toMatchObject({ code: 'bad_input', path: '$.counts[1]' });
    expect(code(() => checkCountDelta(mut((c) => { c[3][1] = 2; })))).toMatchObject({ code: 'bad_input', path: '$.counts[3]', message: expect.stringMatching(/not the counts of sentences/) });
    expect(code(() => checkCountDelta(mut((c) => { c[6] = [3, 1, 1]; })))).toMatchObject({ code: 'bad_input', path: '$.counts[6][1]' });
    expect(code(() => checkCountDelta({ ...d, extra: 1 }))).toMatchObject({ code: 'bad_input', path: '$' });
    expect(code(() => parseCountDelta(new TextEncoder().encode(JSON.stringify(d, null, 1))))).toMatchObject({ code: 'bad_input', path: '$' });
    expect(parseCountDelta(deltaBytes(d))).toEqual(d);
  });

  it('a state applies only a delta whose parent is its head; a decreasing delta never applies', () => {
    const s0 = baseState(toy, [['the', 'cat']]);
    const d1 = countDelta(toy, [['cat', 'sat']], s0.head);
    const s1 = applyDelta(s0, d1);
    expect(s1.head).toBe(deltaHash(d1));
    expect(s1.hashes).toEqual([s1.head]);
    const stale = countDelta(toy, [['sat']], s0.head);
    const e = code(() => applyDelta(s1, stale));
    expect(e.code).toBe('hash_mismatch');
    expect(e.message).toContain(s0.head);
    expect(e.message).toContain(s1.head);
    const neg = countDelta(toy, [['sat']], s1.head);
    neg.counts[0][1] = -1;
    expect(code(() => applyDelta(s1, neg))).toMatchObject({ code: 'bad_input', path: '$.counts[0][1]' });
    expect(code(() => applyDelta(s1, { ...countDelta(toy, [['sat']], s1.head), vocab_hash: s0.root }))).toMatchObject({ code: 'incompatible' });
    const big = countDelta(toy, [['sat']], s1.head);
    big.counts = big.counts.map((x) => x.map((v, j) => (j < x.length - 1 && v === 5 ? 9 : v)));
    expect(code(() => applyDelta(s1, big))).toMatchObject({ code: 'bad_input' });
  });
});

describe('evolved brains are the brains of the concatenated sentences (Brown sample)', () => {
  const base = train.slice(0, 300), a = train.slice(300, 350), b = train.slice(350, 400);
  const s2 = evolveState(evolveState(baseState(tokens, base), a), b);

  it('ARPA and SVG graph byte for byte', () => {
    const all = [...base, ...a, ...b];
    expect(writeArpa(stateNgramBrain(s2))).toBe(writeArpa(buildNgramBrain(tokens, all)));
    const g = stateSvgGraph(s2), g0 = buildSvgGraph(tokens, all);
    expect(g.edges).toBe(g0.edges);
    expect(Buffer.from(g.bytes).equals(Buffer.from(g0.bytes))).toBe(true);
  });

  it('the evolve fold: bundle, route, metrics, chain; read back and replayed', () => {
    const bytes = evolveFold({ foldId: 'mx2lm_evolve_test', baseId: 'object://ai/brain/ngram/mx2lm-brown', state: s2 });
    expect(Buffer.from(evolveFold({ foldId: 'mx2lm_evolve_test', baseId: 'object://ai/brain/ngram/mx2lm-brown', state: evolveState(evolveState(baseState(tokens, base), a), b) })).equals(Buffer.from(bytes))).toBe(true);
    const r = readEvolveFold(bytes);
    expect(r.fold['@data']).toEqual({ deltas: [] });
    expect(r.fold['@flow']).toEqual({ entry: '@Count', route: [...EVOLVE_ROUTE], exit: '@Rebuild' });
    const ng = s2.deltas.reduce((t, d) => t + deltaSize(d).ngrams, 0);
    expect(r.fold['@metrics']).toEqual({ steps_trained: 100, delta_norm: ng, timestamp: 2 });
    expect(r.hashes).toEqual(s2.hashes);
    expect(r.manifest).toMatchObject({ root: s2.root, head: s2.head, deltas: ['counts.0001.delta.json', 'counts.0002.delta.json'] });
    const ents = openFoldBundle(bytes).entries;
    expect(ents.map((e) => e.name)).toEqual(['counts.0001.delta.json', 'counts.0002.delta.json', EVOLVE_CHAIN_ENTRY]);
    expect(ents.slice(0, 2).map((e) => e.hash)).toEqual(s2.hashes);
    const s0 = baseState(tokens, base);
    const re = replayEvolveFold(s0, bytes);
    expect(re.head).toBe(s2.head);
    expect(replayEvolveFold(applyDelta(s0, s2.deltas[0]), bytes).head).toBe(s2.head);
    expect(code(() => replayEvolveFold(baseState(tokens, a), bytes)).code).toBe('hash_mismatch');
  });

  it('a tampered delta is refused: changed counts (re-hashed bundle) break the next parent', () => {
    const b0 = openFoldBundle(evolveFold({ foldId: 'ev', baseId: 'object://x', state: s2 }));
    const names = b0.entries.map((e) => e.name);
    const forged = countDelta(tokens, [...a, train[500]], s2.root);
    const entries = names.map((n) => ({ name: n, bytes: n === 'counts.0001.delta.json' ? canonicalJsonBytes(forged) : b0.entryBytes(n)!.slice() }));
    const fold = { ...b0.fold, '@metrics': { ...b0.fold['@metrics'], steps_trained: 101, delta_norm: deltaSize(forged).ngrams + deltaSize(s2.deltas[1]).ngrams } };
    const e = code(() => readEvolveFold(writeFoldBundle(fold, entries)));
    expect(e.code).toBe('hash_mismatch');
    expect(e.message).toContain('counts.0002.delta.json');
    // a flipped byte without re-hashing: the bundle's own entry hash catches it
    const raw = evolveFold({ foldId: 'ev', baseId: 'object://x', state: s2 });
    const ob = openFoldBundle(raw);
    const e1 = ob.entries.find((x) => x.name === 'counts.0001.delta.json')!;
    const pos = ob.dataOffset + e1.offset + e1.length - 3;
    raw[pos] = raw[pos] === 0x30 ? 0x31 : 0x30;
    expect(code(() => readEvolveFold(raw)).code).toBe('hash_mismatch');
    // applying a delta whose parent is not the head
    expect(code(() => applyDelta(s2, s2.deltas[0])).code).toBe('hash_mismatch');
  });
});

describe('evolution figure: validation perplexity before/after adding the first half of the test split', () => {
  it('improves (more data); sample: the first 20,000 train sentences (the full split: 144.8883 → 143.0667, ≈ 22 s, in the law)', () => {
    const base = train.slice(0, 20000);
    const add = sentencesOf(split.test.slice(0, Math.floor(split.test.length / 2)));
    const val = sentencesOf(split.validation);
    const s0 = baseState(tokens, base);
    const s1 = evolveState(s0, add);
    const before = perplexity(stateNgramBrain(s0), val);
    const after = perplexity(stateNgramBrain(s1), val);
    console.log(`evolve figure: base ${base.length} sentences, +${add.length} (${deltaSize(s1.deltas[0]).ngrams} n-grams), validation PPL ${before.perplexity.toFixed(4)} → ${after.perplexity.toFixed(4)} over ${after.tokens} tokens; root ${s0.root} head ${s1.head}`);
    expect([before.perplexity.toFixed(4), after.perplexity.toFixed(4)]).toEqual(['172.1938', '167.7377']);
    expect(after.tokens).toBe(before.tokens);
    expect(after.perplexity).toBeLessThan(before.perplexity);
  });
});
