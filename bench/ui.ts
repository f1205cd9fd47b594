/**
 * Workbench UI benchmarks, measured in real headless Chromium (Debian's /usr/bin/chromium
 * through @playwright/test's `chromium.launch`), against a production build served by
 * `vite preview` on 127.0.0.1:
 *
 *   1. Drop → inspector for a pack at the format's lane limit (65,535 lanes × 64 dims,
 *      built with the core encoder): time from dispatching the `drop` event with a real
 *      File to the inspector (pack view) being in the DOM, and the bytes read by then.
 *   2. Heatmap frame time while panning that pack: the lanes panel is scrolled by a fixed
 *      step every animation frame for 240 frames; reported are the canvas draw time per
 *      frame (the heatmap's own timer) and the rAF-to-rAF interval (60 Hz = 16.7 ms).
 *   3. Production bundle: bytes of the initial load (index.html's script, CSS and
 *      modulepreloads; raw and gzip -9) with monaco split out, and the lazy monaco chunk
 *      and workers for comparison.
 *
 * `run()` returns a markdown section; `npx tsx bench/ui.ts` prints it.
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { chromium } from '@playwright/test';
import { preview } from 'vite';
import { encodePack, type LaneInput } from '../src/core/pack/write.ts';
import type {} from '../src/ui/testHooks.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = 'dist-bench-ui';
const PACK = 'bench-65535x64.v2c.bin';
const LANES = 65_535;
const DIMS = 64;
const ROUNDS = 5;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const pct = (xs: number[], p: number): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const fmt = (x: number, d = 1): string => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const kib = (n: number): string => `${fmt(n / 1024, 1)} KiB`;

function limitPack(): Uint8Array {
  const classes = ['policy', 'attention', 'value', 'reward', 'feature'];
  const lanes: LaneInput[] = [];
  for (let k = 0; k < LANES; k++) {
    const base = `${classes[k % classes.length]}${String(k).padStart(5, '0')}`;
    const id = k % 7 === 0 ? `${base}@t${k % 4}__x__attention@t${(k + 1) % 4}` : `${base}@t${k % 4}`;
    const W = new Float64Array(DIMS);
    for (let i = 0; i < DIMS; i++) W[i] = 0.8 * Math.sin((k % 97) * 0.13 + i * 0.21) * Math.cos(k * 0.0007);
    lanes.push({ id, W });
  }
  return encodePack(lanes, DIMS, { laneAudits: 256 }).bytes;
}

function build(outDir: string): void {
  const r = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn', '--outDir', outDir], { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`vite build failed: ${r.stderr}`);
}

interface BundleFigures { initialRaw: number; initialGz: number; files: Array<{ file: string; raw: number; gz: number }>; monaco: Array<{ file: string; raw: number; gz: number }> }

function bundleFigures(dir: string): BundleFigures {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const refs = [...html.matchAll(/(?:src|href)="\/(assets\/[^"]+)"/g)].map((m) => m[1]);
  const size = (f: string) => {
    const b = readFileSync(join(dir, f));
    return { file: f, raw: b.length, gz: gzipSync(b, { level: 9 }).length };
  };
  const files = [...new Set(refs)].map(size);
  const monaco = readdirSync(join(dir, 'assets'))
    .filter((f) => /^(StreamsEditor|editor\.worker|json\.worker|jsonMode|codicon)/.test(f))
    .map((f) => size(`assets/${f}`));
  return { initialRaw: files.reduce((a, f) => a + f.raw, 0), initialGz: files.reduce((a, f) => a + f.gz, 0), files, monaco };
}

export async function run(): Promise<string> {
  const outDir = join(ROOT, OUT_DIR);
  build(outDir);
  const bundle = bundleFigures(outDir);
  const t0 = performance.now();
  const bytes = limitPack();
  const encodeMs = performance.now() - t0;
  writeFileSync(join(outDir, PACK), bytes);

  const server = await preview({ root: ROOT, logLevel: 'silent', build: { outDir }, preview: { host: '127.0.0.1', port: 4179, strictPort: false } });
  const url = server.resolvedUrls?.local[0] ?? 'http://127.0.0.1:4179/';
  const browser = await chromium.launch({
    executablePath: process.env.ASX_CHROMIUM ?? '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-extensions'],
  });
  const chromeVersion = browser.version();
  try {
    const page = await browser.newPage({ viewport: { width: 1360, height: 860 } });
    // tsx (esbuild keepNames) wraps named functions inside page.evaluate bodies in __name().
    await page.addInitScript({ content: 'globalThis.__name = (f) => f;' });
    await page.goto(url);
    await page.waitForSelector('[data-testid="pack-view"]');
    // Fetch the pack once into the page (not part of the timing), as a File.
    await page.evaluate(async (name) => {
      const blob = await (await fetch(name)).blob();
      (window as unknown as { __benchFile: File }).__benchFile = new File([blob], name);
    }, PACK);

    const drops: Array<{ ms: number; bytesRead: number; integrityMs: number; manifestMs: number }> = [];
    for (let r = 0; r < ROUNDS; r++) {
      const res = await page.evaluate(async () => {
        const w = window as unknown as { __benchFile: File };
        const store = window.__asx!.store;
        for (const f of store.getState().files) if (f.name === w.__benchFile.name) store.getState().closeFile(f.id);
        store.getState().setPanel('overview');
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        const dt = new DataTransfer();
        dt.items.add(w.__benchFile);
        const sel = `[data-testid="pack-view"][data-file="${w.__benchFile.name}"]`;
        const t = performance.now();
        document.body.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
        await new Promise<void>((resolve) => {
          const check = () => (document.querySelector(sel) ? resolve() : requestAnimationFrame(check));
          const mo = new MutationObserver(() => { if (document.querySelector(sel)) { mo.disconnect(); resolve(); } });
          mo.observe(document.body, { childList: true, subtree: true });
          check();
        });
        const ms = performance.now() - t;
        const s = store.getState();
        const f = s.files.find((x) => x.id === s.activeId)!;
        const bytesRead = window.__asx!.packs.get(f.pack!.handle)!.counter.bytesRead;
        // Then the integrity line (signature + merkle root over 65,535 leaves, no DATA).
        await new Promise<void>((resolve) => {
          const check = () => (document.querySelector('[data-testid="integrity"]:not([data-state="checking"])') ? resolve() : setTimeout(check, 5));
          check();
        });
        const integrityMs = performance.now() - t;
        await new Promise<void>((resolve) => {
          const check = () => (document.querySelector(`${sel} [data-testid="manifest-json"]`) ? resolve() : setTimeout(check, 5));
          check();
        });
        return { ms, bytesRead, integrityMs, manifestMs: performance.now() - t };
      });
      drops.push(res);
      await page.waitForTimeout(500); // settle before the next drop
    }

    // Pan the heatmap: fixed scroll step per animation frame.
    await page.getByTestId('tab-lanes').click();
    await page.waitForSelector('[data-testid="heatmap"]');
    await page.waitForTimeout(500);
    const pan = await page.evaluate(async () => {
      const el = document.querySelector<HTMLDivElement>('[data-testid="heatmap"] .heatmap-scroll')!;
      const frames = window.__asx!.heatmapFrames!;
      const missing = window.__asx!.heatmapMissing!;
      frames.length = 0;
      missing.length = 0;
      const intervals: number[] = [];
      let last = performance.now();
      const step = 90;
      for (let i = 0; i < 240; i++) {
        el.scrollTop += i < 120 ? step : -step / 2;
        await new Promise((r) => requestAnimationFrame(() => r(null)));
        const t = performance.now();
        intervals.push(t - last);
        last = t;
      }
      await new Promise((r) => setTimeout(r, 300));
      const vis = Math.ceil(el.clientHeight / 3);
      return { draws: [...frames], missing: [...missing], visible: vis, intervals, rows: Number(el.parentElement!.getAttribute('data-rows')), scrollTop: el.scrollTop, rowPx: el.scrollHeight };
    });
    // Full verification in the page (signature, root, every lane hashed) with its progress bar.
    await page.getByTestId('tab-trust').click();
    await page.waitForSelector('[data-testid="sig-state"]');
    const verifyMs = await page.evaluate(async () => {
      const t = performance.now();
      document.querySelector<HTMLButtonElement>('[data-testid="verify-full"]')!.click();
      await new Promise<void>((resolve) => {
        const check = () => (document.querySelector('[data-testid="verify-report"]') ? resolve() : setTimeout(check, 10));
        check();
      });
      return performance.now() - t;
    });
    const verifyOk = await page.getByTestId('verify-report').getAttribute('data-ok');
    await page.close();
    return report({ drops, pan, bundle, encodeMs, bytes: bytes.length, chromeVersion, verifyMs, verifyOk: verifyOk === 'true' });
  } finally {
    await browser.close();
    await new Promise<void>((r) => server.httpServer.close(() => r()));
    rmSync(outDir, { recursive: true, force: true });
  }
}

function report(x: {
  drops: Array<{ ms: number; bytesRead: number; integrityMs: number; manifestMs: number }>;
  pan: { draws: number[]; missing: number[]; visible: number; intervals: number[]; rows: number };
  bundle: BundleFigures;
  encodeMs: number;
  bytes: number;
  chromeVersion: string;
  verifyMs: number;
  verifyOk: boolean;
}): string {
  const dropMs = x.drops.map((d) => d.ms);
  const read = x.drops[0].bytesRead;
  const b = x.bundle;
  const monacoRaw = b.monaco.reduce((a, f) => a + f.raw, 0);
  const monacoGz = b.monaco.reduce((a, f) => a + f.gz, 0);
  const lines = [
    '## Workbench UI (real Chromium)',
    '',
    `Measured in headless Chromium ${x.chromeVersion} (Debian /usr/bin/chromium, software rendering), production build served by \`vite preview\`, viewport 1360×860. Pack: ${LANES.toLocaleString('en-US')} lanes × ${DIMS} dims, ${fmt(x.bytes / 1048576, 2)} MiB, built with \`encodePack\` (${fmt(x.encodeMs / 1000, 1)} s in Node, not timed below).`,
    '',
    '| Figure | Median | Range / p95 | Note |',
    '| --- | ---: | ---: | --- |',
    `| Drop → inspector, ${LANES.toLocaleString('en-US')}-lane pack | ${fmt(median(dropMs), 0)} ms | ${fmt(Math.min(...dropMs), 0)}–${fmt(Math.max(...dropMs), 0)} ms | ${ROUNDS} drops of a real File; header + DICT + INDEX + tail read: ${read.toLocaleString('en-US')} of ${x.bytes.toLocaleString('en-US')} bytes (${fmt((100 * read) / x.bytes, 1)}%), no DATA |`,
    `| Drop → manifest panel filled | ${fmt(median(x.drops.map((d) => d.manifestMs)), 0)} ms | ${fmt(Math.min(...x.drops.map((d) => d.manifestMs)), 0)}–${fmt(Math.max(...x.drops.map((d) => d.manifestMs)), 0)} ms | canonical manifest JSON built on the frame after the inspector |`,
    `| Drop → integrity line (signature + merkle root) | ${fmt(median(x.drops.map((d) => d.integrityMs)), 0)} ms | ${fmt(Math.min(...x.drops.map((d) => d.integrityMs)), 0)}–${fmt(Math.max(...x.drops.map((d) => d.integrityMs)), 0)} ms | after the inspector is shown; root over ${LANES.toLocaleString('en-US')} INDEX leaf hashes, still no DATA |`,
    `| Heatmap draw per frame while panning | ${fmt(median(x.pan.draws), 2)} ms | p95 ${fmt(pct(x.pan.draws, 95), 2)} ms | ${x.pan.draws.length} canvas frames over ${x.pan.rows.toLocaleString('en-US')} rows (3 px each); only lanes in view (± a margin) are read and decoded; rows still decoding when drawn: median ${fmt(median(x.pan.missing), 0)}, p95 ${fmt(pct(x.pan.missing, 95), 0)} of ~${x.pan.visible} visible |`,
    `| Frame interval while panning | ${fmt(median(x.pan.intervals), 1)} ms | p95 ${fmt(pct(x.pan.intervals, 95), 1)} ms | rAF to rAF, 240 frames, 90 px per frame (60 Hz = 16.7 ms) |`,
    `| Full verification in the page (Trust panel) | ${fmt(x.verifyMs, 0)} ms | ${fmt(x.bytes / 1e6 / (x.verifyMs / 1000), 1)} MB/s of file | one run; every lane read in 1 MiB slices and SHA-256-checked with the core (JS), progress bar updating; ${x.verifyOk ? 'verified' : 'FAILED'} |`,
    `| Initial load (JS + CSS), monaco split out | ${kib(b.initialRaw)} | gzip ${kib(b.initialGz)} | ${b.files.map((f) => `${f.file.replace('assets/', '')} ${kib(f.raw)}`).join(', ')} |`,
    `| Monaco (lazy: editor chunk, CSS, workers, font) | ${kib(monacoRaw)} | gzip ${kib(monacoGz)} | loaded only when the Compile panel opens |`,
    '',
  ];
  return lines.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  run().then((md) => process.stdout.write(`${md}\n`), (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
