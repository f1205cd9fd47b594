/**
 * Issue 12, the Inference tab: the bundled MX2LM Brown objects are verified in the tab's worker
 * (object graph, every verdict), a short prompt's reply appears token by token and its bytes are
 * the reply the core engine gives in this Node process for the same objects (read over the same
 * server with HttpObjectStore), a token's trace shows the three domains, the determinism panel's
 * hashes are equal on every backend (CPU worker, a second worker, WebGPU on SwiftShader), and an
 * over-long prompt gives the typed `inference_error.bad_request` card.
 */
import { createHash } from 'node:crypto';
import { expect, test } from './fixtures';
import { infer } from '../src/core/infer/engine';
import { PROMPT_MAX_CHARS } from '../src/core/infer/request';
import { BROWN_IDS } from '../src/core/mx2lm/brown-ids';
import { HttpObjectStore } from '../src/ui/objects/httpStore';

const PROMPT = 'The jury said';

test('Inference tab: objects verified, a reply equal to Node\'s, a three-domain trace, equal hashes on every backend, a typed error', async ({ page, baseURL }) => {
  test.setTimeout(240_000);
  // The core engine in Node over the same server, computed while the page loads. (A GET is
  // retried once: undici may reuse a keep-alive socket the server has just closed.)
  const retrying = (u: string, i?: RequestInit) => fetch(u, i).catch(() => fetch(u, i));
  const nodeReply = infer(new HttpObjectStore(`${baseURL}/`, retrying), { '@request': 'ai.inference', prompt: PROMPT, profile: BROWN_IDS.profile, projection: 'agent.reply' });
  nodeReply.catch(() => {});
  const t0 = Date.now();
  await page.goto('/#panel=infer');
  await expect(page.getByTestId('infer')).toBeVisible({ timeout: 60_000 }); // the dev server transforms the lazy panel on first use
  // The object graph: every object verified (the 25 MB ARPA included), progress on the way.
  await expect(page.getByTestId('infer-objects')).toHaveAttribute('data-state', 'ready', { timeout: 150_000 });
  const rows = page.getByTestId('infer-object');
  await expect(rows).toHaveCount(7);
  await expect(page.locator('[data-testid="infer-object"][data-state="verified"]')).toHaveCount(7);
  for (const role of ['profile', 'tokenizer', 'vocab', 'weights', 'ngram', 'svg', 'reply']) await expect(page.locator(`[data-testid="infer-object"][data-role="${role}"]`)).toHaveCount(1);
  const load = await page.getByTestId('infer-load-status').textContent();

  const loadSeconds = (Date.now() - t0) / 1000;
  const node = await nodeReply;
  const nodeText = String(node.payload.text);

  await page.getByTestId('infer-prompt').fill(PROMPT);
  await page.getByTestId('infer-generate-btn').click();
  await expect(page.getByTestId('infer-output')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  const text = (await page.getByTestId('infer-reply-text').textContent()) ?? '';
  expect(text.length).toBeGreaterThan(PROMPT.length);
  expect(text).toBe(nodeText);
  const hash = await page.getByTestId('infer-reply-hash').textContent();
  expect(hash).toBe(`sha256:${createHash('sha256').update(node.bytes).digest('hex')}`);
  expect(hash).toBe(node.hash);
  // One token per step, the last one the stop token or max_tokens.
  expect(await page.getByTestId('infer-token').count()).toBeGreaterThanOrEqual(node.tokens.length);
  const tps = await page.getByTestId('infer-tps').textContent();

  // A token's trace: the three domains with candidates, collapse weights, the chosen token.
  await page.getByTestId('infer-token').first().click();
  const trace = page.getByTestId('infer-trace');
  await expect(trace).toHaveAttribute('data-step', '0');
  for (const d of ['matrix', 'svg', 'ngram', 'collapsed']) {
    await expect(trace.getByTestId(`infer-domain-${d}`)).toHaveAttribute('data-present', 'yes');
    expect(await trace.getByTestId(`infer-domain-${d}`).locator('tr').count()).toBeGreaterThan(0);
  }
  await expect(trace.getByTestId('infer-trace-weights')).toContainText('α');
  await expect(trace.getByTestId('infer-trace-matrix')).toContainText('hidden');
  await expect(trace.getByTestId('infer-activations')).toHaveAttribute('data-units', '128');
  await expect(trace.getByTestId('infer-svg-traversal')).toBeVisible();
  await expect(trace.getByTestId('infer-trace-chosen')).toContainText('chosen');

  // Determinism: N = 1 per backend (a second worker loads the objects itself: slow).
  await page.getByTestId('infer-det-prompt').fill(PROMPT);
  await page.getByTestId('infer-det-n').fill('1');
  await page.getByTestId('infer-det-run').click();
  await expect(page.getByTestId('infer-det-verdict')).toHaveAttribute('data-verdict', /equal|differ|none/, { timeout: 180_000 });
  const backends: Record<string, { state: string | null; reply: string | null; trace: string | null; tps: string | null; note: string | null }> = {};
  for (const b of ['worker', 'worker2', 'webgpu']) {
    const r = page.getByTestId(`infer-det-${b}`);
    backends[b] = { state: await r.getAttribute('data-state'), reply: await r.getAttribute('data-reply'), trace: await r.getAttribute('data-trace'), tps: await page.getByTestId(`infer-det-${b}-tps`).textContent(), note: await r.locator('td').last().textContent() };
  }
  const figures = JSON.stringify({ load, loadSeconds, generateTps: tps, backends });
  test.info().annotations.push({ type: 'figures', description: figures });
  console.log(`[${test.info().project.name}] ${figures}`);
  for (const b of ['worker', 'worker2', 'webgpu']) {
    expect(backends[b].state, `${b}: ${backends[b].note}`).toBe('done');
    expect(backends[b].reply).toBe(node.hash);
    expect(backends[b].trace).toBe(backends.worker.trace);
  }
  await expect(page.getByTestId('infer-det-verdict')).toHaveAttribute('data-verdict', 'equal');
  await expect(page.getByTestId('infer-det-verdict')).toContainText('all equal');

  // The page's main thread does not load the 30 MB Brown set: it says so, and takes no part.
  await expect(page.getByTestId('infer-det-main')).toHaveAttribute('data-state', 'unavailable');
  await expect(page.getByTestId('infer-det-main')).toContainText('not run');

  // The trace off: the same reply bytes.
  await page.getByTestId('infer-prompt').fill(PROMPT);
  await page.getByTestId('infer-trace-toggle').uncheck();
  await page.getByTestId('infer-generate-btn').click();
  await expect(page.getByTestId('infer-output')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
  await expect(page.getByTestId('infer-output')).toHaveAttribute('data-trace', 'off');
  await expect(page.getByTestId('infer-reply-hash')).toHaveText(node.hash);

  // The seeded set on Brown takes minutes: it shows progress and Cancel stops it.
  await page.getByTestId('infer-det-kind').selectOption('seeded');
  await page.getByTestId('infer-det-run').click();
  await expect(page.getByTestId('infer-det-worker-progress')).toBeVisible({ timeout: 30_000 });
  await page.getByTestId('infer-det-cancel').click();
  await expect(page.getByTestId('infer-det-verdict')).not.toHaveAttribute('data-verdict', 'running', { timeout: 60_000 });
  await expect(page.getByTestId('infer-det-worker')).toHaveAttribute('data-state', 'cancelled');
  await expect(page.getByTestId('infer-det-webgpu')).toHaveAttribute('data-state', 'cancelled');
  await page.getByTestId('infer-trace-toggle').check();

  // A prompt longer than PROMPT_MAX_CHARS: the typed error card.
  await page.getByTestId('infer-prompt').fill('a'.repeat(PROMPT_MAX_CHARS + 1));
  await page.getByTestId('infer-generate-btn').click();
  await expect(page.getByTestId('infer-error')).toHaveAttribute('data-code', 'inference_error.bad_request');
  await expect(page.getByTestId('infer-error')).toContainText('$.prompt');
});
