/**
 * The exact, deterministic MX2LM inference engine (§20; docs/laws.md MX2LM-INFER). Same objects,
 * same hashes, same request ⇒ the same reply bytes and the same trace bytes, on the CPU, in a
 * worker, in Node and with a GPU `IntMatmul`, by construction:
 *
 *   - the only step a backend may compute is `IntMatmul` (int8 × int8 → int32, exact in any order,
 *     intmatmul.ts); everything else runs here in JS with + − × ÷ on doubles (IEEE-754, no
 *     contraction in JS), comparisons, integer/BigInt arithmetic and the project's fdlibm
 *     exp/tanh (never Math.exp/log/tanh/pow, `**`);
 *   - quantization (quantize.ts), probabilities (probabilities.ts), SVG traversal
 *     (svg-traverse.ts), collapse and selection (collapse.ts), reply (reply-projection.ts);
 *   - every loop runs in a declared order (ascending ids).
 *
 * Phase III, the matrix path, quantized: x = concat(embed[c_0], …, embed[c_{k−1}]) (the f32 rows;
 * c the last k tokens of `<s>`×k + prompt + reply), quantized per vector (x_scale, codes xq);
 * pre_i = b1_i + (s1_i · x_scale) · Σ_m W1q[i,m]·xq[m]; a_i = act(pre_i) (tanh: fdlibm, relu:
 * max(0, ·)); a quantized per vector (a_scale, aq); logit_v = b2_v + (s2_v · a_scale) · Σ_h W2q[v,h]·aq[h];
 * W1q, W2q per-row int8 codes with scales s1, s2, b1, b2 the f32 biases. Then softmax (fdlibm exp).
 * The matrix path runs only when the collapse gives it weight (alpha > 0).
 *
 * Pure: no DOM, no Node.
 */
import { AsxError } from '../errors.ts';
import { sha256 } from '../hash/sha256.ts';
import { toHex } from '../bytes/hex.ts';
import { utf8 } from '../bytes/utf8.ts';
import { tanh } from '../math/fdlibm.ts';
import { readArpa, withSharedArpa } from '../ngram/arpa.ts';
import { BOS, EOS, UNK } from '../ngram/kneser-ney.ts';
import { words } from '../mx2lm/corpus.ts';
import { tokenIdsOf, type TokenIds } from '../mx2lm/encode.ts';
import { checkParams, configFromArchitecture, type MatrixConfig } from '../mx2lm/matrix.ts';
import { tensorSetOf } from '../gym/load.ts';
import { checkProfile } from '../objects/ai/profile.ts';
import { shapeHash } from '../objects/ai/weights.ts';
import type { ObjectStore } from '../objects/server.ts';
import { cpuIntMatmul, INT8_DOT_MAX_COLS, type IntMatmul } from './intmatmul.ts';
import { quantizeInto, quantizeRows, INT8_MAX, type QuantizedRows } from './quantize.ts';
import { ngramDistributionInto, ngramTable, softmaxInto, type NgramTable } from './probabilities.ts';
import { decodeSvgBrain, svgDistributionInto, type SvgBrainGraph } from './svg-traverse.ts';
import { collapseInto, effectiveWeights, repeatExcluded, selectArgmax, topK, type CollapseWeights, type RepeatRule } from './collapse.ts';
import { replyPayload, type Postprocessing, type ReplyForm, type ReplyFormat } from './reply-projection.ts';
import { parseRequest, type InferenceRequest } from './request.ts';
import { resolveInferenceObjects, type Role } from './objects.ts';
import type { ObjectRef, TraceCandidate, TraceEvent, TraceListener } from './trace.ts';

export type { IntMatmul } from './intmatmul.ts';
export { cpuIntMatmul } from './intmatmul.ts';

/** The matrix path in its exact form. */
export interface QuantizedMatrix {
  readonly config: MatrixConfig;
  /** embed.weight [V, d], f32 (rows are looked up, not multiplied). */
  readonly embed: Float32Array;
  readonly hidden: QuantizedRows;
  readonly hiddenBias: Float32Array;
  readonly out: QuantizedRows;
  readonly outBias: Float32Array;
}

