/**
 * `npm run bench`'s MX2LM inference section (issue 12; docs/laws.md MX2LM-INFER): the exact
 * engine (src/core/infer) on the trained Brown set, every figure next to a baseline measured in
 * the same run.
 *
 *   a. generation tokens/s on the CPU path (cpuIntMatmul) and with createGpuIntMatmul on Node's
 *      WebGPU (Dawn on SwiftShader here: a CPU emulation of a GPU), fixed prompts, medians;
 *   b. first-token latency on both (model loaded), and the one-off load (`loadInference`) with
 *      where its time goes;
 *   c. the cost of determinism: the same model along a plain float path (f32 weights, f64
 *      sums, Math.exp / Math.tanh; same brains, collapse, repetition rule and argmax) in tokens/s,
 *      and how many replies it gives identically;
 *   d. per-word perplexity of the collapse C (score.ts) on prefixes of the Brown validation and
 *      test splits, with the matrix-only and n-gram-only figures from the same steps and the
 *      float matrix path's for comparison;
 *   e. sample replies.
 *
 * The Brown set is built into a temp folder (`asx mx2lm build --trained
 * data/mx2lm-brown.safetensors`, ~10 s) and removed at the end. Whole run ≈ 3 minutes here.
 * `run()` returns the markdown section; `npx tsx bench/infer.ts` prints it.
 */
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { main, nodeIo, type Io } from '../src/cli/main.ts';
import { nodeHashBackend } from '../src/cli/node-hash.ts';
import { setHashBackend } from '../src/core/hash/backend.ts';
import { createFolderStore } from '../src/server/folderStore.ts';
import { firstTokens, objectPayload } from './brown-split.ts';
import { checkNgram } from '../src/core/objects/ai/ngram.ts';
import { decodeText } from '../src/core/mx2lm/corpus.ts';
import { sentencesOfLines } from '../src/core/mx2lm/encode.ts';
import { perplexity as ngramPerplexity } from '../src/core/mx2lm/ngram-brain.ts';
import { readArpa } from '../src/core/ngram/arpa.ts';
import { BROWN_IDS } from '../src/core/mx2lm/brown-ids.ts';
import { tensorSetOf } from '../src/core/gym/load.ts';
import { brainStepsInto, cpuIntMatmul, loadInference, promptIds, runInference, stepBuffers, type InferenceModel, type IntMatmul, type LoadStage } from '../src/core/infer/engine.ts';
import { collapseInto, effectiveWeights, repeatExcluded, selectArgmax } from '../src/core/infer/collapse.ts';
import { collapseOf } from './tune-collapse.ts';
import { perplexityOf, scoreIds } from '../src/core/infer/score.ts';
import { chooseLambda, hybridPerplexity } from '../src/core/mx2lm/hybrid.ts';
import { log as fdlog } from '../src/core/math/fdlibm.ts';
import { acquireNodeGpu } from '../src/gpu/gccp-node.ts';
import { loadIntMatmulWgsl, nodeGpuLanguageFeatures } from '../src/gpu/intmatmul-node.ts';
import { createGpuIntMatmul, type GpuIntMatmul } from '../src/gpu/intmatmul.ts';

const TRAINED = 'data/mx2lm-brown.safetensors';
/** Fixed prompts: timing (a–c) and the sample replies (e). */
const PROMPTS = ['The old man', 'The jury said', 'She walked', 'In the morning', 'The president of the United States', 'It was a long day'];
const ROUNDS = 3;
/** Predicted tokens scored per split (whole sentences, as bench/mx2lm-quality.ts --max-tokens). */
const SCORE_TOKENS = { validation: 6000, test: 12000 } as const;
/** The Brown profile's collapse weights before bench/tune-collapse.ts chose them on validation (set by hand). */
const HAND_SET = { alpha: 0.5, beta: 0.1, gamma: 0.4 } as const;

const now = (): number => performance.now();
const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const f = (x: number, d = 1): string => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const int = (x: number): string => Math.round(x).toLocaleString('en-US');
const log = (s: string): void => { process.stderr.write(`infer-bench: ${s}\n`); };
const req = (prompt: string) => ({ '@request': 'ai.inference', prompt, profile: BROWN_IDS.profile, projection: 'agent.reply' });
const text = (b: Uint8Array): string => new TextDecoder().decode(b);

// ---------------------------------------------------------------------------------------
// The plain float path (c): the model's matrix path without quantization or exact arithmetic.

