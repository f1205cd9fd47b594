/**
 * `asx gym …` (issue 11): the Gym tab's work, headless, through the same core modules, so a
 * run here and in the browser's training worker write the same fold bytes.
 *
 *   train    GymRun (src/core/gym/run.ts) from files or an object folder; folds to -o DIR
 *   compile  base + folds → model.safetensors + metrics.json (compile.ts), perplexities
 *   merge    horizontal (folds), vertical / hybrid (a JSON spec over several models)
 *   analyze  gradient figures of a fold or a safetensors file; -o writes them compressed
 *   optimize one optimize.step over parameter and gradient files (G-OPTIM)
 *   evolve   the symbolic brains through count-delta folds (evolve.ts)
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { AsxError } from '../core/errors.ts';
import { BROWN_IDS } from '../core/mx2lm/brown-ids.ts';
import { utf8 } from '../core/bytes/utf8.ts';
import { toHex } from '../core/bytes/hex.ts';
import { parseFold, type FoldV1 } from '../core/fold/fold.ts';
import { QFORMS, type QForm } from '../core/fold/qrecord.ts';
import { parseDescriptor } from '../core/objects/descriptor.ts';
import { createObjectServer } from '../core/objects/server.ts';
import { parseText, decodeText } from '../core/mx2lm/corpus.ts';
import { sentencesOfLines, splitUserSentences, tokenIdsOf, type TokenIds } from '../core/mx2lm/encode.ts';
import { safetensorsOf, tensorSetOf } from '../core/gym/load.ts';
import { GymRun, matrixConfigOf, DEFAULT_RUN_OPTIONS } from '../core/gym/run.ts';
import { foldBundleOf } from '../core/gym/run-export.ts';
import { importFold, exportFold } from '../core/gym/export.ts';
import { compileSafetensors } from '../core/gym/compile.ts';
import { mergeHorizontal, mergeVertical, mergeHybrid, type FoldInput, type VerticalSpec, type HybridSpec } from '../core/gym/merge.ts';
import { analyzeGradients } from '../core/gym/analyze.ts';
import { createOptimizer, type OptimizerSpec } from '../core/gym/optim/optimizer.ts';
import { evaluate } from '../core/gym/train.ts';
import { MatrixWorkspace, type MatrixConfig } from '../core/mx2lm/matrix.ts';
import type { TensorSet } from '../core/gym/tensor.ts';
import { parseArgs, optNumber, optString, requireOut, type Parsed } from './args.ts';
import { createFolderStore } from '../server/folderStore.ts';
import type { Io } from './main.ts';
import { GYM_HELP } from './help.ts';

export { GYM_HELP };

/** The bundled Brown object ids (`asx mx2lm build`); `--objects DIR` reads these from DIR. */
export const GYM_OBJECT_IDS = {
  base: BROWN_IDS.weightsBase,
  tokenizer: BROWN_IDS.tokenizer,
  train: BROWN_IDS.train,
  validation: BROWN_IDS.validation,
  test: BROWN_IDS.test,
} as const;

const VALUED = ['-o', '--out', '--objects', '--base', '--tokenizer', '--train', '--valid', '--text', '--fold', '--activation', '--steps', '--batch', '--seed', '--eval-every', '--eval-tokens', '--export-every', '--form', '--metrics', '--spec', '--mode', '--state', '--optimizer', '--lr', '--grads', '--parent', '--arpa', '--svg', '--fold-id'];
const FLAGS = ['-h', '--help', '--quiet'];

function positiveInt(p: Parsed, name: string, dflt: number, min = 1): number {
  const v = optNumber(p, name) ?? dflt;
  if (!Number.isSafeInteger(v) || v < min) throw new AsxError('usage', `${name} must be an integer ≥ ${min}, got ${v}`);
  return v;
}

function formOf(p: Parsed): QForm {
  const f = optString(p, '--form') ?? 'f32';
  if (!(QFORMS as readonly string[]).includes(f)) throw new AsxError('usage', `--form must be one of ${QFORMS.join(', ')}, got ${JSON.stringify(f)}`);
  return f as QForm;
}

function activationOf(p: Parsed, fallback: 'tanh' | 'relu' = 'tanh'): 'tanh' | 'relu' {
  const a = optString(p, '--activation') ?? fallback;
  if (a !== 'tanh' && a !== 'relu') throw new AsxError('usage', `--activation must be tanh or relu, got ${JSON.stringify(a)}`);
  return a;
}