export interface InferenceProfile {
  readonly mode: string;
  readonly collapse: CollapseWeights;
  readonly context: number;
  readonly maxTokens: number;
  readonly stop: string;
  readonly repeat: RepeatRule | null;
}

/** Everything a request needs, loaded and verified once. */
export interface InferenceModel {
  readonly profileId: string;
  readonly profile: InferenceProfile;
  readonly objects: readonly ObjectRef[];
  readonly tokens: readonly string[];
  readonly encoder: TokenIds;
  readonly unk: number;
  readonly bos: number;
  readonly stopId: number;
  readonly matrix: QuantizedMatrix;
  readonly ngram: NgramTable | null;
  readonly svg: SvgBrainGraph;
  readonly reply: ReplyForm;
}

export interface InferenceReply {
  /** The reply bytes (UTF-8 JSON of the ai.agent.reply payload). */
  readonly bytes: Uint8Array;
  readonly payload: Record<string, unknown>;
  readonly promptIds: readonly number[];
  readonly tokens: readonly number[];
  readonly stop: 'stop_token' | 'max_tokens' | 'no_candidate';
  /** `sha256:<hex>` of `bytes`. */
  readonly hash: string;
}

export interface InferenceOptions {
  /** The integer backend (default: cpuIntMatmul). */
  matmul?: IntMatmul;
  /** Trace events (§20.12); read-only. */
  onTrace?: TraceListener;
  /** Each reply token as it is selected (id, symbol); read-only, for streaming with the trace off. */
  onToken?: (id: number, token: string) => void;
}

function illegal(message: string, path: string): AsxError {
  return new AsxError('inference_error.illegal_object', message, { path });
}

/** Read the repetition rule (`repeat: {window, ngram}`, integers, 1 ≤ ngram ≤ window ≤ 4096). */
function repeatOf(v: unknown): RepeatRule | null {
  if (v === undefined) return null;
  const r = v as { window?: unknown; ngram?: unknown };
  const ok = (x: unknown): x is number => typeof x === 'number' && Number.isInteger(x) && x >= 1 && x <= 4096;
  if (!r || typeof r !== 'object' || !ok(r.window) || !ok(r.ngram) || r.ngram > r.window || Object.keys(r).some((k) => k !== 'window' && k !== 'ngram')) {
    throw illegal('profile repeat is {"window": W, "ngram": n}, integers with 1 ≤ n ≤ W ≤ 4096', 'payload$.repeat');
  }
  return { window: r.window, ngram: r.ngram };
}

/** Quantize a weights object (tensor names of matrix.ts), its shapes checked against shape_hash. */
export async function quantizeWeights(bytes: Uint8Array, descriptor: Record<string, unknown>, vocabSize: number, id = 'weights'): Promise<QuantizedMatrix> {
  const d = descriptor as { layer_map?: Record<string, number[]>; shape_hash?: unknown; architecture?: { context: number; embed: number; hidden: number; activation: string } };
  if (!d.layer_map || d.shape_hash !== shapeHash(d.layer_map)) throw illegal(`${id}: shape_hash does not match layer_map`, '$.shape_hash');
  if (!d.architecture) throw illegal(`${id}: no architecture (the activation must be declared)`, '$.architecture');
  let config: MatrixConfig;
  try { config = configFromArchitecture(d.architecture, vocabSize); } catch (e) { throw illegal(`${id}: ${(e as Error).message}`, '$.architecture'); }
  const { tensors } = await tensorSetOf(bytes, id);
  try { checkParams(tensors, config); } catch (e) { throw illegal(`${id}: ${(e as Error).message}`, '$.layer_map'); }
  for (const [name, t] of tensors) {
    const declared = d.layer_map[name];
    if (!declared || declared.length !== t.shape.length || declared.some((s, i) => s !== t.shape[i])) throw illegal(`${id}: ${name} [${t.shape.join(',')}] is not the declared shape`, `$.layer_map.${name}`);
  }
  const K = config.context * config.embedDim;
  if (K > INT8_DOT_MAX_COLS || config.hidden > INT8_DOT_MAX_COLS) throw illegal(`${id}: a layer wider than ${INT8_DOT_MAX_COLS} could overflow int32`, '$.layer_map');
  const g = (n: string) => tensors.get(n)!.data;
  return {
    config,
    embed: Float32Array.from(g('embed.weight')),
    hidden: quantizeRows(g('hidden.weight'), config.hidden, K),
    hiddenBias: Float32Array.from(g('hidden.bias')),
    out: quantizeRows(g('out.weight'), config.vocabSize, config.hidden),
    outBias: Float32Array.from(g('out.bias')),
  };
}

