/**
 * MX2GYM (issue 11): training speed of the MX2LM matrix path on the CPU path for the bundled
 * size, next to the same model's training step in PyTorch on this CPU (Debian's python3-torch,
 * when installed: same shapes, float32, AdamW; one thread and all threads) and to published
 * in-browser trainers; and the horizontal merge of 100 folds (MB/s of deltas merged, peak
 * memory). `run()` returns a markdown section; `npx tsx bench/gym.ts` prints it.
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadBrownSplit, sentencesOf } from '../src/cli/brown.ts';
import { buildVocab } from '../src/core/mx2lm/vocab-build.ts';
import { initMatrix, MatrixWorkspace, type MatrixConfig } from '../src/core/mx2lm/matrix.ts';
import { makeBatches, trainStep } from '../src/core/gym/train.ts';
import { createOptimizer } from '../src/core/gym/optim/optimizer.ts';
import { mergeHorizontal, type FoldInput } from '../src/core/gym/merge.ts';
import { checkFold } from '../src/core/fold/fold.ts';
import { Rng } from '../src/core/gccp/random.ts';
import type { TensorSet } from '../src/core/gym/tensor.ts';
import { withWorkbench } from './browser.ts';

const now = () => performance.now();
const median = (xs: number[]) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
const f = (x: number, d = 1) => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });

function nodeTraining(config: MatrixConfig, ids: Int32Array, batch: number, steps: number): { stepsPerSec: number; tokensPerSec: number } {
  const params = initMatrix(config, 20030101);
  const ws = new MatrixWorkspace(config, batch);
  const opt = createOptimizer({ type: 'adamw', lr: 0.004 });
  const batches = makeBatches(ids, config.context, batch, 1);
  for (let i = 0; i < 3; i++) trainStep(params, batches.next(), ws, opt);
  const t0 = now();
  for (let i = 0; i < steps; i++) trainStep(params, batches.next(), ws, opt);
  const secs = (now() - t0) / 1000;
  return { stepsPerSec: steps / secs, tokensPerSec: (steps * batch) / secs };
}

const TORCH = `
import sys, time, torch
V, k, d, H, B, steps, threads = map(int, sys.argv[1:8])
torch.set_num_threads(threads)
torch.manual_seed(1)
emb = torch.nn.Embedding(V, d); hid = torch.nn.Linear(k * d, H); out = torch.nn.Linear(H, V)
params = list(emb.parameters()) + list(hid.parameters()) + list(out.parameters())
opt = torch.optim.AdamW(params, lr=0.004)
ctx = torch.randint(0, V, (steps + 3, B, k)); tgt = torch.randint(0, V, (steps + 3, B))
def step(i):
    opt.zero_grad()
    x = emb(ctx[i]).reshape(B, k * d)
    loss = torch.nn.functional.cross_entropy(out(torch.tanh(hid(x))), tgt[i])
    loss.backward(); opt.step()
for i in range(3): step(i)
t0 = time.perf_counter()
for i in range(3, steps + 3): step(i)
s = time.perf_counter() - t0
print(steps / s, steps * B / s, torch.__version__)
`;

function torchTraining(config: MatrixConfig, batch: number, steps: number, threads: number): { stepsPerSec: number; tokensPerSec: number; version: string } | null {
  const dir = mkdtempSync(join(tmpdir(), 'asx-gym-bench-'));
  try {
    writeFileSync(join(dir, 'step.py'), TORCH);
    const r = spawnSync('/usr/bin/python3', [join(dir, 'step.py'), ...[config.vocabSize, config.context, config.embedDim, config.hidden, batch, steps, threads].map(String)], { encoding: 'utf8', timeout: 300_000 });
    if (r.status !== 0) return null;
    const [sps, tps, version] = r.stdout.trim().split(/\s+/);
    return { stepsPerSec: Number(sps), tokensPerSec: Number(tps), version };
  } catch { return null; } finally { rmSync(dir, { recursive: true, force: true }); }
}

function merge100(): { folds: number; mb: number; secs: number; peakMB: number; beforeMB: number } {
  const config: MatrixConfig = { vocabSize: 2000, context: 3, embedDim: 32, hidden: 64, activation: 'tanh' };
  const base = initMatrix(config, 1);
  const rng = new Rng(7);
  const folds: FoldInput[] = [];
  let bytes = 0;
  for (let i = 0; i < 100; i++) {
    const id = `f${String(i).padStart(3, '0')}`;
    const refs = [...base.keys()].sort().map((layer) => ({ layer, encoding: 'scxq2', ref: `scxq2://${id}/${layer}.delta` }));
    const c = checkFold({ fold_id: id, version: '1.0.0', model_base: 'b', mx2gym_format: 'fold.v1', '@data': { deltas: refs }, '@control': { apply: 'always', priority: i % 7, mode: i % 3 === 0 ? 'multiply' : 'additive', clamp: [-0.01, 0.01] } });
    if (!c.ok) throw new Error('bad fold');
    const deltas: TensorSet = new Map();
    for (const [name, t] of base) {
      const d = new Float32Array(t.data.length);
      for (let j = 0; j < d.length; j++) d[j] = rng.range(-0.001, 0.001);
      deltas.set(name, { shape: [...t.shape], data: d });
      bytes += d.byteLength;
    }
    folds.push({ fold: c.fold, deltas });
  }
  const before = process.memoryUsage().rss;
  let peak = before;
  const t0 = now();
  const timer = setInterval(() => { peak = Math.max(peak, process.memoryUsage().rss); }, 5);
  const r = mergeHorizontal(base, folds, { inPlace: true });
  const secs = (now() - t0) / 1000;
  const skipped = r.outcomes.filter((o) => !o.applied);
  if (skipped.length) throw new Error(`${skipped.length} folds were not applied (${skipped[0].reason})`);
  clearInterval(timer);
  peak = Math.max(peak, process.memoryUsage().rss);
  return { folds: folds.length, mb: bytes / 1e6, secs, peakMB: peak / 1e6, beforeMB: before / 1e6 };
}

/** The Gym tab's training worker in Chromium on the bundled Brown base (the same config), steps/s from its last report. */
async function workerTraining(steps: number): Promise<{ stepsPerSec: number; tokensPerSec: number; chrome: string } | null> {
  try {
    return await withWorkbench('.bench-tmp/gym-dist', 4630, async (page, chrome) => {
      await page.goto(page.url().replace(/#.*$/, '') + '#panel=gym');
      await page.waitForSelector('[data-testid="gym-train"]');
      await page.fill('[data-testid="gym-steps"]', String(steps));
      await page.fill('[data-testid="gym-eval-every"]', '1000000');
      await page.fill('[data-testid="gym-eval-tokens"]', '400');
      await page.click('[data-testid="gym-train"]');
      await page.waitForSelector('[data-testid="gym-status"]:text("done")', { timeout: 600_000 });
      const text = (await page.textContent('[data-testid="gym-progress"]')) ?? '';
      const m = /([\d.,]+) steps\/s · ([\d,]+) tokens\/s/.exec(text);
      if (!m) return null;
      return { stepsPerSec: Number(m[1].replace(/,/g, '')), tokensPerSec: Number(m[2].replace(/,/g, '')), chrome };
    });
  } catch (e) {
    console.log(`  worker: ${(e as Error).message}`);
    return null;
  }
}

export async function run(): Promise<string> {
  // The merge first, while this process holds little else.
  const m = merge100();
  const split = loadBrownSplit();
  const train = sentencesOf(split.train);
  const vocab = buildVocab(train);
  const index = new Map(vocab.map((w, i) => [w, i]));
  const ids: number[] = [];
  for (const s of train.slice(0, 5000)) { for (const w of s) ids.push(index.get(w) ?? 0); ids.push(2); }
  const config: MatrixConfig = { vocabSize: vocab.length, context: 3, embedDim: 32, hidden: 128, activation: 'tanh' };
  const params = config.vocabSize * config.embedDim + config.hidden * (config.context * config.embedDim + 1) + config.vocabSize * (config.hidden + 1);
  const load0 = loadavg()[0];
  const rounds = [0, 1, 2].map(() => nodeTraining(config, Int32Array.from(ids), 32, 20));
  const node = { stepsPerSec: median(rounds.map((r) => r.stepsPerSec)), tokensPerSec: median(rounds.map((r) => r.tokensPerSec)) };
  const torch1 = torchTraining(config, 32, 40, 1);
  const torchN = torchTraining(config, 32, 40, 2);
  const worker = await workerTraining(60);
  const lines: string[] = [];
  const p = (s = '') => lines.push(s);
  p('## MX2GYM training and merges');
  p();
  p(`Method: the bundled MX2LM size (V ${config.vocabSize.toLocaleString('en-US')} words, k ${config.context}, d ${config.embedDim}, H ${config.hidden}, tanh; ${params.toLocaleString('en-US')} parameters), batch 32, AdamW, on Brown train tokens; the CPU path is the core's f64-accumulating matrix path (train.ts + optim, the code the Gym's worker and \`asx gym train\` run), median of 3 rounds of 20 steps after 3 warm-up steps. PyTorch runs the same shapes in float32 with torch.optim.AdamW in a child process on this CPU. Load average ${load0.toFixed(1)} at the start on 2 CPUs shared with other work.`);
  p();
  p('| Trainer | steps/s | tokens/s | ÷ CPU path |');
  p('| --- | ---: | ---: | ---: |');
  p(`| CPU path (Node, one thread) | ${f(node.stepsPerSec)} | ${f(node.tokensPerSec, 0)} | 1.00 |`);
  if (torch1) p(`| PyTorch ${torch1.version} CPU, 1 thread | ${f(torch1.stepsPerSec)} | ${f(torch1.tokensPerSec, 0)} | ${f(torch1.tokensPerSec / node.tokensPerSec, 2)} |`);
  if (torchN) p(`| PyTorch ${torchN.version} CPU, 2 threads | ${f(torchN.stepsPerSec)} | ${f(torchN.tokensPerSec, 0)} | ${f(torchN.tokensPerSec / node.tokensPerSec, 2)} |`);
  if (!torch1) p('| PyTorch | — | — | not installed here (Debian python3-torch) |');
  if (worker) p(`| The Gym tab's training worker (Chromium ${worker.chrome}, same config, 60 steps, from its last progress report) | ${f(worker.stepsPerSec)} | ${f(worker.tokensPerSec, 0)} | ${f(worker.tokensPerSec / node.tokensPerSec, 2)} |`);
  else p('| The Gym tab\'s training worker | — | — | not measured in this run |');
  p(`| TinyGPT (published, threaded WASM SIMD, 0.37M / 0.84M params) | — | ~10,000 / ~4,300 | not run here |`);
  p();
  p(`The CPU path spends its time in three V×H×batch products (the output layer and its two gradients); it runs plain TypeScript loops with f64 accumulation in a fixed order (the determinism law MX2LM-MATRIX), no SIMD and one thread, which is why it trails PyTorch's BLAS. The browser's training worker runs the same code (its row above: worker ÷ Node), and its folds are byte-identical to Node's (e2e/gym.spec.ts).`);
  p();
  p(`Horizontal merge of ${m.folds} folds (mergeHorizontal in place, each fold a full set of f32 deltas over a ${(m.mb / m.folds).toFixed(2)} MB model, priorities 0–6, additive and multiply modes with clamps): ${f(m.mb, 0)} MB of deltas in ${f(m.secs, 2)} s = **${f(m.mb / m.secs, 0)} MB/s**; resident memory of this process ${f(m.beforeMB, 0)} MB before the merge (the 100 folds' deltas, ${f(m.mb, 0)} MB, are already held by the caller, plus the earlier sections' data) and ${f(m.peakMB, 0)} MB at its peak: the merge itself adds ${f(m.peakMB - m.beforeMB, 0)} MB (it applies each fold into one accumulator, with no copy of the model per fold).`);
  return lines.join('\n');
}

if (import.meta.url === `file://${process.argv[1]}`) console.log(await run());