/** A verified payload of an object folder (the lifecycle of §15.3 over createFolderStore). */
export async function objectPayload(dir: string, id: string): Promise<{ bytes: Uint8Array; descriptor: Record<string, unknown> }> {
  const store = createFolderStore(dir);
  try {
    const got = await store.descriptor(id);
    const raw: Uint8Array | null = got === null || got instanceof Uint8Array ? got : await got.read(0, got.size);
    if (!raw) throw new AsxError('bad_input', `${id} is not in the object folder`, { file: dir });
    const d = parseDescriptor(raw, id);
    const server = createObjectServer({ store });
    // The CLI's audit trail: events are kept for the run (the `auditable` invariant needs a listener).
    const audit: string[] = [];
    server.on((e) => { audit.push(e.type); });
    const r = await server.handle({ path: id, projection: 'payload' });
    if (!r.ok) throw new AsxError('bad_input', `${id}: ${r.error.code}: ${r.error.message}`, { file: dir });
    const src = r.body;
    const body: Uint8Array = src instanceof Uint8Array ? src : await src.read(0, src.size);
    return { bytes: body, descriptor: d as unknown as Record<string, unknown> };
  } finally {
    await store.close();
  }
}

interface TrainInputs {
  base: TensorSet;
  config: MatrixConfig;
  ids: TokenIds;
  train: Int32Array;
  valid: Int32Array;
  label: string;
}

async function trainInputs(p: Parsed, io: Io): Promise<TrainInputs> {
  const dir = optString(p, '--objects');
  let baseBytes: Uint8Array, tokBytes: Uint8Array, activation = activationOf(p);
  let trainS: string[][], validS: string[][];
  let label: string;
  if (dir) {
    const b = await objectPayload(dir, GYM_OBJECT_IDS.base);
    baseBytes = b.bytes;
    const arch = (b.descriptor as { architecture?: { activation?: string } }).architecture;
    if (!optString(p, '--activation') && (arch?.activation === 'tanh' || arch?.activation === 'relu')) activation = arch.activation;
    tokBytes = (await objectPayload(dir, GYM_OBJECT_IDS.tokenizer)).bytes;
    trainS = sentencesOfLines(decodeText((await objectPayload(dir, GYM_OBJECT_IDS.train)).bytes));
    validS = sentencesOfLines(decodeText((await objectPayload(dir, GYM_OBJECT_IDS.validation)).bytes));
    label = `${GYM_OBJECT_IDS.base} from ${dir}`;
  } else {
    const base = optString(p, '--base'), tok = optString(p, '--tokenizer');
    if (!base || !tok) throw new AsxError('usage', 'asx gym train needs --objects DIR, or --base W.safetensors --tokenizer T.json with --text FILE or --train LINES --valid LINES');
    baseBytes = await io.readFile(base);
    tokBytes = await io.readFile(tok);
    const text = optString(p, '--text');
    if (text) {
      const split = splitUserSentences([parseText(decodeText(await io.readFile(text), text), text)]);
      trainS = split.train;
      validS = split.valid;
    } else {
      const tr = optString(p, '--train'), va = optString(p, '--valid');
      if (!tr || !va) throw new AsxError('usage', 'give --text FILE (every 10th sentence held out) or --train LINES --valid LINES (one sentence a line)');
      trainS = sentencesOfLines(decodeText(await io.readFile(tr), tr));
      validS = sentencesOfLines(decodeText(await io.readFile(va), va));
    }
    label = base;
  }
  const { tensors } = await tensorSetOf(baseBytes, label);
  const config = matrixConfigOf(tensors, activation);
  let tj: unknown;
  try { tj = JSON.parse(new TextDecoder().decode(tokBytes)); } catch { throw new AsxError('bad_input', 'the tokenizer is not JSON', { path: '$' }); }
  const ids = tokenIdsOf(tj);
  if (ids.size !== config.vocabSize) throw new AsxError('bad_input', `the tokenizer has ${ids.size} tokens, the model's embed.weight ${config.vocabSize} rows`, { path: 'embed.weight' });
  if (trainS.length === 0 || validS.length === 0) throw new AsxError('bad_input', 'the corpus needs training and validation sentences', { path: '$.corpus' });
  return { base: tensors, config, ids, train: ids.encode(trainS), valid: ids.encode(validS), label };
}

