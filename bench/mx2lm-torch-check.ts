/**
 * An independent check of the matrix path's forward pass (not part of npm test): the first
 * 2,000 validation examples of the Brown set through the bundled trained weights here
 * (matrix.ts `forward`, per-example NLL) and through PyTorch (Debian's python3-torch, the
 * reference safetensors reader), compared example by example.
 *   npx tsx bench/mx2lm-torch-check.ts DIR   (DIR: npx asx mx2lm build --out DIR)
 * Needs /usr/bin/python3 with torch and the `safetensors` package on PYTHONPATH.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { objectPayload, GYM_OBJECT_IDS } from '../src/cli/gym-commands.ts';
import { decodeText } from '../src/core/mx2lm/corpus.ts';
import { sentencesOfLines, tokenIdsOf } from '../src/core/mx2lm/encode.ts';
import { tensorSetOf } from '../src/core/gym/load.ts';
import { matrixConfigOf } from '../src/core/gym/run.ts';
import { examplesOf } from '../src/core/gym/train.ts';
import { forward, MatrixWorkspace } from '../src/core/mx2lm/matrix.ts';

const dir = process.argv[2] ?? '/tmp/brown';
const weights = 'data/mx2lm-brown.safetensors';
const ids = tokenIdsOf(JSON.parse(new TextDecoder().decode((await objectPayload(dir, GYM_OBJECT_IDS.tokenizer)).bytes)));
const stream = ids.encode(sentencesOfLines(decodeText((await objectPayload(dir, GYM_OBJECT_IDS.validation)).bytes)));
const { tensors } = await tensorSetOf(new Uint8Array(readFileSync(weights)));
const config = matrixConfigOf(tensors, 'tanh');
const ex = examplesOf(stream, { bos: ids.bos, eos: ids.eos });
const n = 2000, k = config.context;
const contexts = new Int32Array(n * k), targets = new Int32Array(n);
for (let e = 0; e < n; e++) {
  const p = ex.positions[e], s = ex.starts[e];
  for (let j = 0; j < k; j++) { const q = p - k + j; contexts[e * k + j] = q < s ? ids.bos : stream[q]; }
  targets[e] = stream[p];
}
const ws = new MatrixWorkspace(config, n);
forward(tensors, contexts, targets, ws);
const tmp = mkdtempSync(join(tmpdir(), 'asx-torch-check-'));
writeFileSync(join(tmp, 'ex.json'), JSON.stringify({ contexts: Array.from(contexts), targets: Array.from(targets), nll: Array.from(ws.nll.subarray(0, n)), k }));
writeFileSync(join(tmp, 'check.py'), `
import json, sys, torch
from safetensors.torch import load_file
t = load_file(sys.argv[1]); d = json.load(open(sys.argv[2]))
k = d['k']; c = torch.tensor(d['contexts']).reshape(-1, k); y = torch.tensor(d['targets']); ours = torch.tensor(d['nll'], dtype=torch.float64)
for dt in (torch.float32, torch.float64):
    E, W1, b1, W2, b2 = (t[n].to(dt) for n in ('embed.weight', 'hidden.weight', 'hidden.bias', 'out.weight', 'out.bias'))
    x = E[c].reshape(c.shape[0], -1)
    logits = torch.tanh(x @ W1.T + b1) @ W2.T + b2
    nll = torch.nn.functional.cross_entropy(logits, y, reduction='none').to(torch.float64)
    print(dt, 'max |diff|', float((nll - ours).abs().max()), 'mean nll torch', float(nll.mean()), 'ours', float(ours.mean()))
`);
const r = spawnSync('/usr/bin/python3', [join(tmp, 'check.py'), weights, join(tmp, 'ex.json')], { encoding: 'utf8', env: { ...process.env, PYTHONPATH: process.env.PYTHONPATH ?? '/tmp/st' } });
process.stdout.write(r.stdout + (r.status ? r.stderr : ''));