/** The stages of `loadInference`, each reported when it ends (benches time them; bench/infer.ts). */
export type LoadStage = 'objects' | 'profile' | 'weights' | 'ngram' | 'svg' | 'reply';

export interface LoadOptions {
  /** Called as each stage ends: `objects` (resolve + verify every object), `profile` (profile, vocab, tokenizer), `weights` (quantize), `ngram`, `svg`, `reply`. */
  onStage?: (stage: LoadStage) => void;
}

/** Resolve, verify and prepare the objects of `profileId` from a store. */
export async function loadInference(store: ObjectStore, profileId: string, opts: LoadOptions = {}): Promise<InferenceModel> {
  // The n-gram brain's ARPA text is parsed by its legality check (verification) and needed again
  // for the table: within this load, the second readArpa of the same bytes reuses the first
  // parse (arpa.ts `withSharedArpa`: equal bytes, equal result; the check itself still runs).
  return withSharedArpa(() => load(store, profileId, opts));
}

async function load(store: ObjectStore, profileId: string, opts: LoadOptions): Promise<InferenceModel> {
  const stage = opts.onStage ?? (() => undefined);
  const objs = await resolveInferenceObjects(store, profileId);
  stage('objects');
  const get = (r: Role) => objs.get(r)!;
  const text = (r: Role) => new TextDecoder('utf-8', { fatal: true }).decode(get(r).bytes);
  const json = (r: Role): Record<string, unknown> => {
    try { return JSON.parse(text(r)) as Record<string, unknown>; } catch (e) { throw illegal(`${get(r).id}: ${(e as Error).message}`, 'payload$'); }
  };

  const pd = get('profile').descriptor as unknown as { mode?: unknown; inputs?: unknown };
  const legal = checkProfile(pd, get('profile').bytes);
  if (!legal.ok) throw illegal(`${profileId}: ${legal.findings.map((f) => `${f.code} at ${f.path}`).join('; ')}`, 'payload$');
  const p = json('profile') as { mode: string; collapse: CollapseWeights; context: number; max_tokens: number; stop?: unknown; repeat?: unknown };
  const profile: InferenceProfile = {
    mode: p.mode, collapse: { alpha: p.collapse.alpha, beta: p.collapse.beta, gamma: p.collapse.gamma }, context: p.context, maxTokens: p.max_tokens,
    stop: typeof p.stop === 'string' ? p.stop : EOS, repeat: repeatOf(p.repeat),
  };

  const vt = json('vocab').tokens;
  if (!Array.isArray(vt) || !vt.every((t) => typeof t === 'string')) throw illegal(`${get('vocab').id}: tokens is a list of strings`, 'payload$.tokens');
  const tokens = vt as string[];
  const index = new Map(tokens.map((t, i) => [t, i]));
  const encoder = tokenIdsOf(json('tokenizer'));
  if (encoder.size > tokens.length) throw illegal(`${get('tokenizer').id}: ids up to ${encoder.size - 1}, the vocab has ${tokens.length} tokens`, 'payload$.model.vocab');
  const need = (t: string) => { const i = index.get(t); if (i === undefined) throw illegal(`${get('vocab').id}: no ${t} token`, 'payload$.tokens'); return i; };
  const unk = need(UNK), bos = need(BOS), stopId = need(profile.stop);
  stage('profile');

  const matrix = await quantizeWeights(get('weights').bytes, get('weights').descriptor as unknown as Record<string, unknown>, tokens.length, get('weights').id);
  stage('weights');
  const ngram = objs.has('ngram') ? ngramTable(readArpa(get('ngram').bytes).model, tokens) : null;
  stage('ngram');
  const svg = decodeSvgBrain(get('svg').bytes);
  stage('svg');

  const rd = get('reply').descriptor as unknown as { format?: unknown; postprocessing?: unknown };
  const format = rd.format as ReplyFormat, post = (rd.postprocessing ?? 'none') as Postprocessing;
  if (!['text', 'tokens', 'structured'].includes(format)) throw illegal(`${get('reply').id}: format ${String(rd.format)}`, '$.format');
  if (!['none', 'normalize', 'detokenize'].includes(post)) throw illegal(`${get('reply').id}: postprocessing ${String(rd.postprocessing)}`, '$.postprocessing');

  const order: Role[] = ['profile', 'tokenizer', 'vocab', 'weights', 'ngram', 'svg', 'reply'];
  const objects = order.filter((r) => objs.has(r)).map((r) => ({ role: r, id: get(r).id, hash: get(r).hash }));
  stage('reply');
  return { profileId, profile, objects, tokens, encoder, unk, bos, stopId, matrix, ngram, svg, reply: { id: get('reply').id, format, postprocessing: post } };
}

