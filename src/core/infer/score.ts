/**
 * Scoring text under a loaded inference model (docs/laws.md MX2LM-INFER "Scoring"): the
 * probability the exact engine's collapse gives each token of a sentence, and the per-word
 * perplexity of a text under it (issue 12, the quality of the bundled hybrid).
 *
 * The scored probability of the token at position p of a sentence is C_w of the engine's step
 * (engine.ts `stepDistributions`, the very code generation runs) whose sequence is the
 * sentence's ids before p — as if they were prompt + reply: the matrix path's context is the last
 * k of `<s>`×k + those ids, the n-gram history `<s>` + those ids, the SVG node the last of them
 * (`<s>` at p = 0). C is taken before the repetition rule and selection (those pick a token; they
 * are not part of the distribution), over every id (`<unk>`, `<s>` included; Σ C = 1 up to
 * rounding and the n-gram brain's tolerance). Predicted tokens are those of MX2LM-HYBRID: every
 * id of the sentence's encoding (its words, `<unk>` included, then `</s>`) except `<s>`, which is
 * not predicted and joins the sequence.
 *
 * Each domain's own probability of the token is kept too: the collapse of one present domain
 * renormalises its weight to w/w = 1 and 1·P = P exactly, so it is what a profile with only that
 * domain scores — matrix-only and n-gram-only figures come from the same steps.
 *
 * Perplexity: exp(−(Σ ln P, in token order)/N) with the project's fdlibm log and exp
 * (MX2LM-MATH); a token with P = 0 makes it +∞ (counted in `zeros`).
 *
 * Pure: no DOM, no Node.
 */
import { exp, log } from '../math/fdlibm.ts';
import { cpuIntMatmul, type IntMatmul } from './intmatmul.ts';
import { stepBuffers, stepDistributions, type InferenceModel, type StepBuffers, type StepInfo } from './engine.ts';

/** Per predicted token: its id, C, and each domain's P (NaN when that domain did not run at the step). */
export interface TokenScores {
  readonly ids: Int32Array;
  readonly c: Float64Array;
  readonly matrix: Float64Array;
  readonly svg: Float64Array;
  readonly ngram: Float64Array;
}

export interface ScoreOptions {
  /** The integer backend (default cpuIntMatmul; every exact IntMatmul gives the same values). */
  matmul?: IntMatmul;
  /** Each step, after its distributions are computed (read-only): the position in `ids`, the target id. */
  onStep?: (pos: number, target: number, info: StepInfo, buf: StepBuffers) => void;
}

/**
 * Score one sentence given as ids (the tokenizer's encoding: words then `</s>`; no leading
 * `<s>`). Every id but `<s>` is predicted from the ids before it.
 */
export async function scoreIds(model: InferenceModel, ids: ArrayLike<number>, opts: ScoreOptions = {}): Promise<TokenScores> {
  const mm = opts.matmul ?? cpuIntMatmul;
  const buf = stepBuffers(model);
  const out = { ids: [] as number[], c: [] as number[], matrix: [] as number[], svg: [] as number[], ngram: [] as number[] };
  const seq: number[] = [];
  for (let p = 0; p < ids.length; p++) {
    const target = ids[p];
    if (target !== model.bos) {
      const s = await stepDistributions(model, seq, mm, buf);
      opts.onStep?.(p, target, s, buf);
      out.ids.push(target);
      out.c.push(buf.c[target]);
      out.matrix.push(s.runMatrix ? buf.pm[target] : NaN);
      out.svg.push(s.svgPresent ? buf.ps[target] : NaN);
      out.ngram.push(s.ngramPresent ? buf.pn[target] : NaN);
    }
    seq.push(target);
  }
  return { ids: Int32Array.from(out.ids), c: Float64Array.from(out.c), matrix: Float64Array.from(out.matrix), svg: Float64Array.from(out.svg), ngram: Float64Array.from(out.ngram) };
}

/** Score sentences of words (each encoded by the model's tokenizer as one sentence, `</s>` at its end), concatenated in order. */
export async function scoreSentences(model: InferenceModel, sentences: readonly (readonly string[])[], opts: ScoreOptions = {}): Promise<TokenScores> {
  const parts: TokenScores[] = [];
  for (const s of sentences) parts.push(await scoreIds(model, model.encoder.encode([s]), opts));
  const cat = <T extends Int32Array | Float64Array>(k: keyof TokenScores, make: (n: number) => T): T => {
    const o = make(parts.reduce((a, q) => a + q[k].length, 0));
    let at = 0;
    for (const q of parts) { o.set(q[k] as ArrayLike<number>, at); at += q[k].length; }
    return o;
  };
  return {
    ids: cat('ids', (n) => new Int32Array(n)), c: cat('c', (n) => new Float64Array(n)), matrix: cat('matrix', (n) => new Float64Array(n)),
    svg: cat('svg', (n) => new Float64Array(n)), ngram: cat('ngram', (n) => new Float64Array(n)),
  };
}

export interface Perplexity {
  /** exp(meanNll); +∞ when a token has P = 0. */
  readonly perplexity: number;
  /** −(Σ ln P in order)/N. */
  readonly meanNll: number;
  readonly tokens: number;
  /** Tokens with P = 0. */
  readonly zeros: number;
}

/** Per-word perplexity of per-token probabilities (fdlibm log and exp; sums in order). */
export function perplexityOf(p: ArrayLike<number>): Perplexity {
  if (p.length === 0) throw new RangeError('perplexity of no tokens');
  let sum = 0, zeros = 0;
  for (let i = 0; i < p.length; i++) {
    const v = p[i];
    if (!(v >= 0 && v <= 1 + 1e-9)) throw new RangeError(`probability ${v} at ${i} is not in [0, 1]`);
    if (v === 0) zeros++;
    sum += log(v);
  }
  const meanNll = -sum / p.length;
  return { perplexity: exp(meanNll), meanNll, tokens: p.length, zeros };
}
