/**
 * docs/laws.md MX2LM-MATH: the project's fdlibm ports (src/core/math/fdlibm.ts) give the same
 * bits in Chromium as in Node. fdlibm-golden.ts (the fixed seeded inputs and the f64 result
 * bytes) is bundled with esbuild into one script and injected into the app page (the app itself
 * is not changed); the page hashes the bytes with WebCrypto and the digests must equal Node's
 * (node:crypto over the same module in this process) — the literals of fdlibm.test.ts.
 * For the record, the page's own Math.exp/log/tanh are hashed over the same inputs too and
 * compared with Node's (an annotation, not an assertion: that is the disagreement the law fixes).
 */
import { createHash } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';
import type * as Golden from '../src/core/math/fdlibm-golden';
import { GOLDEN_FUNCTIONS, goldenBytes, goldenInputs, resultBytes } from '../src/core/math/fdlibm-golden';
import { expect, test } from './fixtures';

declare global {
  interface Window { AsxFdlibm?: typeof Golden }
}

let bundle: Promise<string> | null = null;
function moduleBundle(): Promise<string> {
  bundle ??= build({
    entryPoints: [fileURLToPath(new URL('../src/core/math/fdlibm-golden.ts', import.meta.url))],
    bundle: true, format: 'iife', globalName: 'AsxFdlibm', platform: 'browser', target: 'es2022', write: false, logLevel: 'silent',
  }).then((r) => r.outputFiles[0].text);
  return bundle;
}

const sha = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const MATH: Record<string, (x: number) => number> = { exp: Math.exp, log: Math.log, expm1: Math.expm1, tanh: Math.tanh };

test('fdlibm exp/log/expm1/tanh: the golden SHA-256 in Chromium equals Node', async ({ page }) => {
  await page.goto('/');
  await page.addScriptTag({ content: await moduleBundle() });
  const inPage = await page.evaluate(async () => {
    const M = window.AsxFdlibm!;
    const hex = async (b: Uint8Array<ArrayBuffer>) => Array.from(new Uint8Array(await crypto.subtle.digest('SHA-256', b)), (x) => x.toString(16).padStart(2, '0')).join('');
    const MATH: Record<string, (x: number) => number> = { exp: Math.exp, log: Math.log, expm1: Math.expm1, tanh: Math.tanh };
    const out: Record<string, { fdlibm: string; math: string }> = {};
    for (const name of M.GOLDEN_FUNCTIONS) {
      out[name] = { fdlibm: await hex(M.goldenBytes(name)), math: await hex(M.resultBytes(MATH[name], M.goldenInputs(name))) };
    }
    return { out, ua: navigator.userAgent };
  });
  const node: Record<string, { fdlibm: string; math: string }> = {};
  for (const name of GOLDEN_FUNCTIONS) node[name] = { fdlibm: sha(goldenBytes(name)), math: sha(resultBytes(MATH[name], goldenInputs(name))) };

  const mathAgree = GOLDEN_FUNCTIONS.filter((n) => inPage.out[n].math === node[n].math);
  test.info().annotations.push({ type: 'engine', description: inPage.ua });
  test.info().annotations.push({ type: 'Math.* hashes equal to Node', description: `${mathAgree.join(', ') || 'none'} of ${GOLDEN_FUNCTIONS.join(', ')}` });
  for (const name of GOLDEN_FUNCTIONS) expect(inPage.out[name].fdlibm, name).toBe(node[name].fdlibm);
  expect(node.exp.fdlibm).toBe('d31d438c6212f29f7269cbd5311e39132037d73daf689d5f8ee96c58bed0c274');
  expect(node.log.fdlibm).toBe('7ca42e6ebac1ebc14242ca427a408fd1a24dca07c978b9708f7b8045852d1824');
  expect(node.expm1.fdlibm).toBe('1412996b1a82fcbd78b4b6694eae3513cefd1312492d97a79443208cd6f3ad4f');
  expect(node.tanh.fdlibm).toBe('0d0e6bd42970923378c7ea3721fb50cbe9de5c66acdec2a7d72810c3ce6d100b');
});