/** The prompt's token ids (Phase I): corpus.ts `words`, then the tokenizer, as one sentence. */
export function promptIds(model: InferenceModel, prompt: string): number[] {
  const ids = model.encoder.encode([words(prompt)]);
  return Array.from(ids.subarray(0, ids.length - 1)); // encode ends each sentence with </s>
}

/**
 * The reusable buffers of one step (Phases III–V): the matrix path's input and activations
 * (float and int8), its logits, the three domains' distributions and the collapse, V or K or H
 * long. One per run (or per scorer); `stepDistributions` overwrites them each step.
 */
export interface StepBuffers {
  readonly x: Float64Array; readonly xq: Int8Array;
  readonly a: Float64Array; readonly aq: Int8Array;
  readonly logits: Float64Array;
  /** P_matrix, P_svg, P_ngram (each valid only when its domain ran this step) and C. */
  readonly pm: Float64Array; readonly ps: Float64Array; readonly pn: Float64Array; readonly c: Float64Array;
}

export function stepBuffers(model: InferenceModel): StepBuffers {
  const { context: k, embedDim: d, hidden: H } = model.matrix.config;
  const V = model.tokens.length;
  return {
    x: new Float64Array(k * d), xq: new Int8Array(k * d), a: new Float64Array(H), aq: new Int8Array(H), logits: new Float64Array(V),
    pm: new Float64Array(V), ps: new Float64Array(V), pn: new Float64Array(V), c: new Float64Array(V),
  };
}

/** What one step computed besides the buffers' contents. */
export interface StepInfo {
  /** The matrix path's context ids (the last k of `<s>`×k + seq). */
  readonly ctx: number[];
  /** The SVG node the step leaves from (the last token of seq, `<s>` when empty). */
  readonly last: number;
  readonly runMatrix: boolean;
  readonly svgPresent: boolean;
  readonly ngramPresent: boolean;
  /** The effective collapse weights (empty domains removed, renormalised); null: no domain, buf.c is all 0. */
  readonly weights: CollapseWeights | null;
  /** The quantization scales of x and a (0 when the matrix path did not run). */
  readonly xScale: number;
  readonly aScale: number;
}

/**
 * The two brains' distributions of one step after `seq` (MX2LM-INFER "traversal",
 * "probabilities"): P_svg one step from the last token into `ps` (false: the SVG domain is
 * empty), P_ngram with history `<s>` + seq (the last min(profile.context, order − 1) words,
 * words outside the 1-grams as `<unk>`) into `pn`. A domain whose weight is 0 or whose object is
 * absent is not computed.
 */