interface FloatMatrix { k: number; d: number; H: number; V: number; relu: boolean; embed: Float32Array; w1: Float32Array; b1: Float32Array; w2: Float32Array; b2: Float32Array }

async function floatMatrixOf(model: InferenceModel, bytes: Uint8Array): Promise<FloatMatrix> {
  const { tensors } = await tensorSetOf(bytes, TRAINED);
  const g = (n: string) => tensors.get(n)!.data;
  const c = model.matrix.config;
  return { k: c.context, d: c.embedDim, H: c.hidden, V: c.vocabSize, relu: c.activation === 'relu', embed: g('embed.weight'), w1: g('hidden.weight'), b1: g('hidden.bias'), w2: g('out.weight'), b2: g('out.bias') };
}

/**
 * P_matrix in plain floats into `pm`: the f32 weights as they are, f64 sums in row order,
 * Math.tanh, softmax with Math.exp — what a straightforward implementation does, with no
 * determinism guarantee across engines (V8's Math.exp/tanh are not specified bit for bit).
 */
function floatMatrixInto(fm: FloatMatrix, model: InferenceModel, seq: readonly number[], x: Float64Array, a: Float64Array, pm: Float64Array): void {
  const { k, d, H, V, embed, w1, b1, w2, b2 } = fm;
  const K = k * d;
  for (let j = 0; j < k; j++) { const q = seq.length - k + j; const id = q < 0 ? model.bos : seq[q]; for (let m = 0; m < d; m++) x[j * d + m] = embed[id * d + m]; }
  for (let i = 0; i < H; i++) {
    let s = b1[i];
    const o = i * K;
    for (let m = 0; m < K; m++) s += w1[o + m] * x[m];
    a[i] = fm.relu ? (s > 0 ? s : 0) : Math.tanh(s);
  }
  let mx = -Infinity;
  for (let v = 0; v < V; v++) {
    let s = b2[v];
    const o = v * H;
    for (let h = 0; h < H; h++) s += w2[o + h] * a[h];
    pm[v] = s;
    if (s > mx) mx = s;
  }
  let z = 0;
  for (let v = 0; v < V; v++) { const e = Math.exp(pm[v] - mx); pm[v] = e; z += e; }
  for (let v = 0; v < V; v++) pm[v] /= z;
}

/** Generation along the float path: the engine's brains, collapse, repetition rule and argmax around floatMatrixInto. */
function floatGenerate(model: InferenceModel, fm: FloatMatrix, prompt: string, onToken?: () => void): number[] {
  const seq = promptIds(model, prompt);
  const out: number[] = [];
  const buf = stepBuffers(model);
  for (let step = 0; step < model.profile.maxTokens; step++) {
    const runMatrix = model.profile.collapse.alpha > 0;
    if (runMatrix) floatMatrixInto(fm, model, seq, buf.x, buf.a, buf.pm);
    const { svgPresent, ngramPresent } = brainStepsInto(model, seq, buf.ps, buf.pn);
    const w = effectiveWeights(model.profile.collapse, { matrix: runMatrix, svg: svgPresent, ngram: ngramPresent });
    if (!w) break;
    collapseInto(w, runMatrix ? buf.pm : null, svgPresent ? buf.ps : null, ngramPresent ? buf.pn : null, buf.c);
    const excluded = repeatExcluded(seq, model.profile.repeat);
    excluded.delete(model.stopId);
    const best = selectArgmax(buf.c, (i) => i === model.unk || i === model.bos || excluded.has(i));
    if (best < 0 || best === model.stopId) break;
    out.push(best);
    seq.push(best);
    onToken?.();
  }
  return out;
}

// ---------------------------------------------------------------------------------------
// Objects


// ---------------------------------------------------------------------------------------
// Measurements

interface Run { ms: number; firstMs: number | null; tokens: number; hash: string; text: string }

async function exactRun(model: InferenceModel, prompt: string, mm: IntMatmul): Promise<Run> {
  const t0 = now();
  let first: number | null = null;
  const r = await runInference(model, req(prompt), { matmul: mm, onToken: () => { first ??= now() - t0; } });
  const ms = now() - t0;
  return { ms, firstMs: first, tokens: r.tokens.length, hash: r.hash, text: String((r.payload as { text?: unknown }).text ?? '') };
}

