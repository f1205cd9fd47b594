/**
 * MX2LM quality on real text (issue 11; docs/laws.md MX2LM-HYBRID): the per-word perplexity of
 * the Brown validation and test splits under the base (seeded, untrained) matrix path, the
 * trained matrix path, the Kneser-Ney trigram brain, and their mixture
 * P = λ·P_matrix + (1 − λ)·P_ngram (Bengio et al. 2003) with λ chosen on validation from the grid
 * 0, 0.05, …, 1 (src/core/mx2lm/hybrid.ts), reported on test with that λ. Prints the markdown of
 * docs/bench-mx2lm.md on stdout (progress on stderr).
 *
 *   npx tsx bench/mx2lm-quality.ts --objects DIR [--weights W.safetensors] [--max-tokens N]
 *       [--activation tanh|relu] [--batch B]
 *
 * DIR is a folder written by `npx asx mx2lm build --out DIR` (default `mx2lm-objects`); every
 * object is read through the object server, verified. `--weights` is the trained matrix path
 * (default: the folder's base weights, so "trained" is then the base; said in the output); its
 * activation is the base descriptor's `architecture.activation` unless `--activation` says
 * otherwise. The matrix path runs at about 2,500 tokens/s on one core (V = 8693), so a whole
 * split takes ~50 s per model: `--max-tokens N` evaluates only the first sentences of each split
 * whose predicted tokens (words and `</s>`) sum to at most N (at least one sentence), and the
 * output says so.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism, cpus } from 'node:os';
import { fileURLToPath } from 'node:url';
import { firstTokens, objectPayload } from './brown-split.ts';
import { decodeText } from '../src/core/mx2lm/corpus.ts';
import { sentencesOfLines, tokenIdsOf } from '../src/core/mx2lm/encode.ts';
import { readArpa } from '../src/core/ngram/arpa.ts';
import { indexModel } from '../src/core/ngram/conservation.ts';
import { perplexity } from '../src/core/mx2lm/ngram-brain.ts';
import { tensorSetOf } from '../src/core/gym/load.ts';
import { matrixConfigOf } from '../src/core/gym/run.ts';
import { MatrixWorkspace } from '../src/core/mx2lm/matrix.ts';
import type { TensorSet } from '../src/core/gym/tensor.ts';
import { BROWN_IDS } from '../src/core/mx2lm/brown-ids.ts';
import { chooseLambda, hybridPerplexity, LAMBDA_GRID, matrixTokenLogProbs, ngramTokenLog10Probs, type LambdaChoice } from '../src/core/mx2lm/hybrid.ts';

const IDS = { ...BROWN_IDS, base: BROWN_IDS.weightsBase } as const;

const fmt = (x: number, d = 2): string => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const int = (x: number): string => Math.round(x).toLocaleString('en-US');
const now = (): number => performance.now();
const log = (s: string): void => { process.stderr.write(`mx2lm-quality: ${s}\n`); };

interface Args { objects: string; weights: string | null; maxTokens: number | null; activation: 'tanh' | 'relu' | null; batch: number }

function parse(argv: string[]): Args {
  const a: Args = { objects: 'mx2lm-objects', weights: null, maxTokens: null, activation: null, batch: 64 };
  for (let i = 0; i < argv.length; i++) {
    const k = argv[i], v = argv[i + 1];
    const need = () => { if (v === undefined) throw new Error(`${k} needs a value`); i++; return v; };
    if (k === '--objects') a.objects = need();
    else if (k === '--weights') a.weights = need();
    else if (k === '--max-tokens') { const n = Number(need()); if (!Number.isSafeInteger(n) || n < 1) throw new Error('--max-tokens must be a positive integer'); a.maxTokens = n; }
    else if (k === '--batch') { const n = Number(need()); if (!Number.isSafeInteger(n) || n < 1) throw new Error('--batch must be a positive integer'); a.batch = n; }
    else if (k === '--activation') { const s = need(); if (s !== 'tanh' && s !== 'relu') throw new Error('--activation must be tanh or relu'); a.activation = s; }
    else if (!k.startsWith('-') && i === 0) a.objects = k;
    else throw new Error(`unknown argument ${k} (usage: npx tsx bench/mx2lm-quality.ts --objects DIR [--weights W.safetensors] [--max-tokens N] [--activation tanh|relu] [--batch B])`);
  }
  return a;
}


interface SplitEval { sentences: number; allSentences: number; tokens: number; unk: number; ids: Int32Array; ngramLnP: Float64Array; ngramPpl: number; ngramSec: number }

export async function run(argv = process.argv.slice(2)): Promise<string> {
  const args = parse(argv);
  const t0 = now();
  const dir = args.objects;
  const text = async (id: string) => sentencesOfLines(decodeText((await objectPayload(dir, id)).bytes, id));

  log(`loading ${dir}`);
  const tl = now();
  const trainS = await text(IDS.train);
  const split = { validation: await text(IDS.validation), test: await text(IDS.test) };
  const tokens = (JSON.parse(new TextDecoder().decode((await objectPayload(dir, IDS.vocab)).bytes)) as { tokens: string[] }).tokens;
  const ids = tokenIdsOf(JSON.parse(new TextDecoder().decode((await objectPayload(dir, IDS.tokenizer)).bytes)));
  const ix = indexModel(readArpa((await objectPayload(dir, IDS.ngram)).bytes).model);
  const baseObj = await objectPayload(dir, IDS.base);
  const arch = (baseObj.descriptor.architecture ?? {}) as { activation?: string };
  const activation = args.activation ?? (arch.activation === 'relu' ? 'relu' : 'tanh');
  const base = (await tensorSetOf(baseObj.bytes, IDS.base)).tensors;
  const trained: TensorSet = args.weights ? (await tensorSetOf(new Uint8Array(await readFile(args.weights)), args.weights)).tensors : base;
  const config = matrixConfigOf(base, activation);
  const tconfig = matrixConfigOf(trained, activation);
  if (ids.size !== tokens.length || config.vocabSize !== tokens.length || tconfig.vocabSize !== tokens.length) {
    throw new Error(`vocabulary sizes disagree: vocab ${tokens.length}, tokenizer ${ids.size}, base ${config.vocabSize}, weights ${tconfig.vocabSize}`);
  }
  const loadSec = (now() - tl) / 1000;

  const evals = {} as Record<'validation' | 'test', SplitEval>;
  for (const name of ['validation', 'test'] as const) {
    const s = firstTokens(split[name], args.maxTokens);
    const tn = now();
    const stream = ids.encode(s);
    const l10 = ngramTokenLog10Probs(ix, tokens, stream);
    const ref = perplexity(ix, s);
    let sum = 0;
    for (const x of l10) sum += x;
    if (sum !== ref.log10Sum || l10.length !== ref.tokens) throw new Error(`${name}: the per-token n-gram figures do not reproduce perplexity() (${sum} vs ${ref.log10Sum})`);
    const ln = Float64Array.from(l10, (x) => x * Math.LN10);
    evals[name] = { sentences: s.length, allSentences: split[name].length, tokens: ref.tokens, unk: ref.unk, ids: stream, ngramLnP: ln, ngramPpl: ref.perplexity, ngramSec: (now() - tn) / 1000 };
    log(`${name}: ${ref.tokens} tokens, n-gram ${ref.perplexity.toFixed(4)}`);
  }

  const models: { label: string; params: TensorSet; config: typeof config }[] = [{ label: 'base matrix path (untrained)', params: base, config }];
  if (args.weights) models.push({ label: 'trained matrix path', params: trained, config: tconfig });
  const results: { label: string; lnP: Record<'validation' | 'test', Float64Array>; sec: number; choice: LambdaChoice }[] = [];
  for (const m of models) {
    const ws = new MatrixWorkspace(m.config, args.batch);
    const tm = now();
    const lnP = {} as Record<'validation' | 'test', Float64Array>;
    for (const name of ['validation', 'test'] as const) {
      lnP[name] = matrixTokenLogProbs(m.params, evals[name].ids, ws, args.batch);
      log(`${m.label}, ${name}: ${hybridPerplexity(lnP[name], evals[name].ngramLnP, 1).perplexity.toFixed(4)}`);
    }
    const sec = (now() - tm) / 1000;
    results.push({ label: m.label, lnP, sec, choice: chooseLambda(lnP.validation, evals.validation.ngramLnP) });
  }
  const totalSec = (now() - t0) / 1000;

  const L: string[] = [];
  const p = (s = '') => L.push(s);
  const v = evals.validation, t = evals.test;
  p('# MX2LM quality on real text (Brown)');
  p();
  p(`Generated by \`npx tsx bench/mx2lm-quality.ts ${argv.join(' ')}\`. Per-word perplexity: every predicted token (the words, \`<unk>\` included, and \`</s>\`; never \`<s>\`), the same tokens for every model (docs/laws.md MX2LM-HYBRID). Hybrid: P = λ·P_matrix + (1 − λ)·P_ngram per token, λ chosen on validation from {0, 0.05, …, 1} (lowest perplexity, ties to the smaller λ), then applied to test.`);
  p();
  p(`Objects: \`${dir}\` (\`npx asx mx2lm build\`). Trained weights: ${args.weights ? `\`${args.weights}\`` : '**none given: only the base weights are evaluated** (pass `--weights W.safetensors`)'}. Matrix path: V = ${config.vocabSize}, k = ${tconfig.context}, d = ${tconfig.embedDim}, H = ${tconfig.hidden}, ${activation}. N-gram brain: interpolated Kneser-Ney, order ${ix.order}.`);
  p();
  if (args.maxTokens !== null) {
    p(`**Partial evaluation** (\`--max-tokens ${args.maxTokens}\`): the first ${int(v.sentences)} of ${int(v.allSentences)} validation sentences and the first ${int(t.sentences)} of ${int(t.allSentences)} test sentences (whole sentences, at most ${int(args.maxTokens)} predicted tokens each); the figures are not those of the whole splits.`);
    p();
  }
  p('## Splits and vocabulary');
  p();
  p('| split | sentences | words | predicted tokens evaluated | of which `<unk>` |');
  p('| --- | ---: | ---: | ---: | ---: |');
  const words = (s: string[][]) => s.reduce((a, x) => a + x.length, 0);
  p(`| train | ${int(trainS.length)} | ${int(words(trainS))} | — | — |`);
  p(`| validation | ${int(split.validation.length)} | ${int(words(split.validation))} | ${int(v.tokens)} | ${int(v.unk)} (${fmt((100 * v.unk) / v.tokens, 1)} %) |`);
  p(`| test | ${int(split.test.length)} | ${int(words(split.test))} | ${int(t.tokens)} | ${int(t.unk)} (${fmt((100 * t.unk) / t.tokens, 1)} %) |`);
  p();
  p(`Vocabulary: ${int(tokens.length)} tokens (\`<unk>\`, \`<s>\`, \`</s>\` and the train words with count ≥ 8).`);
  p();
  p('## Per-word perplexity');
  p();
  p('| model | λ | validation | test |');
  p('| --- | ---: | ---: | ---: |');
  const row = (label: string, lambda: string, a: number, b: number) => p(`| ${label} | ${lambda} | ${fmt(a)} | ${fmt(b)} |`);
  for (const r of results) row(r.label, '1', hybridPerplexity(r.lnP.validation, v.ngramLnP, 1).perplexity, hybridPerplexity(r.lnP.test, t.ngramLnP, 1).perplexity);
  if (!args.weights) p('| trained matrix path | 1 | — | — |');
  row('n-gram brain (KN trigram)', '0', v.ngramPpl, t.ngramPpl);
  for (const r of results) {
    const c = r.choice;
    row(`**hybrid**: ${r.label} + n-gram`, fmt(c.lambda), c.valid.perplexity, hybridPerplexity(r.lnP.test, t.ngramLnP, c.lambda).perplexity);
  }
  p();
  for (const r of results) {
    p(`Validation perplexity against λ (${r.label} + n-gram): ${r.choice.curve.filter((_, i) => i % 2 === 0 || LAMBDA_GRID[i] === r.choice.lambda).map((c) => `${fmt(c.lambda)} → ${fmt(c.perplexity)}`).join(', ')}.`);
    p();
  }
  p('## Time');
  p();
  const tokensM = v.tokens + t.tokens;
  p(`Loading and verifying the objects (ARPA parse included): ${fmt(loadSec, 1)} s. N-gram per-token probabilities: ${fmt(v.ngramSec + t.ngramSec, 1)} s for ${int(tokensM)} tokens.`);
  for (const r of results) p(`${r.label}: ${fmt(r.sec, 1)} s for ${int(tokensM)} tokens (${int(tokensM / r.sec)} tokens/s, batch ${args.batch}, one thread).`);
  p(`Total: ${fmt(totalSec, 1)} s. Machine: ${cpus()[0]?.model ?? 'unknown CPU'}, ${availableParallelism()} cores, Node ${process.version}.`);
  return L.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  console.log(await run());
}
