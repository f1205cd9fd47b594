/**
 * CLI start-up benchmarks (issue 9): whole processes, as a user runs them.
 *
 *   1. `node -e 0` (the floor: Node's own start-up), `asx --help` and `asx pack inspect` of a
 *      pack at the format's lane limit (65,535 lanes × 64 dims, built here with encodePack
 *      into a temp folder), through bin/asx.mjs running the compiled bundle (built here
 *      with vite.cli.config.ts into a temp folder, passed as ASX_CLI_DIR; the stamp check
 *      runs as it does for users), and the same two commands through tsx (ASX_CLI=tsx,
 *      what every start did before the bundle). `npx asx --help` for reference (npm's own
 *      start-up comes on top).
 *   2. Where `asx pack inspect` spends its time: one run under `node --cpu-prof`, sampled
 *      time summed per phase (inclusive: openPack, packManifest and its merkle root, output).
 *
 * Timing: rounds that run every command once in turn (interleaved, so load drift hits all
 * alike), one warm-up round, then ROUNDS measured; medians. With hyperfine installed each
 * round is one `hyperfine -N --runs 1` (wall clock and the child's user + system CPU time
 * from getrusage); without it, spawnSync wall clock only. Ratios are against `node -e 0` in
 * the same rounds.
 *
 * `run()` returns a markdown section; `npx tsx bench/cli.ts` prints it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { encodePack, type LaneInput } from '../src/core/pack/write.ts';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
const BIN = join(ROOT, 'bin', 'asx.mjs');
const NODE = process.execPath;
const LANES = 65_535;
const DIMS = 64;
const ROUNDS = 5;
const KEY = new Uint8Array(32).map((_, i) => (i * 29 + 3) & 0xff);

const median = (xs: number[]): number => { const s = [...xs].sort((a, b) => a - b); const m = s.length >> 1; return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2; };
const fmt = (x: number, d = 1): string => x.toLocaleString('en-US', { minimumFractionDigits: d, maximumFractionDigits: d });
const q = (s: string): string => `'${s.replace(/'/g, `'\\''`)}'`;
const load = (): string => loadavg().map((x) => fmt(x, 2)).join(', ');

function limitPack(): Uint8Array {
  let s = LANES;
  const r = (): number => { s = (s + 0x6d2b79f5) | 0; let t = Math.imul(s ^ (s >>> 15), 1 | s); t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t; return ((t ^ (t >>> 14)) >>> 0) / 4294967296; };
  const kinds = ['policy', 'attention', 'value', 'ctx'];
  const lanes: LaneInput[] = new Array(LANES);
  for (let i = 0; i < LANES; i++) {
    const W = new Float64Array(DIMS);
    for (let k = 0; k < DIMS; k++) W[k] = (r() * 2 - 1) * 1.2;
    lanes[i] = { id: `${kinds[i % 4]}@t${i}`, W };
  }
  return encodePack(lanes, DIMS, { qscale: true, audit: true, laneAudits: 64, merkle: true, signKey: KEY }).bytes;
}

function buildBundle(outDir: string): number {
  const t = performance.now();
  const r = spawnSync(NODE, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.cli.config.ts', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`CLI build failed: ${r.stderr}`);
  return performance.now() - t;
}

interface Cmd { key: string; label: string; argv: string[]; env?: Record<string, string> }
interface Times { wall: number[]; cpu: number[] }

const hasHyperfine = (): boolean => spawnSync('hyperfine', ['--version'], { encoding: 'utf8' }).status === 0;

/** One round: every command once, in order. Wall ms and CPU (user + system) ms per command. */
function round(cmds: Cmd[], env: Record<string, string>, dir: string, hyperfine: boolean): Array<{ wall: number; cpu: number }> {
  if (hyperfine) {
    const json = join(dir, 'round.json');
    const lines = cmds.map((c) => {
      const vars = Object.entries(c.env ?? {}).map(([k, v]) => `${k}=${q(v)}`);
      return [...(vars.length ? ['env', ...vars] : []), ...c.argv.map(q)].join(' ');
    });
    const r = spawnSync('hyperfine', ['-N', '--runs', '1', '--style', 'none', '--export-json', json, ...lines], { cwd: ROOT, env: { ...process.env, ...env }, encoding: 'utf8' });
    if (r.status !== 0) throw new Error(`hyperfine failed: ${r.stderr}`);
    const res = (JSON.parse(readFileSync(json, 'utf8')) as { results: Array<{ times: number[]; user: number; system: number }> }).results;
    return res.map((x) => ({ wall: x.times[0] * 1000, cpu: (x.user + x.system) * 1000 }));
  }
  return cmds.map((c) => {
    const t = performance.now();
    const r = spawnSync(c.argv[0], c.argv.slice(1), { cwd: ROOT, env: { ...process.env, ...env, ...c.env }, stdio: 'ignore' });
    if (r.status !== 0) throw new Error(`${c.label} exited ${r.status}`);
    return { wall: performance.now() - t, cpu: NaN };
  });
}