function floatRun(model: InferenceModel, fm: FloatMatrix, prompt: string): Run & { ids: number[] } {
  const t0 = now();
  let first: number | null = null;
  const ids = floatGenerate(model, fm, prompt, () => { first ??= now() - t0; });
  const ms = now() - t0;
  return { ms, firstMs: first, tokens: ids.length, hash: '', text: '', ids };
}

interface Summary { tokensPerSec: number; medianPromptTps: number; firstMs: number; tokens: number }

/** runs[round][prompt] → per prompt the median over rounds; tokens/s = Σ tokens ÷ Σ median times. */
function summarize(runs: Run[][]): Summary {
  const perPrompt = PROMPTS.map((_, p) => ({ ms: median(runs.map((r) => r[p].ms)), first: median(runs.map((r) => r[p].firstMs ?? r[p].ms)), tokens: runs[0][p].tokens }));
  const tokens = perPrompt.reduce((a, p) => a + p.tokens, 0);
  const ms = perPrompt.reduce((a, p) => a + p.ms, 0);
  return { tokensPerSec: tokens / (ms / 1000), medianPromptTps: median(perPrompt.map((p) => p.tokens / (p.ms / 1000))), firstMs: median(perPrompt.map((p) => p.first)), tokens };
}

interface SplitScore { lnMatrix: Float64Array; lnNgram: Float64Array; handSet: number; sentences: number; allSentences: number; tokens: number; unk: number; secs: number; c: number; matrix: number; ngram: number; noSvg: number; svgZero: number; svgEmpty: number; floatMatrix: number; floatC: number; ngramRef: number; zeros: number }

async function scoreSplit(model: InferenceModel, fm: FloatMatrix, arpa: ReturnType<typeof readArpa>['model'], all: string[][], n: number): Promise<SplitScore> {
  const sents = firstTokens(all, n);
  const c: number[] = [], pm: number[] = [], ps: number[] = [], pn: number[] = [], pmF: number[] = [], cF: number[] = [];
  let svgZero = 0, svgEmpty = 0, unk = 0;
  const x = new Float64Array(fm.k * fm.d), a = new Float64Array(fm.H), pf = new Float64Array(fm.V);
  const t0 = now();
  for (const s of sents) {
    const ids = model.encoder.encode([s]);
    const r = await scoreIds(model, ids, {
      onStep: (pos, target, info, buf) => {
        // The float path on the same sequence: its P_matrix, and the collapse with it in place of the exact one.
        floatMatrixInto(fm, model, Array.from(ids.subarray(0, pos)), x, a, pf);
        pmF.push(pf[target]);
        const w = info.weights!;
        let cf = w.alpha * pf[target];
        if (info.svgPresent) cf = cf + w.beta * buf.ps[target];
        if (info.ngramPresent) cf = cf + w.gamma * buf.pn[target];
        cF.push(cf);
        if (!info.svgPresent) svgEmpty++;
        else if (buf.ps[target] === 0) svgZero++;
        if (target === model.unk) unk++;
      },
    });
    c.push(...r.c); pm.push(...r.matrix); ps.push(...r.svg); pn.push(...r.ngram);
  }
  const secs = (now() - t0) / 1000;
  const pc = perplexityOf(c);
  // The collapse without the SVG brain: α and γ renormalised as the engine does for an empty domain.
  const w = effectiveWeights(model.profile.collapse, { matrix: true, svg: false, ngram: true })!;
  const noSvg = perplexityOf(pm.map((v, i) => w.alpha * v + w.gamma * pn[i])).perplexity;
  // The former hand-set weights from the same steps, with the collapse's arithmetic (bench/tune-collapse.ts, checked there bit for bit against score.ts).
  const handSet = perplexityOf(collapseOf({ ids: new Int32Array(c.length), c: Float64Array.from(c), matrix: Float64Array.from(pm), svg: Float64Array.from(ps), ngram: Float64Array.from(pn) }, HAND_SET)).perplexity;
  return {
    lnMatrix: Float64Array.from(pm, (v) => fdlog(v)), lnNgram: Float64Array.from(pn, (v) => fdlog(v)), handSet,
    sentences: sents.length, allSentences: all.length, tokens: c.length, unk, secs, c: pc.perplexity, zeros: pc.zeros, matrix: perplexityOf(pm).perplexity, ngram: perplexityOf(pn).perplexity, noSvg,
    svgZero, svgEmpty, floatMatrix: perplexityOf(pmF).perplexity, floatC: perplexityOf(cF).perplexity, ngramRef: ngramPerplexity(arpa, sents).perplexity,
  };
}