async function train(p: Parsed, io: Io): Promise<number> {
  const out = requireOut(p, 'asx gym train');
  const foldPath = optString(p, '--fold');
  if (!foldPath) throw new AsxError('usage', 'asx gym train needs --fold FOLD.json (the fold.v1 document the run starts from)');
  const fold = parseFold(await io.readFile(foldPath));
  const inp = await trainInputs(p, io);
  const steps = positiveInt(p, '--steps', 1000);
  const evalEvery = positiveInt(p, '--eval-every', DEFAULT_RUN_OPTIONS.evalEvery);
  const exportEvery = positiveInt(p, '--export-every', 0, 0);
  const run = new GymRun(inp.base, inp.config, fold, inp.train, inp.valid, {
    steps, batchSize: positiveInt(p, '--batch', DEFAULT_RUN_OPTIONS.batchSize), seed: positiveInt(p, '--seed', DEFAULT_RUN_OPTIONS.seed, 0),
    evalEvery, evalTokens: positiveInt(p, '--eval-tokens', DEFAULT_RUN_OPTIONS.evalTokens), form: formOf(p),
    markers: { bos: inp.ids.bos, eos: inp.ids.eos },
  });
  await mkdir(out, { recursive: true });
  const quiet = p.opts.has('--quiet');
  const base = run.evaluateParams(run.base);
  const log: Array<Record<string, number>> = [{ step: 0, valid_nll: base.meanNll, valid_ppl: base.perplexity }];
  io.err(`gym: ${inp.label}: V ${inp.config.vocabSize}, k ${inp.config.context}, d ${inp.config.embedDim}, H ${inp.config.hidden}; ${inp.train.length} train tokens; validation on ${run.validIds.length} tokens: base perplexity ${base.perplexity.toFixed(2)}\n`);
  const written: string[] = [];
  const write = async (reason: string) => {
    const f = foldBundleOf(run);
    await io.writeFile(join(out, f.name), f.bytes);
    written.push(f.name);
    io.out(`${f.name}\t${f.bytes.length}\t${f.hash}\t${reason}\n`);
  };
  const t0 = performance.now();
  let tokens = 0;
  while (!run.done) {
    const s = run.next();
    if (s.divergence) break;
    tokens += s.tokens;
    if (run.step % evalEvery === 0 || run.done) {
      const e = run.evaluate();
      const secs = (performance.now() - t0) / 1000;
      log.push({ step: run.step, train_loss: e.trainLoss, valid_nll: e.valid.meanNll, valid_ppl: e.valid.perplexity });
      if (!quiet) io.err(`gym: step ${run.step}/${steps}  train loss ${e.trainLoss.toFixed(4)}  valid ppl ${e.valid.perplexity.toFixed(2)}  ${(run.step / secs).toFixed(1)} steps/s  ${Math.round(tokens / secs)} tokens/s\n`);
    }
    if (exportEvery > 0 && run.step % exportEvery === 0 && !run.done) await write('every');
  }
  await write('final');
  await io.writeFile(join(out, `${fold.fold_id}.log.json`), `${JSON.stringify({ steps: run.step, stopped: run.stopped, eval: log }, null, 2)}\n`);
  if (run.stopped) {
    io.err(`asx: diverged: training diverged at step ${run.stopped.step} (${run.stopped.cause}, loss ${run.stopped.loss}); the final fold holds the last good step, ${run.step}\n`);
    return 1;
  }
  return 0;
}

async function foldInputs(paths: readonly string[], io: Io): Promise<Array<FoldInput & { path: string; hash: string }>> {
  const out: Array<FoldInput & { path: string; hash: string }> = [];
  for (const path of paths) {
    let imp;
    try { imp = importFold(await io.readFile(path)); } catch (e) {
      if (e instanceof AsxError) throw new AsxError(e.code, e.message, { ...e.where, file: path });
      throw e;
    }
    out.push({ fold: imp.fold, deltas: imp.deltas, path, hash: imp.bundleHash });
  }
  return out;
}

/** Validation perplexity of a model under a tokenizer and a corpus of lines (compile's report). */
async function perplexityOf(p: Parsed, io: Io): Promise<((t: TensorSet) => number) | null> {
  const tok = optString(p, '--tokenizer'), valid = optString(p, '--valid');
  if (!tok || !valid) return null;
  const ids = tokenIdsOf(JSON.parse(new TextDecoder().decode(await io.readFile(tok))));
  const stream = ids.encode(sentencesOfLines(decodeText(await io.readFile(valid), valid)));
  const activation = activationOf(p);
  const limit = positiveInt(p, '--eval-tokens', DEFAULT_RUN_OPTIONS.evalTokens);
  return (t) => {
    const config = matrixConfigOf(t, activation);
    const ws = new MatrixWorkspace(config);
    let end = Math.min(stream.length, limit);
    while (end < stream.length && stream[end - 1] !== ids.eos) end++;
    return evaluate(t, stream.subarray(0, end), ws, 64, { bos: ids.bos, eos: ids.eos }).perplexity;
  };
}