export function brainStepsInto(model: InferenceModel, seq: readonly number[], ps: Float64Array, pn: Float64Array): { last: number; svgPresent: boolean; ngramPresent: boolean } {
  const { tokens, profile } = model;
  // Phase IV: the SVG-tensor brain, one step from the last token.
  const last = seq.length ? seq[seq.length - 1] : model.bos;
  const svgPresent = profile.collapse.beta > 0 && svgDistributionInto(model.svg, last, ps);
  // The n-gram brain: history `<s>` + prompt + reply, words outside its 1-grams as <unk>.
  const ngramPresent = profile.collapse.gamma > 0 && model.ngram !== null;
  if (ngramPresent) {
    const t = model.ngram!;
    const ngramHist = Math.min(profile.context, t.order - 1);
    const hist: string[] = [];
    const full = [model.bos, ...seq];
    for (let q = Math.max(0, full.length - ngramHist); q < full.length; q++) { const w = tokens[full[q]] ?? UNK; hist.push(t.vocab.has(w) ? w : UNK); }
    ngramDistributionInto(model.ngram!, ngramHist === 0 ? [] : hist, pn);
  }
  return { last, svgPresent, ngramPresent };
}

/**
 * Phases III–V of one step after `seq` (prompt + reply ids so far), MX2LM-INFER: the matrix
 * path (quantized, through `mm`), the SVG brain's step, the n-gram brain's back-off
 * distribution, and the collapse C into `buf.c` — before the repetition rule and selection.
 * Generation (`runInference`) and scoring (score.ts) both call this, so a scored C is the C the
 * engine selects from.
 */
export async function stepDistributions(model: InferenceModel, seq: readonly number[], mm: IntMatmul, buf: StepBuffers): Promise<StepInfo> {
  const { tokens, matrix: M, profile } = model;
  const V = tokens.length;
  const { context: k, embedDim: d, hidden: H } = M.config;
  const K = k * d;
  const { x, xq, a, aq, logits, pm, ps, pn, c } = buf;
  const runMatrix = profile.collapse.alpha > 0;
  // Phase III: the matrix path.
  const ctx: number[] = [];
  for (let j = 0; j < k; j++) { const q = seq.length - k + j; ctx.push(q < 0 ? model.bos : seq[q]); }
  let xScale = 0, aScale = 0;
  if (runMatrix) {
    for (let j = 0; j < k; j++) for (let q = 0; q < d; q++) x[j * d + q] = M.embed[ctx[j] * d + q];
    xScale = quantizeInto(x, 0, K, xq, 0);
    const acc1 = await mm.matmul(M.hidden.codes, H, K, xq, 1);
    const relu = M.config.activation === 'relu';
    for (let i = 0; i < H; i++) {
      const pre = M.hiddenBias[i] + (M.hidden.scales[i] * xScale) * acc1[i];
      a[i] = relu ? (pre > 0 ? pre : 0) : tanh(pre);
    }
    aScale = quantizeInto(a, 0, H, aq, 0);
    const acc2 = await mm.matmul(M.out.codes, V, H, aq, 1);
    for (let v = 0; v < V; v++) logits[v] = M.outBias[v] + (M.out.scales[v] * aScale) * acc2[v];
    softmaxInto(logits, pm);
  }
  const { last, svgPresent, ngramPresent } = brainStepsInto(model, seq, ps, pn);
  // Phase V: collapse.
  const weights = effectiveWeights(profile.collapse, { matrix: runMatrix, svg: svgPresent, ngram: ngramPresent });
  if (weights) collapseInto(weights, runMatrix ? pm : null, svgPresent ? ps : null, ngramPresent ? pn : null, c);
  else c.fill(0);
  return { ctx, last, runMatrix, svgPresent, ngramPresent, weights, xScale, aScale };
}

