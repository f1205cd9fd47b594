/**
 * `asx gccp …`: π-GCCP from the command line (issue 5). The CPU exact-math mirror always
 * runs; `--gpu` adds WebGPU through the `webgpu` package (Dawn; SwiftShader here) and says
 * plainly when no adapter is available.
 */
import { runGuarded } from './guard.ts';
import { AsxError } from '../core/errors.ts';
import { cpuExactBackend } from '../core/gccp/backend.ts';
import { runConformance, formatConformance, type ConformanceReport } from '../core/gccp/conformance.ts';
import { gccpExact } from '../core/gccp/mirror.ts';
import { parseProfile, profileHash, type PiProfile } from '../core/gccp/profile.ts';
import { parseArgs, optString } from './args.ts';
import type { Io } from './main.ts';
import { GCCP_HELP } from './help.ts';

export { GCCP_HELP };

const VALUED = ['--profile', '--a', '--b'];
const FLAGS = ['-h', '--help', '--gpu', '--json'];

async function readJson(io: Io, path: string): Promise<unknown> {
  const bytes = await io.readFile(path);
  let text: string;
  try { text = new TextDecoder('utf-8', { fatal: true }).decode(bytes); } catch { throw new AsxError('bad_json', 'file is not UTF-8 text', { file: path }); }
  try { return JSON.parse(text); } catch (e) { throw new AsxError('bad_json', `not JSON: ${(e as Error).message}`, { file: path }); }
}

/** `[[x, y], …]` → interleaved Float64Array. */
export function parseVectors(doc: unknown, file: string): Float64Array {
  if (!Array.isArray(doc)) throw new AsxError('bad_vectors', 'expected an array of [x, y] pairs', { file, path: '$' });
  const out = new Float64Array(2 * doc.length);
  doc.forEach((v, i) => {
    if (!Array.isArray(v) || v.length !== 2 || typeof v[0] !== 'number' || typeof v[1] !== 'number' || !Number.isFinite(v[0]) || !Number.isFinite(v[1])) {
      throw new AsxError('bad_vectors', 'each vector is [x, y] with two finite numbers', { file, path: `$[${i}]` });
    }
    out[2 * i] = v[0]; out[2 * i + 1] = v[1];
  });
  return out;
}

async function loadProfile(io: Io, path: string): Promise<PiProfile> {
  try { return parseProfile(await readJson(io, path)); } catch (e) {
    if (e instanceof AsxError && !e.where.file) throw new AsxError(e.code, e.message, { ...e.where, file: path });
    throw e;
  }
}

const arr = (xs: ArrayLike<number>) => Array.from(xs, (x) => (Number.isNaN(x) ? null : x));

async function withGpu<T>(fn: (g: import('../gpu/gccp.ts').GccpGpu, label: string) => Promise<T>): Promise<T> {
  const { acquireNodeGpu } = await import('../gpu/gccp-node.ts');
  const got = await acquireNodeGpu();
  if (!got.ok) throw new AsxError('no_gpu', `--gpu: ${got.message}`);
  const { GccpGpu } = await import('../gpu/gccp.ts');
  try {
    return await fn(new GccpGpu(got.device), got.adapter.label);
  } finally {
    got.destroy();
  }
}

function verdictLine(r: ConformanceReport): string {
  return r.levels.map((l) => `${l.level} ${l.pass ? 'PASS' : 'FAIL'}`).join(', ');
}

async function conformance(gpu: boolean, json: boolean, io: Io): Promise<number> {
  const reports: ConformanceReport[] = [];
  const cpu = await runConformance(cpuExactBackend);
  reports.push(cpu);
  if (!json) io.out(formatConformance(cpu));
  let gpuError: AsxError | null = null;
  if (gpu) {
    try {
      await withGpu(async (g, label) => {
        const { gpuBackend } = await import('../gpu/gccp.ts');
        const r = await runConformance(gpuBackend(g, label));
        reports.push(r);
        if (!json) io.out('\n' + formatConformance(r));
      });
    } catch (e) {
      if (!(e instanceof AsxError)) throw e;
      gpuError = e;
    }
  }
  if (json) io.out(JSON.stringify({ reports, gpu: gpu ? (gpuError ? { available: false, message: gpuError.message } : { available: true }) : null }, null, 1) + '\n');
  if (gpuError) throw gpuError;
  const failed = reports.filter((r) => !r.pass);
  if (failed.length) throw new AsxError('conformance_failed', failed.map((r) => `${r.backend}: ${verdictLine(r)}`).join('; '));
  return 0;
}

async function run(p: ReturnType<typeof parseArgs>, io: Io): Promise<number> {
  const pf = optString(p, '--profile'), af = optString(p, '--a'), bf = optString(p, '--b');
  if (!pf || !af || !bf) throw new AsxError('usage', 'asx gccp run needs --profile P.json --a A.json --b B.json');
  const profile = await loadProfile(io, pf);
  const a = parseVectors(await readJson(io, af), af);
  const b = parseVectors(await readJson(io, bf), bf);
  if (a.length !== b.length) throw new AsxError('bad_vectors', `--a has ${a.length / 2} vectors and --b ${b.length / 2}; they are paired by index`);
  const head = { profile: profile['@pi_profile'], profile_hash: profileHash(profile), n: a.length / 2 };
  if (!p.opts.has('--gpu')) {
    const t0 = performance.now();
    const r = gccpExact(a, b, profile);
    const ms = performance.now() - t0;
    io.out(JSON.stringify({ backend: 'cpu-exact', ...head, phase: arr(r.phase), weight: arr(r.weight), collapse: r.collapse, accum: [r.accX, r.accY], timings: { totalMs: ms } }) + '\n');
    return 0;
  }
  const a32 = Float32Array.from(a), b32 = Float32Array.from(b);
  let rounded = 0;
  for (let i = 0; i < a.length; i++) { if (a32[i] !== a[i]) rounded++; if (b32[i] !== b[i]) rounded++; }
  return withGpu(async (g, label) => {
    const r = await g.run(a32, b32, profile);
    const t0 = performance.now();
    const cpu = gccpExact(a32, b32, profile);
    const cpuMs = performance.now() - t0;
    io.out(JSON.stringify({
      backend: `webgpu (${label})`, ...head,
      phase: arr(r.phase), weight: arr(r.weight), collapse: r.collapse, accum: [r.accX, r.accY],
      collapse_cpu: cpu.collapse, parity_delta: Math.abs(r.collapse - cpu.collapse),
      settled_on_cpu: { align_decisions: r.uncertain.length, collapse: !r.certified },
      inputs_rounded_to_f32: rounded,
      timings: { ...r.timings, cpuMirrorMs: cpuMs },
    }) + '\n');
    return 0;
  });
}

export function gccpCommand(argv: string[], io: Io): Promise<number> {
  return runGuarded(io.err, async () => {
    const [cmd, ...rest] = argv;
    const p = parseArgs(rest, VALUED, FLAGS);
    if (!cmd || cmd === '--help' || cmd === '-h' || p.opts.has('--help') || p.opts.has('-h')) { io.out(GCCP_HELP); return 0; }
    if (p.positional.length) throw new AsxError('usage', `asx gccp ${cmd} takes no positional arguments (got ${JSON.stringify(p.positional[0])})`);
    switch (cmd) {
      case 'conformance': return await conformance(p.opts.has('--gpu'), p.opts.has('--json'), io);
      case 'run': return await run(p, io);
      default: throw new AsxError('usage', `unknown command "asx gccp ${cmd}" (try asx gccp --help)`);
    }
  });
}
