/**
 * Issue 12, the Inference tab on the demo profile (small enough for every backend, the page's
 * main thread included): the trace toggle changes no reply byte, the SVG-tensor traversal is drawn
 * for a token, an edited profile dropped on the graph (the hybrid collapse, matrix path on)
 * replaces the served one and the 1,000 seeded prompts give the law's vector (docs/laws.md
 * MX2LM-INFER, 6c8a6cc5…) on the main thread, the worker, a second worker and WebGPU; weights with
 * an exact tie go to the lowest id on every backend; a removed object is
 * inference_error.missing_object naming it; a file of no role is a typed error and the graph
 * stays loaded.
 */
import { createHash } from 'node:crypto';
import { expect, snap, test } from './fixtures';
import { dropFiles } from './dropFiles';
import { demoHybridProfile, tiedWeights, tieProfile, TIE_IDS } from '../src/core/infer/testkit';

const DEMO_PROFILE = 'object://ai/inference/mx2lm-demo';
const THE_JURY = 'sha256:58aef8b3533a1140f5ed3831e4dc0fee762de811e1ce195ee310776bd6d5b302';
const SEEDED_HYBRID = 'sha256:6c8a6cc5ce08e8a0a50bbefc756a772b744eae11f694cef00535ef21f0285206';
/** The traces' digest of the same run (swap.test.ts computes it in Node). */
const SEEDED_HYBRID_TRACES = 'sha256:443972a5a2229c769a35efa526f531c1d515cbc85b8bd3720f2950995dce9980';
const sha = (b: Uint8Array) => `sha256:${createHash('sha256').update(b).digest('hex')}`;
const BACKENDS = ['main', 'worker', 'worker2', 'webgpu'];

