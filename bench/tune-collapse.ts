/**
 * How the Brown profile's collapse weights (BROWN_COLLAPSE, src/core/mx2lm/build.ts) are chosen
 * (docs/laws.md MX2LM-OBJECTS "Collapse weights"): a grid search on the VALIDATION split by the
 * per-word perplexity of the collapse as src/core/infer/score.ts scores it (the engine's own
 * step: quantized matrix path, SVG and n-gram brains, empty domains removed and the rest
 * renormalised, before the repetition rule). The test split is scored only to report the chosen
 * weights' figure; it never takes part in the choice.
 *
 *   npx tsx bench/tune-collapse.ts [--valid-tokens N] [--test-tokens N] [--top N] [--check N]
 *
 * Cheap: each validation token is scored once (score.ts `scoreSentences` under the loaded
 * profile with every domain given weight, so all three run): P_matrix, P_svg and P_ngram at the
 * target, and whether the SVG domain had a distribution at that step (the matrix path runs
 * whenever α > 0 and the n-gram brain whenever γ > 0, which the grid requires). Every grid point
 * is then evaluated from those numbers with exactly the collapse's arithmetic: collapse.ts
 * `effectiveWeights` over the present domains (SVG present iff β > 0 and the step had a
 * distribution), then c = a·Pm, c = c + b·Ps, c = c + g·Pn (collapseInto's order), and
 * score.ts `perplexityOf`. `--check N` (default 3 grid points) re-scores the first sentences with
 * the engine itself under those weights and asserts equality bit for bit.
 *
 * Grid: α = i/20, β = j/20, γ = k/20 with i + j + k = 20, i ≥ 1, k ≥ 1 (generation needs the
 * matrix path and the n-gram brain; 190 points). Rule: the lowest validation perplexity wins; on
 * an exact tie the larger γ, then the larger β.
 *
 * Validation prefix: the first whole sentences with at most `--valid-tokens` predicted tokens
 * (default 40,000); test: bench/infer.ts's prefix (at most 12,000). It also prints the six
 * sample replies of bench/infer.ts section e under the current and the chosen weights
 * (generation is checked by eye before BROWN_COLLAPSE is changed).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, nodeIo, type Io } from '../src/cli/main.ts';
import { nodeHashBackend } from '../src/cli/node-hash.ts';
import { setHashBackend } from '../src/core/hash/backend.ts';
import { createFolderStore } from '../src/server/folderStore.ts';
import { firstTokens } from './brown-split.ts';
import { loadBrownSplit, sentencesOf } from '../src/cli/brown.ts';
import { BROWN_IDS } from '../src/core/mx2lm/brown-ids.ts';
import { BROWN_COLLAPSE } from '../src/core/mx2lm/build.ts';
import { loadInference, runInference, type InferenceModel } from '../src/core/infer/engine.ts';
import { effectiveWeights, type CollapseWeights } from '../src/core/infer/collapse.ts';
import { perplexityOf, scoreSentences, type TokenScores } from '../src/core/infer/score.ts';

const TRAINED = 'data/mx2lm-brown.safetensors';
const PROMPTS = ['The old man', 'The jury said', 'She walked', 'In the morning', 'The president of the United States', 'It was a long day'];

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  if (i < 0) return dflt;
  const v = Number(process.argv[i + 1]);
  if (!Number.isInteger(v) || v < 0) throw new Error(`${name} wants a non-negative integer`);
  return v;
}
const VALID_TOKENS = arg('--valid-tokens', 40000);
const TEST_TOKENS = arg('--test-tokens', 12000);
const TOP = arg('--top', 12);
const CHECK = arg('--check', 3);

const now = (): number => performance.now();
const log = (s: string): void => { process.stderr.write(`tune-collapse: ${s}\n`); };


/** The model with other collapse weights (everything else the loaded objects'). */
const withCollapse = (m: InferenceModel, collapse: CollapseWeights): InferenceModel => ({ ...m, profile: { ...m.profile, collapse } });

/** The grid (α, β, γ) = (i, j, k)/20, i + j + k = 20, i ≥ 1, k ≥ 1. */
export function collapseGrid(): CollapseWeights[] {
  const g: CollapseWeights[] = [];
  for (let i = 1; i <= 19; i++) for (let k = 1; i + k <= 20; k++) g.push({ alpha: i / 20, beta: (20 - i - k) / 20, gamma: k / 20 });
  return g;
}

/** C of every scored token under `w`, with the engine's arithmetic (see the file comment). */
export function collapseOf(s: TokenScores, w: CollapseWeights): Float64Array {
  const withSvg = effectiveWeights(w, { matrix: true, svg: true, ngram: true })!;
  const noSvg = effectiveWeights(w, { matrix: true, svg: false, ngram: true })!;
  const out = new Float64Array(s.c.length);
  for (let t = 0; t < out.length; t++) {
    const svg = w.beta > 0 && !Number.isNaN(s.svg[t]);
    const e = svg ? withSvg : noSvg;
    let c = 0;
    if (e.alpha > 0) c = e.alpha * s.matrix[t];
    if (e.beta > 0 && svg) c = c + e.beta * s.svg[t];
    if (e.gamma > 0) c = c + e.gamma * s.ngram[t];
    out[t] = c;
  }
  return out;
}

interface Row { w: CollapseWeights; ppl: number }

/** Lowest perplexity first; exact ties: larger γ, then larger β. */
export function better(a: Row, b: Row): number {
  return a.ppl - b.ppl || b.w.gamma - a.w.gamma || b.w.beta - a.w.beta;
}

const wStr = (w: CollapseWeights): string => `(${w.alpha.toFixed(2)}, ${w.beta.toFixed(2)}, ${w.gamma.toFixed(2)})`;