async function compile(p: Parsed, io: Io): Promise<number> {
  const out = requireOut(p, 'asx gym compile');
  if (p.positional.length < 1) throw new AsxError('usage', 'asx gym compile BASE.safetensors FOLD... -o MODEL.safetensors');
  const [basePath, ...foldPaths] = p.positional;
  const { tensors: base } = await tensorSetOf(await baseBytes(basePath, p, io), basePath);
  const folds = await foldInputs(foldPaths, io);
  const r = compileSafetensors(base, folds);
  await io.writeFile(out, r.safetensors);
  const metricsPath = optString(p, '--metrics') ?? out.replace(/(\.safetensors)?$/, '.metrics.json');
  await io.writeFile(metricsPath, r.metricsJson);
  io.out(`${out}\t${r.safetensors.length}\tsha256:${toHex(await sha(r.safetensors))}\n${metricsPath}\t${r.metricsJson.length}\n`);
  const ppl = await perplexityOf(p, io);
  if (ppl) {
    io.out(`validation perplexity: base ${ppl(base).toFixed(3)}\n`);
    for (const f of folds) {
      const one = mergeHorizontal(base, [{ fold: f.fold, deltas: f.deltas }]);
      io.out(`  base + ${f.path}: ${ppl(one.tensors).toFixed(3)}\n`);
    }
    io.out(`  compiled (${folds.length} folds): ${ppl(r.tensors).toFixed(3)}\n`);
  }
  return 0;
}

/** A base model by path, or by object id from `--objects DIR` (verified). */
async function baseBytes(ref: string, p: Parsed, io: Io): Promise<Uint8Array> {
  if (!ref.startsWith('object://')) return io.readFile(ref);
  const dir = optString(p, '--objects');
  if (!dir) throw new AsxError('usage', `${ref}: an object id as the base needs --objects DIR`);
  return (await objectPayload(dir, ref)).bytes;
}

async function sha(b: Uint8Array): Promise<Uint8Array> {
  const { sha256 } = await import('../core/hash/sha256.ts');
  return sha256(b);
}

async function merge(p: Parsed, io: Io): Promise<number> {
  const out = requireOut(p, 'asx gym merge');
  const mode = optString(p, '--mode') ?? 'horizontal';
  let tensors: TensorSet;
  let report: unknown;
  if (mode === 'horizontal') {
    if (p.positional.length < 2) throw new AsxError('usage', 'asx gym merge --mode horizontal BASE.safetensors FOLD... -o OUT');
    const [basePath, ...foldPaths] = p.positional;
    const { tensors: base } = await tensorSetOf(await io.readFile(basePath), basePath);
    const folds = await foldInputs(foldPaths, io);
    const r = mergeHorizontal(base, folds, { inPlace: true });
    tensors = r.tensors;
    report = r.outcomes.map((o, i) => ({ ...o, file: folds[i]?.path }));
  } else if (mode === 'vertical' || mode === 'hybrid') {
    const specPath = optString(p, '--spec');
    if (!specPath) throw new AsxError('usage', `asx gym merge --mode ${mode} --spec SPEC.json NAME=MODEL.safetensors... [FOLD...] -o OUT`);
    const spec = JSON.parse(new TextDecoder().decode(await io.readFile(specPath))) as VerticalSpec & { folds?: string[] };
    const models = new Map<string, TensorSet>();
    const foldPaths: string[] = [];
    for (const a of p.positional) {
      const eq = a.indexOf('=');
      if (eq > 0) models.set(a.slice(0, eq), (await tensorSetOf(await io.readFile(a.slice(eq + 1)), a.slice(eq + 1))).tensors);
      else foldPaths.push(a);
    }
    if (mode === 'vertical') {
      tensors = mergeVertical(models, spec);
      report = { models: [...models.keys()] };
    } else {
      const folds = await foldInputs(foldPaths, io);
      const r = mergeHybrid(models, { ...spec, folds } as HybridSpec);
      tensors = r.tensors;
      report = { stacked: r.stacked };
    }
  } else throw new AsxError('usage', `--mode must be horizontal, vertical or hybrid, got ${JSON.stringify(mode)}`);
  const bytes = safetensorsOf(tensors);
  await io.writeFile(out, bytes);
  io.out(`${JSON.stringify({ out, bytes: bytes.length, report }, null, 2)}\n`);
  return 0;
}