/** Run a request on a loaded model (Phases I–IX). */
export async function runInference(model: InferenceModel, request: InferenceRequest | string | unknown, opts: InferenceOptions = {}): Promise<InferenceReply> {
  const req = parseRequest(request);
  if (req.profile !== model.profileId) throw new AsxError('inference_error.bad_request', `the request names profile ${req.profile}; the loaded model is ${model.profileId}`, { path: '$.profile' });
  const mm = opts.matmul ?? cpuIntMatmul;
  const emit = opts.onTrace;
  const { tokens, matrix: M, profile } = model;
  const V = tokens.length;
  const sym = (id: number) => tokens[id] ?? UNK;
  const cand = (p: Float64Array, skip?: (i: number) => boolean): TraceCandidate[] => topK(p, 5, skip).map((id) => ({ id, token: sym(id), p: p[id] }));

  const pIds = promptIds(model, req.prompt);
  const seq = [...pIds];
  const out: number[] = [];
  emit?.({
    type: 'object.inference.started', request: { ...req }, objects: model.objects.map((o) => ({ ...o })),
    prompt: { tokens: [...pIds], symbols: pIds.map(sym) }, collapse: { ...profile.collapse }, repeat: profile.repeat ? { ...profile.repeat } : null,
  });

  const H = M.config.hidden;
  const buf = stepBuffers(model);
  const { a, aq, logits, pm, ps, pn, c } = buf;
  let stop: InferenceReply['stop'] = 'max_tokens';

  for (let step = 0; step < profile.maxTokens; step++) {
    const s = await stepDistributions(model, seq, mm, buf);
    if (emit) {
      let layer: Extract<TraceEvent, { type: 'object.inference.layer' }>['matrix'] = null;
      if (s.runMatrix) {
        let mn = Infinity, mx = -Infinity, sa = 0, sat = 0, lmn = Infinity, lmx = -Infinity;
        for (let i = 0; i < H; i++) { mn = Math.min(mn, a[i]); mx = Math.max(mx, a[i]); sa += a[i] < 0 ? -a[i] : a[i]; if (aq[i] === INT8_MAX || aq[i] === -INT8_MAX) sat++; }
        for (let v = 0; v < V; v++) { lmn = Math.min(lmn, logits[v]); lmx = Math.max(lmx, logits[v]); }
        layer = { x_scale: s.xScale, hidden: { width: H, activation: M.config.activation, min: mn, max: mx, mean_abs: sa / H, scale: s.aScale, saturated: sat, codes: Array.from(aq) }, logits: { min: lmn, max: lmx } };
      }
      emit({ type: 'object.inference.layer', step, context: s.ctx, matrix: layer, svg: { from: s.last, edges: model.svg.out.get(s.last)?.targets.length ?? 0 } });
    }
    // Phases VI–VII: the repetition rule, select.
    const w = s.weights;
    let chosen = model.stopId;
    let excluded = new Set<number>();
    if (w) {
      excluded = repeatExcluded(seq, profile.repeat);
      excluded.delete(model.stopId);
      const best = selectArgmax(c, (i) => i === model.unk || i === model.bos || excluded.has(i));
      chosen = best < 0 ? model.stopId : best;
      if (best < 0) stop = 'no_candidate';
    } else stop = 'no_candidate';
    const isStop = chosen === model.stopId;
    if (isStop && stop !== 'no_candidate') stop = 'stop_token';
    emit?.({
      type: 'object.inference.collapsed', step, weights: w ? { ...w } : null,
      domains: { matrix: s.runMatrix ? cand(pm) : null, svg: s.svgPresent ? cand(ps) : null, ngram: s.ngramPresent ? cand(pn) : null },
      collapsed: cand(c), excluded: [...excluded].sort((p, q) => p - q), chosen: { id: chosen, token: sym(chosen), c: c[chosen], stop: isStop },
    });
    if (isStop) break;
    out.push(chosen);
    seq.push(chosen);
    opts.onToken?.(chosen, sym(chosen));
  }

  const payload = replyPayload(model.reply, req.prompt, pIds, out, sym, model.profileId);
  const bytes = utf8(JSON.stringify(payload));
  const hash = `sha256:${toHex(sha256(bytes))}`;
  emit?.({ type: 'object.inference.completed', tokens: [...out], stop, reply_sha256: hash });
  return { bytes, payload, promptIds: pIds, tokens: out, stop, hash };
}

/** Parse, resolve through the store, verify, run: the whole of §20 for one request. */
export async function infer(store: ObjectStore, request: InferenceRequest | string | unknown, opts: InferenceOptions = {}): Promise<InferenceReply> {
  const req = parseRequest(request);
  return runInference(await loadInference(store, req.profile), req, opts);
}
