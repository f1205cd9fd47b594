/**
 * Full verify in the browser's verify worker (issue 9: "in a browser worker ≥ 0.5×" OpenSSL's
 * marginal SHA-256 rate on a hashing-bound pack). The pack is section 3's shape: 64 lanes ×
 * 65,535 dims, signed. In real Chromium (production build), the pack is opened from the file
 * input, then each round starts the full check through the store (`checkIntegrity(id,
 * 'full')`, what "Verify everything" does) and times, in the page, until the integrity state
 * is `verified`: the started spare worker, open, signature, the hash-backend choice (L-HASH-CHOICE) and
 * every leaf. Baseline in the same run: `openssl dgst -sha256` marginal rate (one process
 * hashing the file 8× minus the 1× process, ÷ 7), interleaved with the browser rounds.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePack } from '../src/core/pack/write.ts';
import type {} from '../src/ui/testHooks.ts';
import { openByInput, withWorkbench } from './browser.ts';

const LANES = 64;
const DIMS = 65_535;
const ROUNDS = 9;

const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const fmt = (x: number, d = 1): string => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const range = (xs: number[], d = 1): string => `<sub>(${fmt(Math.min(...xs), d)}–${fmt(Math.max(...xs), d)})</sub>`;

function openssl(paths: string[]): number {
  const t = performance.now();
  const r = spawnSync('openssl', ['dgst', '-sha256', ...paths], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
  return performance.now() - t;
}

export async function run(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'asx-bench-wv-'));
  const load0 = loadavg()[0];
  try {
    const lanes = Array.from({ length: LANES }, (_, k) => {
      const W = new Float64Array(DIMS);
      for (let i = 0; i < DIMS; i++) W[i] = 1.2 * Math.sin(k * 0.7 + i * 0.013);
      return { id: `${['policy', 'attention', 'value', 'ctx'][k % 4]}@t${k}`, W };
    });
    const bytes = encodePack(lanes, DIMS, { signKey: new Uint8Array(32).fill(11) }).bytes;
    const path = join(dir, 'bound-64x65535.v2c.bin');
    writeFileSync(path, bytes);
    const mb = bytes.length / 1e6;

    const res = await withWorkbench('dist-bench-wv', 4183, async (page, chrome) => {
      await openByInput(page, path);
      const browser: number[] = [];
      const inWorker: number[] = [];
      const parts: Array<{ open: number; header: number; choose: number; lanes: number }> = [];
      const one: number[] = [];
      const eight: number[] = [];
      let choice: unknown = null;
      // The floor any in-browser verify of this file pays here, in a worker of the same page: reading
      // the whole File (one Blob.arrayBuffer) and one Web Crypto SHA-256 of all its bytes (native
      // hashing, one call: the least per-call cost). Both are lower bounds: a verify reads every
      // byte and hashes every byte at least once.
      await page.evaluate(() => {
        const code = 'onmessage = async (e) => { const f = e.data; const t0 = performance.now(); const buf = await f.arrayBuffer(); const t1 = performance.now(); await crypto.subtle.digest("SHA-256", buf); const t2 = performance.now(); postMessage({ read: t1 - t0, digest: t2 - t1 }); };';
        (window as unknown as { __floor?: Worker }).__floor = new Worker(URL.createObjectURL(new Blob([code], { type: 'text/javascript' })));
        const input = document.createElement('input');
        input.type = 'file';
        input.id = 'bench-floor-input';
        input.hidden = true;
        document.body.append(input);
      });
      await page.setInputFiles('#bench-floor-input', path); // the same file as a File of its own (the workbench's input is cleared after use)
      const floorRead: number[] = [];
      const floorDigest: number[] = [];
      const floor = () => page.evaluate(() => new Promise<{ read: number; digest: number }>((resolve, reject) => {
        const w = (window as unknown as { __floor: Worker }).__floor;
        const f = document.querySelector<HTMLInputElement>('#bench-floor-input')!.files![0];
        const timer = setTimeout(() => reject(new Error('the floor worker did not answer in 30 s')), 30_000);
        w.onerror = (e) => { clearTimeout(timer); reject(new Error(`the floor worker failed: ${e.message}`)); };
        w.onmessage = (e: MessageEvent<{ read: number; digest: number }>) => { clearTimeout(timer); resolve(e.data); };
        w.postMessage(f);
      }));
      for (let r = 0; r < ROUNDS + 1; r++) {
        const out = await page.evaluate(async (name) => {
          const store = window.__asx!.store;
          const file = store.getState().files.find((f) => f.name === name)!;
          const t0 = performance.now();
          const done = new Promise<void>((resolve) => {
            const un = store.subscribe((s) => {
              const i = s.files.find((f) => f.id === file.id)?.integrity;
              if (i && (i.state === 'verified' || i.state === 'failed')) { un(); resolve(); }
            });
          });
          store.getState().checkIntegrity(file.id, 'full');
          await done;
          const ms = performance.now() - t0;
          const i = store.getState().files.find((f) => f.id === file.id)!.integrity!;
          return { ms, state: i.state, hash: i.state === 'verified' ? i.hash ?? null : null, timing: i.state === 'verified' ? i.timing ?? null : null };
        }, path.split('/').pop()!);
        if (out.state !== 'verified') throw new Error(`the pack did not verify in the worker: ${out.state}`);
        const o1 = openssl([path]);
        const o8 = openssl(Array(8).fill(path));
        const fl = await floor();
        if (r === 0) continue; // warm-up
        floorRead.push(fl.read);
        floorDigest.push(fl.digest);
        browser.push(out.ms);
        if (out.timing) {
          parts.push(out.timing);
          inWorker.push(out.timing.open + out.timing.header + out.timing.choose + out.timing.lanes);
        }
        one.push(o1);
        eight.push(o8);
        choice = out.hash;
      }
      return { browser, inWorker, parts, one, eight, floorRead, floorDigest, choice: choice as { backend: string; ms: Record<string, number>; sample: { count: number; length: number } } | null, chrome };
    });

    const marginal = (median(res.eight) - median(res.one)) / 7;
    const fastestMarginal = (Math.min(...res.eight) - Math.min(...res.one)) / 7;
    const b = median(res.browser);
    const w = median(res.inWorker);
    const ratio = marginal / b;
    const ratioW = marginal / w;
    const ratioWFast = fastestMarginal / Math.min(...res.inWorker);
    const part = (k: 'open' | 'header' | 'choose' | 'lanes') => fmt(median(res.parts.map((p) => p[k])));
    const c = res.choice;
    const fr = median(res.floorRead), fd = median(res.floorDigest);
    const lines = [
      '## Full verify in the browser worker (`bench/worker-verify.ts`)',
      '',
      `A hashing-bound pack (${LANES} lanes × ${fmt(DIMS, 0)} dims, signed: ${fmt(mb, 2)} MB, payloads of ${fmt(3 + 2 * DIMS, 0)} bytes) opened in the production workbench (${res.chrome}, headless, from the file input); each of ${ROUNDS} rounds (after a warm-up) starts the full check as "Verify everything" does and times it in the page until the state is \`verified\`: the started spare worker (verifyRunner keeps one warmed up), open, signature, the hash-backend choice (L-HASH-CHOICE) and all ${LANES} leaves. OpenSSL rounds alternate with the browser rounds.`,
      '',
      '| operation | time (median) | MB/s | ÷ OpenSSL marginal |',
      '| --- | ---: | ---: | ---: |',
      `| **baseline**: \`openssl dgst -sha256\`, marginal (8× ${fmt(median(res.eight))} ms minus 1× ${fmt(median(res.one))} ms, ÷ 7) | ${fmt(marginal, 2)} ms | ${fmt(mb / (marginal / 1000), 0)} | 1.000 |`,
      `| **open + full verify inside the worker** (its own clock: open ${part('open')}, signature + root ${part('header')}, backend choice ${part('choose')}, every leaf ${part('lanes')} ms; the signature is not checked twice) | **${fmt(w)} ms** ${range(res.inWorker)} | **${fmt(mb / (w / 1000), 0)}** | **${fmt(ratioW, 3)}** |`,
      `| floor: one \`Blob.arrayBuffer()\` of the whole file in a worker of the page | ${fmt(fr, 2)} ms ${range(res.floorRead, 2)} | ${fmt(mb / (fr / 1000), 0)} | ${fmt(marginal / fr, 3)} |`,
      `| floor: one Web Crypto \`digest('SHA-256')\` of all ${fmt(mb, 2)} MB in that worker | ${fmt(fd, 2)} ms ${range(res.floorDigest, 2)} | ${fmt(mb / (fd / 1000), 0)} | ${fmt(marginal / fd, 3)} |`,
      `| floor: the two together (read every byte once, hash every byte once, nothing else) | ${fmt(fr + fd, 2)} ms | ${fmt(mb / ((fr + fd) / 1000), 0)} | **${fmt(marginal / (fr + fd), 3)}** |`,
      `| the whole check as the page sees it (store action → \`verified\`: posting the job to the started spare worker, the above, messages back, the store update) | ${fmt(b)} ms ${range(res.browser)} | ${fmt(mb / (b / 1000), 0)} | ${fmt(ratio, 3)} |`,
      '',
      `In-worker ratio from the fastest rounds: ${fmt(ratioWFast, 3)}. Target ≥ 0.5 (the Node figure of section 3 is likewise open + verify inside a running process). The floor rows bound what any verify in this browser can reach here: reading the file once and hashing it once with the browser's native SHA-256, with no parsing, no per-lane calls and no signature, already give ${fmt(marginal / (fr + fd), 3)}× OpenSSL's marginal rate one after the other, and at most ${fmt(marginal / Math.max(fr, fd), 3)}× if reading and hashing overlapped perfectly (the slower of the two alone)${marginal / Math.max(fr, fd) < 0.5 ? ': below the 0.5 target, so the target cannot be met in this Chromium on this machine, whatever the verifier does' : ''}. Reads are \`Blob.slice(…).arrayBuffer()\` of 4 MiB, the next under way while one is hashed.${c ? ` The worker chose **${c.backend === 'js' ? 'the built-in batch SHA-256' : 'Web Crypto'}** for these payloads (sample of ${c.sample.count} × ${fmt(c.sample.length, 0)} bytes: ${Object.entries(c.ms).map(([k, v]) => `${k} ${fmt(v, 2)} ms`).join(', ')}).` : ''} Load: ${fmt(load0)} at the start, ${fmt(loadavg()[0])} at the end (2 CPUs, shared).`,
    ];
    return lines.join('\n');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) console.log(await run());