/** Inclusive sampled time (ms) per phase of one `asx pack inspect` under --cpu-prof. */
function profileInspect(pack: string, env: Record<string, string>, dir: string): Record<string, number> {
  const profDir = join(dir, 'prof');
  const r = spawnSync(NODE, ['--cpu-prof', '--cpu-prof-dir', profDir, '--cpu-prof-interval', '250', BIN, 'pack', 'inspect', pack], { cwd: ROOT, env: { ...process.env, ...env }, stdio: 'ignore' });
  if (r.status !== 0) throw new Error('profiled inspect failed');
  const file = readdirSync(profDir).find((f) => f.endsWith('.cpuprofile'));
  if (!file) throw new Error('no .cpuprofile written');
  interface Node { id: number; callFrame: { functionName: string; url: string }; children?: number[] }
  const p = JSON.parse(readFileSync(join(profDir, file), 'utf8')) as { nodes: Node[]; samples: number[]; timeDeltas: number[] };
  const byId = new Map(p.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const n of p.nodes) for (const c of n.children ?? []) parent.set(c, n.id);
  const out: Record<string, number> = { total: 0, openPack: 0, packManifest: 0, merkleRootFlat: 0, manifestJson: 0, gc: 0, idle: 0 };
  for (let i = 0; i < p.samples.length; i++) {
    const dt = (p.timeDeltas[i] ?? 0) / 1000;
    out.total += dt;
    const seen = new Set<string>();
    for (let id: number | undefined = p.samples[i]; id !== undefined; id = parent.get(id)) {
      const n = byId.get(id)!;
      const name = n.callFrame.functionName;
      const k = name === '(garbage collector)' ? 'gc' : name === '(idle)' ? 'idle' : name;
      if (k in out && k !== 'total' && !seen.has(k)) { seen.add(k); out[k] += dt; }
    }
  }
  return out;
}

export interface CliFigures {
  hyperfine: boolean; rounds: number; loadBefore: string; loadAfter: string; packBytes: number; buildMs: number;
  cmds: Cmd[]; times: Record<string, Times>; prof: Record<string, number>;
}