async function run(): Promise<void> {
  const t0 = now();
  setHashBackend(nodeHashBackend());
  const dir = mkdtempSync(join(tmpdir(), 'asx-tune-collapse-'));
  try {
    log('building the Brown set …');
    const quiet: Io = { ...nodeIo, out: () => undefined, err: () => undefined };
    if (await main(['mx2lm', 'build', '--out', dir, '--trained', TRAINED], quiet) !== 0) throw new Error('asx mx2lm build failed');
    log('loading …');
    const store = createFolderStore(dir);
    let model: InferenceModel;
    try { model = await loadInference(store, BROWN_IDS.profile); } finally { await store.close(); }
    const current = model.profile.collapse;
    // Every domain with weight, so that each one's P is computed at every step (a domain's P does not depend on the weights).
    const all = withCollapse(model, { alpha: 1 / 3, beta: 1 / 3, gamma: 1 / 3 });

    const split = loadBrownSplit();
    const valid = firstTokens(sentencesOf(split.validation), VALID_TOKENS);
    const test = firstTokens(sentencesOf(split.test), TEST_TOKENS);
    log(`scoring ${valid.length} validation sentences …`);
    let ts = now();
    const v = await scoreSentences(all, valid);
    const vSecs = (now() - ts) / 1000;

    // The arithmetic above equals the engine's C bit for bit (score.ts under those weights), on a few grid points.
    const grid = collapseGrid();
    const checkPoints = [current, ...grid.filter((_, i) => i % 37 === 5)].slice(0, CHECK);
    const few = valid.slice(0, 20);
    for (const w of checkPoints) {
      const engine = await scoreSentences(withCollapse(model, w), few);
      const mine = collapseOf(v, w).subarray(0, engine.c.length);
      for (let t = 0; t < engine.c.length; t++) {
        if (!Object.is(engine.c[t], mine[t])) throw new Error(`collapse ${wStr(w)} token ${t}: engine ${engine.c[t]} ≠ ${mine[t]}`);
      }
      log(`checked ${wStr(w)}: ${engine.c.length} tokens equal bit for bit`);
    }

    const rows: Row[] = grid.map((w) => ({ w, ppl: perplexityOf(collapseOf(v, w)).perplexity })).sort(better);
    const best = rows[0];
    const cur = { w: current, ppl: perplexityOf(collapseOf(v, current)).perplexity };
    const rank = rows.findIndex((r) => r.w.alpha === current.alpha && r.w.beta === current.beta && r.w.gamma === current.gamma) + 1;
    const tuneSecs = (now() - t0) / 1000;

    log(`scoring ${test.length} test sentences (report only) …`);
    ts = now();
    const te = await scoreSentences(all, test);
    const teSecs = (now() - ts) / 1000;

    const p = (s = ''): void => { process.stdout.write(`${s}\n`); };
    const f2 = (x: number): string => x.toFixed(2);
    p(`validation prefix: ${valid.length} of ${sentencesOf(split.validation).length} sentences, ${v.c.length} predicted tokens (at most ${VALID_TOKENS}); scored in ${vSecs.toFixed(0)} s (${(v.c.length / vSecs).toFixed(0)} tokens/s)`);
    p(`test prefix (report only): ${test.length} sentences, ${te.c.length} predicted tokens (at most ${TEST_TOKENS}); scored in ${teSecs.toFixed(0)} s`);
    p(`grid: ${grid.length} points, alpha, beta, gamma multiples of 0.05, sum 1, alpha > 0, gamma > 0; lowest validation perplexity, ties to larger gamma then larger beta`);
    p(`checked bit for bit against score.ts under ${checkPoints.map(wStr).join(', ')} (first ${few.length} sentences)`);
    p(`tuning (build, load, scoring validation, grid): ${tuneSecs.toFixed(0)} s`);
    p();
    p(`| rank | alpha | beta | gamma | validation perplexity |`);
    p(`| ---: | ---: | ---: | ---: | ---: |`);
    rows.slice(0, TOP).forEach((r, i) => p(`| ${i + 1} | ${r.w.alpha} | ${r.w.beta} | ${r.w.gamma} | ${r.ppl.toFixed(4)} |`));
    p(`| ${rank} | ${current.alpha} | ${current.beta} | ${current.gamma} | ${cur.ppl.toFixed(4)} (the current weights) |`);
    p();
    const line = (name: string, vc: number, tc: number) => p(`${name}: validation ${f2(vc)}, test ${f2(tc)}`);
    line(`chosen ${wStr(best.w)}`, best.ppl, perplexityOf(collapseOf(te, best.w)).perplexity);
    line(`current ${wStr(current)}`, cur.ppl, perplexityOf(collapseOf(te, current)).perplexity);
    line('n-gram brain alone', perplexityOf(v.ngram).perplexity, perplexityOf(te.ngram).perplexity);
    line('matrix path alone', perplexityOf(v.matrix).perplexity, perplexityOf(te.matrix).perplexity);
    p();
    p(`CHOSEN: alpha ${best.w.alpha}, beta ${best.w.beta}, gamma ${best.w.gamma}`);
    p();
    for (const [name, w] of [['current', current], ['chosen', best.w]] as const) {
      p(`sample replies, ${name} ${wStr(w)}:`);
      const m = withCollapse(model, w);
      for (const pr of PROMPTS) {
        const r = await runInference(m, { '@request': 'ai.inference', prompt: pr, profile: BROWN_IDS.profile, projection: 'agent.reply' });
        p(`  ${pr} → ${String((r.payload as { text?: unknown }).text)} (${r.tokens.length} tokens, ${r.stop})`);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) await run();