test('Inference tab, demo profile: trace on/off, traversal drawing, swaps, 1,000 seeded prompts equal on four backends, an exact tie, a removed object', async ({ page, baseURL }) => {
  test.setTimeout(300_000);
  await page.goto('/#panel=infer');
  await expect(page.getByTestId('infer')).toBeVisible({ timeout: 60_000 });
  const ready = () => expect(page.getByTestId('infer-objects')).toHaveAttribute('data-state', 'ready', { timeout: 150_000 });
  // The Brown profile loads first; the demo profile is in the server's list.
  await expect(page.getByTestId('infer-profile').locator(`option[value="${DEMO_PROFILE}"]`)).toHaveCount(1, { timeout: 150_000 });
  await page.getByTestId('infer-profile').selectOption(DEMO_PROFILE);
  await ready();
  await expect(page.locator('[data-testid="infer-object"][data-state="verified"]')).toHaveCount(7);

  // Trace on, then off: the same reply bytes (the law's vector), the tokens shown either way.
  const gen = async (prompt: string, trace: boolean) => {
    await page.getByTestId('infer-prompt').fill(prompt);
    await page.getByTestId('infer-trace-toggle').setChecked(trace);
    await page.getByTestId('infer-generate-btn').click();
    await expect(page.getByTestId('infer-output')).toHaveAttribute('data-status', 'done', { timeout: 60_000 });
    await expect(page.getByTestId('infer-output')).toHaveAttribute('data-trace', trace ? 'on' : 'off');
    return { hash: await page.getByTestId('infer-reply-hash').textContent(), text: await page.getByTestId('infer-reply-text').textContent(), tokens: await page.getByTestId('infer-token').allTextContents() };
  };
  const on = await gen('The jury', true);
  expect(on.hash).toBe(THE_JURY);
  expect(on.text).toBe('the jury said the city.');
  await expect(page.getByTestId('infer-trace-hash')).toHaveText(/^sha256:[0-9a-f]{64}$/);
  const off = await gen('The jury', false);
  expect(off).toEqual({ ...on, tokens: on.tokens.slice(0, -1) }); // trace on also shows the stop token's step
  await expect(page.getByTestId('infer-trace-hash')).toHaveCount(0);

  // A token's SVG traversal: the node, its out-edges from the SVG brain, the path walked.
  await gen('The jury', true);
  await page.getByTestId('infer-token').nth(1).click();
  const trav = page.getByTestId('infer-svg-traversal');
  await expect(trav.getByTestId('infer-svg-edge').first()).toBeVisible();
  expect(Number(await trav.getAttribute('data-edges'))).toBeGreaterThan(0);
  await expect(trav.locator('[data-testid="infer-svg-edge"][data-chosen="yes"]')).toHaveCount(1); // "the" follows "said" in the demo graph
  await expect(page.getByTestId('infer-svg-trail')).toContainText('said');
  const travShot = test.info().outputPath('infer-demo-traversal.png');
  await trav.screenshot({ path: travShot });
  await test.info().attach('infer-demo-traversal', { path: travShot, contentType: 'image/png' });

  // Swap the profile for the hybrid one (a file chooser; the matrix path now runs): the reply changes.
  expect((await gen('report', false)).text).toBe('report was quiet.');
  const profileBytes = demoHybridProfile();
  await page.getByTestId('infer-swap-file').setInputFiles({ name: 'hybrid.json', mimeType: 'application/json', buffer: Buffer.from(profileBytes) });
  await ready();
  const profileRow = page.locator('[data-testid="infer-object"][data-role="profile"]');
  await expect(profileRow).toHaveAttribute('data-swapped', 'yes');
  await expect(profileRow).toHaveAttribute('data-hash', sha(profileBytes));
  await expect(profileRow).toContainText('hybrid.json');
  expect((await gen('report', false)).text).toBe('report in the city.');
  expect((await gen('She walked', true)).text).toBe('she walked to the city.');
  await page.getByTestId('infer-token').first().click();
  await expect(page.getByTestId('infer-trace-matrix')).toContainText('hidden 16 × tanh');
  await expect(page.getByTestId('infer-activations')).toHaveAttribute('data-units', '16');
  await expect(page.getByTestId('infer-activations').locator('rect')).toHaveCount(16);

  // The 1,000 seeded prompts on four backends: one digest each, the law's vector.
  await page.getByTestId('infer-det-kind').selectOption('seeded');
  await page.getByTestId('infer-det-run').click();
  await expect(page.getByTestId('infer-det-verdict')).toHaveAttribute('data-verdict', /equal|differ|none/, { timeout: 240_000 });
  const rows: Record<string, { state: string | null; reply: string | null; trace: string | null; note: string | null }> = {};
  for (const b of BACKENDS) {
    const r = page.getByTestId(`infer-det-${b}`);
    rows[b] = { state: await r.getAttribute('data-state'), reply: await r.getAttribute('data-reply'), trace: await r.getAttribute('data-trace'), note: await r.locator('td').last().textContent() };
  }
  console.log(`[${test.info().project.name}] seeded: ${JSON.stringify(rows)}`);
  for (const b of BACKENDS) {
    expect(rows[b].state, `${b}: ${rows[b].note}`).toBe('done');
    expect(rows[b].reply, b).toBe(SEEDED_HYBRID);
    expect(rows[b].trace, b).toBe(SEEDED_HYBRID_TRACES);
  }
  await expect(page.getByTestId('infer-det-verdict')).toHaveAttribute('data-verdict', 'equal');
  await page.getByTestId('infer-det').scrollIntoViewIfNeeded();
  await snap(page, 'infer-demo-seeded');

  // An exact tie (two identical output rows and biases): the lowest id, on every backend.
  const V = ((await (await fetch(`${baseURL}/objects/ai/vocab/mx2lm-demo?projection=payload`)).json()) as { tokens: string[] }).tokens.length;
  await dropFiles(page, [{ name: 'tie.json', bytes: tieProfile() }], '[data-testid="infer-swap-drop"]');
  await ready();
  await dropFiles(page, [{ name: 'tied.safetensors', bytes: tiedWeights(V) }], '[data-testid="infer-swap-drop"]');
  await ready();
  await expect(page.locator('[data-testid="infer-object"][data-role="weights"]')).toHaveAttribute('data-swapped', 'yes');
  const tie = await gen('the', true);
  await page.getByTestId('infer-token').first().click();
  await expect(page.getByTestId('infer-trace-chosen')).toContainText(`#${TIE_IDS.low},`);
  await page.getByTestId('infer-token').nth(1).click(); // the repetition rule excludes the low id: the other of the tie
  await expect(page.getByTestId('infer-trace-chosen')).toContainText(`#${TIE_IDS.high},`);
  expect(tie.tokens.length).toBe(2); // max_tokens 2
  await page.getByTestId('infer-det-kind').selectOption('repeat');
  await page.getByTestId('infer-det-prompt').fill('the');
  await page.getByTestId('infer-det-n').fill('2');
  await page.getByTestId('infer-det-run').click();
  await expect(page.getByTestId('infer-det-verdict')).toHaveAttribute('data-verdict', 'equal', { timeout: 120_000 });
  for (const b of BACKENDS) await expect(page.getByTestId(`infer-det-${b}`)).toHaveAttribute('data-reply', tie.hash!);

  // A file of no role: a typed error, the graph stays loaded.
  await dropFiles(page, [{ name: 'notes.txt', bytes: new TextEncoder().encode('hello') }], '[data-testid="infer-swap-drop"]');
  await expect(page.getByTestId('infer-swap-error')).toHaveAttribute('data-code', 'inference_error.unrecognized_file');
  await expect(page.getByTestId('infer-swap-error')).toContainText('notes.txt');
  await expect(page.getByTestId('infer-objects')).toHaveAttribute('data-state', 'ready');

  // Remove the SVG brain: missing_object naming it; restore the served objects.
  await page.locator('[data-testid="infer-object"][data-role="svg"]').getByTestId('infer-remove').click();
  await expect(page.getByTestId('infer-load-error')).toHaveAttribute('data-code', 'inference_error.missing_object', { timeout: 60_000 });
  await expect(page.getByTestId('infer-load-error')).toContainText('object://ai/brain/svg/mx2lm-demo');
  await page.getByTestId('infer-swap-reset').click();
  await ready();
  expect((await gen('The jury', false)).hash).toBe(THE_JURY);
});