// ---------------------------------------------------------------------------------------

export async function run(): Promise<string> {
  const tStart = now();
  const load0 = loadavg()[0];
  setHashBackend(nodeHashBackend()); // as the CLI: payload hashes by node:crypto
  const dir = mkdtempSync(join(tmpdir(), 'asx-infer-bench-'));
  let gpuHandle: { destroy(): void } | null = null;
  let gmm: GpuIntMatmul | null = null;
  try {
    log('building the Brown set …');
    const quiet: Io = { ...nodeIo, out: () => undefined, err: () => undefined };
    const tb = now();
    if (await main(['mx2lm', 'build', '--out', dir, '--trained', TRAINED], quiet) !== 0) throw new Error('asx mx2lm build failed');
    const buildSecs = (now() - tb) / 1000;

    // b. The one-off load, twice (the first in a process whose JIT has not seen this code), with its stages.
    log('loading …');
    const loads: Array<{ total: number; stages: Map<LoadStage, number> }> = [];
    let model: InferenceModel | null = null;
    for (let i = 0; i < 2; i++) {
      const store = createFolderStore(dir);
      try {
        const stages = new Map<LoadStage, number>();
        const t0 = now();
        let t = t0;
        model = await loadInference(store, BROWN_IDS.profile, { onStage: (s) => { const n = now(); stages.set(s, n - t); t = n; } });
        loads.push({ total: now() - t0, stages });
      } finally { await store.close(); }
    }
    const m = model!;
    // Inside `objects`: SHA-256 of the payloads, and the n-gram brain's legality check alone.
    const ngramObj = await objectPayload(dir, BROWN_IDS.ngram);
    const payloadBytes: Uint8Array[] = [];
    for (const o of m.objects) payloadBytes.push(o.id === BROWN_IDS.ngram ? ngramObj.bytes : (await objectPayload(dir, o.id)).bytes);
    let th = now();
    for (const b of payloadBytes) createHash('sha256').update(b).digest();
    const hashMs = now() - th;
    th = now();
    const legal = checkNgram(ngramObj.descriptor as { order?: unknown }, ngramObj.bytes);
    const ngramCheckMs = now() - th;
    if (!legal.ok) throw new Error('the n-gram brain is not legal');
    th = now();
    const arpa = readArpa(ngramObj.bytes).model;
    const arpaMs = now() - th;
    const totalBytes = payloadBytes.reduce((a, b) => a + b.length, 0);

    // The float path's weights: the bundled file, which must be the weights object the profile names.
    const wref = m.objects.find((o) => o.role === 'weights')!;
    const wbytes = new Uint8Array(readFileSync(TRAINED));
    if (`sha256:${createHash('sha256').update(wbytes).digest('hex')}` !== wref.hash) throw new Error(`${TRAINED} is not ${wref.id}`);
    const fm = await floatMatrixOf(m, wbytes);

    // The GPU backend.
    log('WebGPU …');
    loadIntMatmulWgsl();
    const tg = now();
    const gpu = await acquireNodeGpu();
    let gpuNote = '';
    if (gpu.ok) {
      gpuHandle = gpu;
      gmm = createGpuIntMatmul(gpu.device, { languageFeatures: await nodeGpuLanguageFeatures() });
    } else gpuNote = gpu.message;
    const gpuSetupMs = now() - tg;

    // a–c. Warm-up (one pass of every prompt on every path; also the replies compared), then interleaved rounds.
    log('generation …');
    const warm = { cpu: [] as Run[], gpu: [] as Run[], float: [] as Array<Run & { ids: number[] }> };
    for (const p of PROMPTS) {
      warm.cpu.push(await exactRun(m, p, cpuIntMatmul));
      if (gmm) warm.gpu.push(await exactRun(m, p, gmm));
      warm.float.push(floatRun(m, fm, p));
    }
    const firstGpuMs = warm.gpu[0]?.ms ?? 0;
    const rounds = { cpu: [] as Run[][], gpu: [] as Run[][], float: [] as Run[][] };
    for (let r = 0; r < ROUNDS; r++) {
      const c: Run[] = [], g: Run[] = [], fl: Run[] = [];
      for (const p of PROMPTS) {
        c.push(await exactRun(m, p, cpuIntMatmul));
        if (gmm) g.push(await exactRun(m, p, gmm));
        fl.push(floatRun(m, fm, p));
      }
      rounds.cpu.push(c); rounds.float.push(fl);
      if (gmm) rounds.gpu.push(g);
    }
    const cpuS = summarize(rounds.cpu), floatS = summarize(rounds.float), gpuS = gmm ? summarize(rounds.gpu) : null;
    const replies = warm.cpu;
    const gpuSame = [warm.gpu, ...rounds.gpu].every((round) => round.every((r, i) => r.hash === replies[i].hash));
    const allCpuSame = rounds.cpu.every((round) => round.every((r, i) => r.hash === replies[i].hash));
    // Which float replies equal the exact ones (token ids).
    const exactIds = await Promise.all(PROMPTS.map(async (p) => (await runInference(m, req(p))).tokens));
    const floatSame = PROMPTS.map((_, i) => exactIds[i].length === warm.float[i].ids.length && exactIds[i].every((t, j) => t === warm.float[i].ids[j]));
    const floatText = (i: number): string => [...promptIds(m, PROMPTS[i]), ...warm.float[i].ids].map((t) => m.tokens[t]).join(' ');

    // d. Quality.
    log('scoring …');
    const split = {
      validation: sentencesOfLines(decodeText((await objectPayload(dir, BROWN_IDS.validation)).bytes, BROWN_IDS.validation)),
      test: sentencesOfLines(decodeText((await objectPayload(dir, BROWN_IDS.test)).bytes, BROWN_IDS.test)),
    };
    const q = {
      validation: await scoreSplit(m, fm, arpa, split.validation, SCORE_TOKENS.validation),
      test: await scoreSplit(m, fm, arpa, split.test, SCORE_TOKENS.test),
    };
    const load1 = loadavg()[0];
    const totalSecs = (now() - tStart) / 1000;

    // -------------------------------------------------------------------------------------
    const lines: string[] = [];
    const p = (s = ''): void => { lines.push(s); };
    const st = (i: number, s: LoadStage) => loads[i].stages.get(s) ?? 0;
    const col = m.profile.collapse;
    p('## MX2LM inference (`bench/infer.ts`)');
    p();
    p(`Method: the trained Brown set (\`asx mx2lm build --trained ${TRAINED}\` into a temp folder, ${f(buildSecs)} s; profile \`${BROWN_IDS.profile}\`: V ${int(m.tokens.length)}, k ${m.matrix.config.context}, d ${m.matrix.config.embedDim}, H ${m.matrix.config.hidden}, ${m.matrix.config.activation}; C = ${col.alpha}·P_matrix + ${col.beta}·P_svg + ${col.gamma}·P_ngram, weights tuned on validation by \`bench/tune-collapse.ts\` (section d); repetition rule ${JSON.stringify(m.profile.repeat)}; at most ${m.profile.maxTokens} tokens) loaded once through a folder store as \`asx infer\` does (payload hashes by node:crypto). ${PROMPTS.length} fixed prompts (section e), one warm-up pass of each on each path, then ${ROUNDS} interleaved rounds (CPU, WebGPU, float for each prompt in turn); per prompt the median over rounds. **tokens/s** = reply tokens of all prompts ÷ the sum of their median times from the request to the reply bytes (the final step that selects the stop token, tokenization and the reply's SHA-256 included). **First token**: the request handed to \`runInference\` → the first reply token selected (\`onToken\`), the model already loaded; median over prompts. Node ${process.version}, ${cpus()[0]?.model.trim() ?? 'unknown CPU'}, ${cpus().length} CPUs; load average ${load0.toFixed(1)} at the start and ${load1.toFixed(1)} at the end (other engineers' jobs share the machine: ratios from the same run are the result). Whole section: ${f(totalSecs, 0)} s.`);
    p();
    p('### a–c. Generation speed, first-token latency, and the cost of determinism');
    p();
    p('| path | tokens/s | median of prompts\' tokens/s | first token (median) | tokens/s ÷ exact CPU | replies identical to the exact CPU path |');
    p('| --- | ---: | ---: | ---: | ---: | --- |');
    p(`| **exact, CPU** (\`cpuIntMatmul\`: int8 codes, int32 sums in JS; fdlibm exp/tanh) — baseline | **${f(cpuS.tokensPerSec)}** | ${f(cpuS.medianPromptTps)} | ${f(cpuS.firstMs, 2)} ms | 1.00 | ${allCpuSame ? `${PROMPTS.length} of ${PROMPTS.length} in every round (reply SHA-256)` : 'no: a round differed'} |`);
    if (gpuS && gpu.ok) p(`| exact, WebGPU (\`createGpuIntMatmul\`, ${gmm!.variant} kernel, on ${gpu.adapter.label}) | ${f(gpuS.tokensPerSec)} | ${f(gpuS.medianPromptTps)} | ${f(gpuS.firstMs, 2)} ms | **${f(gpuS.tokensPerSec / cpuS.tokensPerSec, 2)}** | ${gpuSame ? `${PROMPTS.length} of ${PROMPTS.length}, every run (reply SHA-256)` : '**no** (a reply differed: a bug)'} |`);
    else p(`| exact, WebGPU | — | — | — | — | not measured: ${gpuNote} |`);
    p(`| plain float (f32 weights unquantized, f64 sums, Math.tanh / Math.exp; same brains, collapse, repetition rule, argmax) | ${f(floatS.tokensPerSec)} | ${f(floatS.medianPromptTps)} | ${f(floatS.firstMs, 2)} ms | **${f(floatS.tokensPerSec / cpuS.tokensPerSec, 2)}** | ${floatSame.filter(Boolean).length} of ${PROMPTS.length} (token ids) |`);
    p();
    p(`Cost of determinism: a token on the exact path takes **${f(floatS.tokensPerSec / cpuS.tokensPerSec, 2)}×** the float path's time (exact ÷ float tokens/s = ${f(cpuS.tokensPerSec / floatS.tokensPerSec, 2)}), and the float path gave ${floatSame.filter(Boolean).length} of the ${PROMPTS.length} replies token for token (${floatSame.every(Boolean) ? 'the argmax has margins the float path\'s rounding does not cross on these prompts' : `on ${floatSame.filter((x) => !x).length} prompt${floatSame.filter((x) => !x).length === 1 ? '' : 's'} its rounding crosses a narrow argmax margin and the reply goes another way from there (section e): a float engine's replies depend on its arithmetic, the exact engine's do not`}; section d shows how close its probabilities are). Both run the same SVG and n-gram steps, collapse and selection (engine.ts \`brainStepsInto\`, collapse.ts); they differ in the matrix path only: the exact one quantizes x and the hidden activations per vector (round half to even), sums int8 products in integers through the \`IntMatmul\` interface (an awaited call per layer), and evaluates tanh and the ${int(m.tokens.length)} exponentials of the softmax with the project's fdlibm in JS instead of V8's Math.tanh / Math.exp. For context, Thinking Machines' batch-invariant kernels ("Defeating Nondeterminism in LLM Inference", 2025) made vLLM's run-to-run deterministic inference about 1.6–2× slower on GPUs; that is a different kind of determinism (the same batch-invariant order on one stack), while this engine's replies are the same bytes on every backend and JS engine.`);
    p();
    if (gpuS) p(`WebGPU ÷ CPU: **${f(gpuS.tokensPerSec / cpuS.tokensPerSec, 2)}** in tokens/s, first token ${f(gpuS.firstMs, 1)} vs ${f(cpuS.firstMs, 1)} ms. SwiftShader is a CPU emulation of a GPU (Vulkan in software on these 2 cores), so this measures the backend's overheads — each step is two dispatches, each packing and uploading its int8 matrix again (the ${int(m.tokens.length)}×${m.matrix.config.hidden} output layer is ${f(m.tokens.length * m.matrix.config.hidden / 1e6, 2)} MB) and mapping the result back — not a GPU's speed; on a real GPU the weights would be uploaded once. The replies are the same bytes as the CPU's (the integer sums are exact in any order, MX2LM-INTMATMUL). Setting up the device and the IntMatmul: ${f(gpuSetupMs, 0)} ms; the first request on it (pipeline compilation included) ${f(firstGpuMs, 0)} ms.`);
    p();
    p('### b. Loading the Brown objects (`loadInference`)');
    p();
    p(`${m.objects.length} objects, ${f(totalBytes / 1e6, 1)} MB of payloads (the ARPA n-gram brain ${f(ngramObj.bytes.length / 1e6, 1)} MB, the trained weights ${f(wbytes.length / 1e6, 1)} MB). The one-off load, resolve → verify (hash, format, invariants, §16 legality) → prepare, twice in this process: **${f(loads[0].total / 1000, 2)} s** the first time, ${f(loads[1].total / 1000, 2)} s the second.`);
    p();
    p('| stage | first load | second load |');
    p('| --- | ---: | ---: |');
    const stageRows: Array<[LoadStage, string]> = [
      ['objects', 'resolve and verify the 7 objects through the object server (`resolveInferenceObjects`)'],
      ['profile', 'profile legality, vocab, tokenizer'],
      ['weights', 'quantize the weights (per-row int8)'],
      ['ngram', 'the n-gram table: `readArpa` (the verification\'s parse, shared), then `ngramTable` (10^lp of every n-gram grouped by context, the contexts\' back-off weights)'],
      ['svg', 'decode the SVG brain\'s graph'],
      ['reply', 'the reply object'],
    ];
    for (const [s, what] of stageRows) p(`| ${what} | ${f(st(0, s) / 1000, 2)} s | ${f(st(1, s) / 1000, 2)} s |`);
    p(`| **total** | **${f(loads[0].total / 1000, 2)} s** | **${f(loads[1].total / 1000, 2)} s** |`);
    p(`| without the shared parse (the total plus one more \`readArpa\` of the brain, measured below) | ${f((loads[0].total + arpaMs) / 1000, 2)} s | ${f((loads[1].total + arpaMs) / 1000, 2)} s |`);
    p();
    p(`Measured alone afterwards: SHA-256 of the ${m.objects.length} payloads ${f(hashMs, 0)} ms (node:crypto); the n-gram brain's legality check inside verification (\`checkNgram\`: ARPA parse + probability conservation of every context, AI-NGRAM) ${f(ngramCheckMs / 1000, 2)} s, of which \`readArpa\` ${f(arpaMs / 1000, 2)} s — the time a second parse would add: the engine reuses the verification's parse of the same bytes (arpa.ts \`withSharedArpa\`, for the duration of \`loadInference\`; equal bytes, so the same result, and the check still runs). The rest of \`objects\` is reading the files, parsing descriptors and the other objects' legality checks. What remains is building maps of ~900k n-grams (three times: the reader's duplicate check, the conservation check's index, the engine's table) and the garbage collection they cause.`);
    p();
    p('### d. Quality: per-word perplexity of the collapse');
    p();
    const qs = [q.validation, q.test];
    p(`Scored with \`src/core/infer/score.ts\` (docs/laws.md MX2LM-INFER "Scoring"): for each predicted token (the sentence's words, \`<unk>\` included, then \`</s>\`, as MX2LM-HYBRID), the collapsed C of the engine's own step (\`stepDistributions\`: quantized matrix path, SVG and n-gram brains, the profile's weights with empty domains removed and the rest renormalized) whose sequence is the sentence so far, as if it were prompt + reply — **before the repetition rule and selection**; perplexity = exp(−mean ln C) (fdlibm). The matrix-only and n-gram-only rows are those domains' P at the same steps (what a profile with only that domain scores). The float rows replace the exact matrix path by the float one of (c). First whole sentences of each split: validation ${int(q.validation.sentences)} of ${int(q.validation.allSentences)} sentences, test ${int(q.test.sentences)} of ${int(q.test.allSentences)} (at most ${int(SCORE_TOKENS.validation)} / ${int(SCORE_TOKENS.test)} predicted tokens): **partial splits**, not the figures of the whole splits.`);
    p();
    p('| model | validation | test |');
    p('| --- | ---: | ---: |');
    p(`| predicted tokens (of which \`<unk>\`) | ${int(q.validation.tokens)} (${int(q.validation.unk)}) | ${int(q.test.tokens)} (${int(q.test.unk)}) |`);
    p(`| **the bundled hybrid: C (exact, quantized matrix path)** | **${f(q.validation.c, 2)}** | **${f(q.test.c, 2)}** |`);
    p(`| the former hand-set weights (${HAND_SET.alpha}, ${HAND_SET.beta}, ${HAND_SET.gamma}), same steps (exact) | ${f(q.validation.handSet, 2)} | ${f(q.test.handSet, 2)} |`);
    p(`| the same collapse with the float matrix path | ${f(q.validation.floatC, 2)} | ${f(q.test.floatC, 2)} |`);
    const wn = effectiveWeights(col, { matrix: true, svg: false, ngram: true })!;
    p(`| the collapse without the SVG brain (α, γ renormalized to ${f(wn.alpha, 3)}, ${f(wn.gamma, 3)}; exact) | ${f(q.validation.noSvg, 2)} | ${f(q.test.noSvg, 2)} |`);
    const lam = chooseLambda(q.validation.lnMatrix, q.validation.lnNgram);
    const lamTest = hybridPerplexity(q.test.lnMatrix, q.test.lnNgram, lam.lambda);
    p(`| matrix + n-gram, λ·P_matrix + (1 − λ)·P_ngram with λ = ${f(lam.lambda, 2)} chosen on this validation prefix (MX2LM-HYBRID's grid and rule; exact matrix path) | ${f(lam.valid.perplexity, 2)} | ${f(lamTest.perplexity, 2)} |`);
    p(`| matrix path alone, exact (quantized) | ${f(q.validation.matrix, 2)} | ${f(q.test.matrix, 2)} |`);
    p(`| matrix path alone, float | ${f(q.validation.floatMatrix, 2)} | ${f(q.test.floatMatrix, 2)} |`);
    p(`| n-gram brain alone (KN trigram) | ${f(q.validation.ngram, 2)} | ${f(q.test.ngram, 2)} |`);
    p(`| SVG brain alone | ∞ (P = 0 for ${int(q.validation.svgZero)} tokens; no edge from the last token at ${int(q.validation.svgEmpty)} steps) | ∞ (${int(q.test.svgZero)}; ${int(q.test.svgEmpty)}) |`);
    p();
    const rel = Math.max(...qs.map((s) => Math.abs(s.ngram / s.ngramRef - 1)));
    p(`Checks: the n-gram-only figures equal \`perplexity()\` of MX2LM-CORPUS on the same sentences (${f(q.validation.ngramRef, 4)} / ${f(q.test.ngramRef, 4)}) to ${rel.toExponential(1)} relative (fdlibm here, Math.log10 and \`**\` there); no token has C = 0 (${qs.reduce((a, s) => a + s.zeros, 0)} zeros). The profile's weights (${col.alpha}, ${col.beta}, ${col.gamma}) were **tuned on validation** by \`bench/tune-collapse.ts\` (docs/laws.md MX2LM-OBJECTS "Collapse weights": the grid of multiples of 0.05 with α, γ > 0, the lowest per-word perplexity of this very collapse on the first 39,997 validation tokens — this section's validation prefix is the start of those — never on test); the hand-set (${HAND_SET.alpha}, ${HAND_SET.beta}, ${HAND_SET.gamma}) they replace scored ${f(q.validation.handSet, 2)} / ${f(q.test.handSet, 2)}${q.test.handSet > q.test.ngram ? ', worse than the n-gram brain alone' : ''}. ${q.test.c < q.test.ngram ? `The bundled collapse is now **better than the n-gram brain alone** on test (${f(q.test.c, 2)} vs ${f(q.test.ngram, 2)})` : `On test the bundled collapse is still **not better than the n-gram brain alone** (${f(q.test.c, 2)} vs ${f(q.test.ngram, 2)})`} and ${q.test.c <= lamTest.perplexity ? 'at least as good as' : 'close to'} the two-way λ mixture (${f(lamTest.perplexity, 2)}). The SVG brain is 0 or absent for ${f(100 * (q.test.svgZero + q.test.svgEmpty) / q.test.tokens, 0)} % of the test tokens, yet removing it ${q.test.noSvg > q.test.c ? 'makes the collapse slightly worse' : 'makes the collapse better'} (${f(q.test.noSvg, 2)} on test). Quantization costs little here: the exact (int8) and float perplexities differ by at most ${f(100 * Math.max(...qs.flatMap((s) => [Math.abs(s.c / s.floatC - 1), Math.abs(s.matrix / s.floatMatrix - 1)])), 3)} %. Scoring speed: ${f((q.validation.tokens + q.test.tokens) / (q.validation.secs + q.test.secs), 0)} tokens/s (exact step + the float matrix path per token, one thread).`);
    p();
    p('### e. Sample replies (exact engine, CPU; the same bytes on WebGPU)');
    p();
    p('| prompt | reply | tokens | float path |');
    p('| --- | --- | ---: | --- |');
    const cell = (s: string) => s.replace(/\|/g, '\\|');
    PROMPTS.forEach((pr, i) => p(`| ${cell(pr)} | ${cell(replies[i].text)} | ${replies[i].tokens} | ${floatSame[i] ? 'identical' : `differs: “${cell(floatText(i))}”`} |`));
    return lines.join('\n');
  } finally {
    gmm?.destroy();
    gpuHandle?.destroy();
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await run());