async function analyze(p: Parsed, io: Io): Promise<number> {
  if (p.positional.length !== 1) throw new AsxError('usage', 'asx gym analyze FOLD.fold|GRADS.safetensors [-o GRADS.fold --form int8]');
  const path = p.positional[0];
  const bytes = await io.readFile(path);
  let grads: TensorSet;
  let source: string;
  if (new TextDecoder().decode(bytes.subarray(0, 8)) === 'ASXFOLD1') {
    const imp = importFold(bytes);
    grads = imp.gradients.size ? imp.gradients : imp.deltas;
    source = imp.gradients.size ? 'fold gradients' : 'fold deltas (the fold has no gradients)';
  } else {
    grads = (await tensorSetOf(bytes, path)).tensors;
    source = 'safetensors tensors';
  }
  const a = analyzeGradients(grads);
  io.out(`${JSON.stringify({ file: path, source, l2: a.l2, tensors: a.tensors, histogram: a.histogram }, null, 2)}\n`);
  const out = optString(p, '-o', '--out');
  if (out) {
    // A compressed gradient file: a fold bundle whose gradients are F-QREC records in --form.
    const form = optString(p, '--form') ? formOf(p) : 'int8';
    const id = (path.split('/').pop() ?? 'grads').replace(/[^A-Za-z0-9._-]/g, '_').replace(/^[^A-Za-z0-9]+/, '') || 'grads';
    const r = exportFold({
      foldId: `${id.slice(0, 100)}.grads`, baseId: path, deltas: grads, control: { apply: 'manual', priority: 0, mode: 'additive' },
      metrics: { steps_trained: 0, timestamp: 0 }, form, description: `analyze.gradients of ${path}: the gradients as ${form} records (deltas slot), for viewing`,
    });
    await io.writeFile(out, r.bytes);
    io.err(`gym: ${out}: ${r.bytes.length} bytes (${form})\n`);
  }
  return 0;
}

async function optimize(p: Parsed, io: Io): Promise<number> {
  const out = requireOut(p, 'asx gym optimize');
  if (p.positional.length !== 1) throw new AsxError('usage', 'asx gym optimize PARAMS.safetensors --grads GRADS.safetensors --optimizer adamw|lion|rmsprop [--lr X] [--fold FOLD.fold] -o OUT');
  const gradsPath = optString(p, '--grads');
  if (!gradsPath) throw new AsxError('usage', 'asx gym optimize needs --grads GRADS.safetensors');
  const { tensors: params } = await tensorSetOf(await io.readFile(p.positional[0]), p.positional[0]);
  const { tensors: grads } = await tensorSetOf(await io.readFile(gradsPath), gradsPath);
  let spec: OptimizerSpec;
  let state;
  const foldPath = optString(p, '--fold');
  if (foldPath) {
    const imp = importFold(await io.readFile(foldPath));
    if (!imp.optimizer) throw new AsxError('bad_fold', 'the fold has no optimizer', { file: foldPath, path: '$["@data"].optimizer' });
    spec = imp.optimizer.spec;
    state = imp.optimizer.state;
  } else {
    const type = optString(p, '--optimizer') ?? 'adamw';
    if (type !== 'adamw' && type !== 'lion' && type !== 'rmsprop') throw new AsxError('usage', `--optimizer must be adamw, lion or rmsprop, got ${JSON.stringify(type)}`);
    spec = { type, ...(optNumber(p, '--lr') !== undefined ? { lr: optNumber(p, '--lr') } : {}) } as OptimizerSpec;
  }
  const opt = createOptimizer(spec, state);
  opt.step(params, grads);
  await io.writeFile(out, safetensorsOf(params));
  io.out(`${JSON.stringify({ out, optimizer: opt.spec, step: opt.state.step })}\n`);
  return 0;
}

export async function gymCommand(argv: string[], io: Io): Promise<number> {
  const [cmd, ...rest] = argv;
  const p = parseArgs(rest, VALUED, FLAGS);
  if (!cmd || cmd === '--help' || cmd === '-h' || p.opts.has('--help') || p.opts.has('-h')) { io.out(GYM_HELP); return 0; }
  switch (cmd) {
    case 'train': return train(p, io);
    case 'compile': return compile(p, io);
    case 'merge': return merge(p, io);
    case 'analyze': return analyze(p, io);
    case 'optimize': return optimize(p, io);
    case 'evolve': return (await import('./gym-evolve.ts')).evolve(p, io);
    default: throw new AsxError('usage', `unknown gym command ${JSON.stringify(cmd)} (try asx gym --help)`);
  }
}

export type { FoldV1 };
void utf8;