export async function measure(): Promise<CliFigures> {
  const dir = mkdtempSync(join(tmpdir(), 'asx-bench-cli-'));
  try {
    const loadBefore = load();
    const bundle = join(dir, 'dist-cli');
    const buildMs = buildBundle(bundle);
    const pack = join(dir, 'limit.v2c-bin');
    const bytes = limitPack();
    writeFileSync(pack, bytes);
    const env = { ASX_CLI_DIR: bundle, ASX_CLI: '' };
    const tsx = { ASX_CLI: 'tsx' };
    const cmds: Cmd[] = [
      { key: 'node', label: '`node -e 0`', argv: [NODE, '-e', '0'] },
      { key: 'help', label: '**`asx --help`** (bundle)', argv: [NODE, BIN, '--help'] },
      { key: 'inspect', label: `**\`asx pack inspect\`** (bundle), ${LANES.toLocaleString('en-US')} × ${DIMS} pack`, argv: [NODE, BIN, 'pack', 'inspect', pack] },
      { key: 'helpTsx', label: '`asx --help` through tsx (before)', argv: [NODE, BIN, '--help'], env: tsx },
      { key: 'inspectTsx', label: '`asx pack inspect` through tsx (before)', argv: [NODE, BIN, 'pack', 'inspect', pack], env: tsx },
      { key: 'npx', label: '`npx asx --help` (npm exec, then the same bundle)', argv: ['npx', '--no-install', 'asx', '--help'] },
    ];
    const hyperfine = hasHyperfine();
    const times: Record<string, Times> = Object.fromEntries(cmds.map((c) => [c.key, { wall: [], cpu: [] }]));
    for (let r = 0; r <= ROUNDS; r++) {
      const res = round(cmds, env, dir, hyperfine);
      if (r === 0) continue; // warm-up (page cache, JIT-less first runs of npm)
      res.forEach((x, i) => { times[cmds[i].key].wall.push(x.wall); times[cmds[i].key].cpu.push(x.cpu); });
    }
    const prof = profileInspect(pack, env, dir);
    return { hyperfine, rounds: ROUNDS, loadBefore, loadAfter: load(), packBytes: bytes.length, buildMs, cmds, times, prof };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function report(x: CliFigures): string {
  const base = x.times.node;
  const w = (k: string): number => median(x.times[k].wall);
  const c = (k: string): number => median(x.times[k].cpu);
  const range = (xs: number[]): string => `${fmt(Math.min(...xs), 0)}–${fmt(Math.max(...xs), 0)}`;
  const lines = [
    '## CLI start-up (whole processes)',
    '',
    `Each command is a fresh \`node\` process; ${x.rounds} rounds (after one warm-up round) run every command once in turn, so load drift hits all of them alike; medians. ${x.hyperfine ? 'Timed with hyperfine (`-N --runs 1` per round): wall clock, and the child\'s user + system CPU time (getrusage), which moves less than wall clock on a busy machine.' : 'hyperfine is not installed: spawnSync wall clock only (no CPU time).'} The bundle is built by \`vite build --config vite.cli.config.ts\` (${fmt(x.buildMs / 1000, 1)} s here, into a temp folder used through \`ASX_CLI_DIR\`, stamp check included); "through tsx" is \`ASX_CLI=tsx\`, what every start did before. Load average (1, 5, 15 min) before: ${x.loadBefore}; after: ${x.loadAfter} (${spawnSync('nproc', [], { encoding: 'utf8' }).stdout.trim() || '?'} CPUs).`,
    '',
    '| command | wall (median) | range | × `node -e 0` (wall) | CPU user+sys (median) | × `node -e 0` (CPU) |',
    '| --- | ---: | ---: | ---: | ---: | ---: |',
    ...x.cmds.map((cmd) => {
      const t = x.times[cmd.key];
      const cpu = Number.isNaN(c(cmd.key)) ? '—' : `${fmt(c(cmd.key), 0)} ms`;
      const cpuRatio = Number.isNaN(c(cmd.key)) ? '—' : fmt(c(cmd.key) / median(base.cpu), 2);
      return `| ${cmd.label} | ${fmt(w(cmd.key), 0)} ms | ${range(t.wall)} ms | ${fmt(w(cmd.key) / median(base.wall), 2)} | ${cpu} | ${cpuRatio} |`;
    }),
    '',
    `Targets (issue 9): \`asx --help\` ≤ 2× \`node -e 0\` — ${fmt(w('help') / median(base.wall), 2)}× wall${Number.isNaN(c('help')) ? '' : `, ${fmt(c('help') / median(base.cpu), 2)}× CPU`}; \`asx pack inspect\` of the ${LANES.toLocaleString('en-US')}-lane pack (${fmt(x.packBytes / 1e6, 2)} MB) ≤ 0.4 s — ${fmt(w('inspect') / 1000, 2)} s wall${Number.isNaN(c('inspect')) ? '' : `, ${fmt(c('inspect') / 1000, 2)} s CPU`}. Against tsx (before): \`--help\` ${fmt(w('helpTsx') / w('help'), 1)}× faster${Number.isNaN(c('help')) ? '' : ` (wall; ${fmt(c('helpTsx') / c('help'), 1)}× less CPU)`}, \`pack inspect\` ${fmt(w('inspectTsx') / w('inspect'), 1)}× faster${Number.isNaN(c('inspect')) ? '' : ` (wall; ${fmt(c('inspectTsx') / c('inspect'), 1)}× less CPU)`}.`,
    '',
    'Where `asx pack inspect` (bundle) spends its time, from one run under `node --cpu-prof` (sampled every 250 µs; inclusive times, so the indented rows are part of the row above):',
    '',
    '| phase | ms | share |',
    '| --- | ---: | ---: |',
  ];
  const p = x.prof;
  const share = (v: number): string => `${fmt((100 * v) / p.total, 0)} %`;
  const rest = p.total - p.openPack - p.packManifest - p.manifestJson - p.gc - p.idle;
  for (const [label, v] of [
    ['`openPack`: header, DICT (one pass against its canonical form), INDEX (checked byte by byte), tail sections', p.openPack],
    ['`packManifest`', p.packManifest],
    ['  ↳ `merkleRootFlat`: the root over 65,535 INDEX leaf hashes (65,534 pair compressions, in a fresh process before V8 has optimized them)', p.merkleRootFlat],
    ['`manifestJson` (canonical JSON of the manifest)', p.manifestJson],
    ['garbage collection', p.gc],
    ['everything else: Node start-up, loading the bundle, the stamp check, reading the file, writing 1 MB to stdout', rest],
    ['total sampled', p.total],
  ] as Array<[string, number]>) lines.push(`| ${label} | ${fmt(v, 0)} | ${share(v)} |`);
  lines.push('');
  return lines.join('\n');
}

export async function run(): Promise<string> {
  return report(await measure());
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  run().then((md) => process.stdout.write(`${md}\n`), (e: unknown) => {
    process.stderr.write(`${e instanceof Error ? e.stack : String(e)}\n`);
    process.exit(1);
  });
}
