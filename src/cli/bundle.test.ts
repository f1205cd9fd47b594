/**
 * The compiled CLI (vite.cli.config.ts → dist-cli/) against the TypeScript sources run by tsx:
 * the same commands through bin/asx.mjs on both paths must give byte-identical stdout, stderr,
 * exit codes and written files. The bundle is built here into a temp folder (so this checks
 * the build itself and never depends on, or disturbs, the working tree's dist-cli/). Also the
 * staleness rule of bin/asx.mjs: the bundle runs only when its stamp matches the sources.
 */
import { describe, expect, it, beforeAll, afterAll } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { HELP } from './main.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const BIN = join(ROOT, 'bin/asx.mjs');
const tmp = mkdtempSync(join(tmpdir(), 'asx-bundle-'));
const BUNDLE = join(tmp, 'dist-cli');
const SHARED = join(tmp, 'in');
/** Each path writes into its own folder (its cwd); inputs are absolute and shared. */
const CWD = { tsx: join(tmp, 'tsx'), bundle: join(tmp, 'bundle') } as const;
type Path = keyof typeof CWD;

interface Run { code: number | null; out: Buffer; err: Buffer }

function spawnAsx(argv: string[], env: Record<string, string>, cwd = ROOT): Promise<Run> {
  return new Promise((done, fail) => {
    execFile(process.execPath, [BIN, ...argv], { cwd, env: { ...process.env, ...env }, encoding: 'buffer', maxBuffer: 64 << 20 }, (e, out, err) => {
      if (e && typeof e.code !== 'number') { fail(e); return; }
      done({ code: e ? (e.code as number) : 0, out, err });
    });
  });
}

const ENV: Record<Path, Record<string, string>> = {
  tsx: { ASX_CLI: 'tsx' },
  bundle: { ASX_CLI: 'bundle', ASX_CLI_DIR: BUNDLE },
};

/** One command on both paths (in parallel); asserts identical bytes and returns the bundle's run. */
async function both(argv: string[], opts: { files?: string[]; mask?: (s: string) => string } = {}): Promise<Run> {
  const [t, b] = await Promise.all((['tsx', 'bundle'] as const).map((p) => spawnAsx(argv, ENV[p], CWD[p])));
  // Peak memory (--stats) is a property of the run, not of the output: masked.
  const show = (r: Run) => ({ code: r.code, out: opts.mask ? opts.mask(r.out.toString('latin1')) : r.out.toString('base64'), err: r.err.toString('utf8').replace(/peak memory \d+ MB/g, 'peak memory … MB') });
  expect(show(b), `asx ${argv.join(' ')}`).toEqual(show(t));
  if (opts.files) expect(b.code, `asx ${argv.join(' ')}: ${b.err.toString()}`).toBe(0);
  for (const f of opts.files ?? []) expect(readFileSync(join(CWD.bundle, f)).equals(readFileSync(join(CWD.tsx, f))), `${f} of asx ${argv.join(' ')}`).toBe(true);
  return b;
}

const demo = (f: string) => join(ROOT, 'public/demo', f);
const SEED = '9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60\n'; // RFC 8032 test 1

describe('asx bundle (dist-cli) vs tsx', () => {
  beforeAll(async () => {
    for (const d of [SHARED, CWD.tsx, CWD.bundle]) mkdirSync(d, { recursive: true });
    for (const d of Object.values(CWD)) writeFileSync(join(d, 'k.hex'), SEED);
    writeFileSync(join(SHARED, 'icon.svg'), readFileSync(join(ROOT, 'node_modules/@mdi/svg/svg/account.svg')));
    writeFileSync(join(SHARED, 'editor.svg'), '<svg xmlns="http://www.w3.org/2000/svg" width="64px" height="32"><title>t</title><g id="policy" onclick="x()"><path d="M0 0 L10 10"/></g></svg>');
    await new Promise<void>((done, fail) => {
      execFile(process.execPath, [join(ROOT, 'node_modules/vite/bin/vite.js'), 'build', '--config', 'vite.cli.config.ts', '--outDir', BUNDLE, '--emptyOutDir', '--logLevel', 'warn'], { cwd: ROOT }, (e, _out, err) => (e ? fail(new Error(`CLI build failed: ${err}`)) : done()));
    });
  }, 120_000);
  afterAll(() => { rmSync(tmp, { recursive: true, force: true }); });

  it('the build writes main.mjs and a stamp listing the sources, shaders and dependencies it read', () => {
    const stamp = JSON.parse(readFileSync(join(BUNDLE, 'stamp.json'), 'utf8')) as { inputs: Array<[string, number, number]> };
    const files = stamp.inputs.map(([f]) => f);
    expect(files).toEqual(expect.arrayContaining(['src/cli/main.ts', 'src/cli/pack-commands.ts', 'src/core/pack/read.ts', 'shaders/gccp.wgsl', 'node_modules/@noble/hashes/sha2.js']));
    expect(files.some((f) => f.endsWith('.test.ts'))).toBe(false);
    for (const [f, mtimeMs, size] of stamp.inputs) expect(statSync(join(ROOT, f))).toMatchObject({ mtimeMs, size });
    expect(readFileSync(join(BUNDLE, 'main.mjs'), 'utf8')).not.toMatch(/from ["']\.\.?\/.*\.ts["']/);
  });

  it('help and usage errors', async () => {
    expect((await both(['--help'])).out.toString()).toBe(HELP);
    await both(['pack', '--help']);
    await both(['svg']);
    await both(['nope']);
    await both(['pack', 'frobnicate']);
  });

  it('pack build / inspect / verify / proof', async () => {
    const pub = JSON.parse((await both(['key', 'pub', 'k.hex'])).out.toString()).public_key as string;
    expect((await both(['pack', 'build', demo('demo-streams-a.json'), '-o', 'a.bin', '--sign-key', 'k.hex', '--v2c', 'a.json'], { files: ['a.bin', 'a.json'] })).code).toBe(0);
    const m = JSON.parse((await both(['pack', 'inspect', 'a.bin', '--stats'])).out.toString());
    await both(['pack', 'inspect', demo('demo-wide.v2c.bin')]);
    expect((await both(['pack', 'verify', 'a.bin', '--pubkey', pub])).code).toBe(0);
    await both(['pack', 'verify', demo('demo-5kb.v2c.bin'), demo('demo-5kb-b.v2c.bin'), '--stats']);
    await both(['pack', 'proof', 'a.bin', m.lanes[0].id]);
  });

  it('pack decode / encode / diff / merge, and failures', async () => {
    await both(['pack', 'decode', demo('demo-5kb.v2c.bin')]);
    await both(['pack', 'encode', 'a.json', '-o', 'b.bin', '--lane-audits', '4'], { files: ['b.bin'] });
    await both(['pack', 'diff', demo('demo-5kb.v2c.bin'), demo('demo-5kb-b.v2c.bin')]);
    await both(['pack', 'merge', 'a.bin', demo('demo-5kb-b.v2c.bin'), '--mode', 'blend', '--lambda', '0.3', '-o', 'm.bin', '--sign-key', 'k.hex'], { files: ['m.bin'] });
    // Failures: one line on stderr, same code.
    expect((await both(['pack', 'inspect', join(SHARED, 'missing.bin')])).code).toBe(1);
    expect((await both(['pack', 'inspect', demo('index.json')])).code).toBe(1);
  });

  it('svg check / import, scxq2 encode / verify, pack build from an SVG-tensor, gccp conformance', async () => {
    expect((await both(['svg', 'check', join(SHARED, 'icon.svg')])).code).toBe(0);
    expect((await both(['svg', 'check', join(SHARED, 'editor.svg')])).code).toBe(1);
    expect((await both(['svg', 'import', join(SHARED, 'editor.svg'), '-o', 't.svg'], { files: ['t.svg'] })).code).toBe(0);
    await both(['scxq2', 'encode', 't.svg', '-o', 't.scxq2'], { files: ['t.scxq2'] });
    await both(['scxq2', 'verify', 't.scxq2']);
    await both(['pack', 'build', 't.svg', '-o', 'svg.bin'], { files: ['svg.bin'] });
    // Conformance is deterministic except for its per-test timings: compared with those masked
    // (this also runs the π-GCCP code, whose WGSL the bundle inlines).
    await both(['gccp', 'conformance'], { mask: (s) => s.replace(/\(\d+ ms\)/g, '(… ms)') });
    // Object Server clients: the compliance fixture set, list, and the §15.14 suite against
    // asx serve on a free 127.0.0.1 port (the port and per-test timings masked).
    await both(['objects', 'fixture', 'fx'], { files: ['fx/objects/compliance/counter.json', 'fx/objects/compliance/pack-tampered-lane.json', 'fx/blobs/sha256/a7c0e30781723e65e9e6b2f35cc1ab210cebb56afbeb31fb84548445756ec049'] });
    await both(['objects', 'list', 'fx']);
    expect((await both(['objects', 'compliance', 'fx', '--json'], { mask: (s) => s.replace(/127\.0\.0\.1:\d+/g, '127.0.0.1:…').replace(/"ms": \d+/g, '"ms": …') })).code).toBe(0);
  });

  it('bin/asx.mjs runs the bundle only when every stamped input still has its mtime and size', async () => {
    const fake = join(tmp, 'fake');
    mkdirSync(fake, { recursive: true });
    writeFileSync(join(fake, 'main.mjs'), 'export async function main(argv) { process.stdout.write(`fake bundle ${argv.join(" ")}\\n`); return 0; }\n');
    const st = statSync(join(ROOT, 'package.json'));
    const stamp = (inputs: unknown[]) => writeFileSync(join(fake, 'stamp.json'), JSON.stringify({ schema: 'asx.cli.stamp.v1', inputs }));
    const run = async (env: Record<string, string> = {}) => (await spawnAsx(['--help'], { ASX_CLI_DIR: fake, ASX_CLI: '', ...env })).out.toString();
    stamp([['package.json', st.mtimeMs, st.size]]);
    expect(await run()).toBe('fake bundle --help\n');
    expect(await run({ ASX_CLI: 'tsx' })).toBe(HELP);
    stamp([['package.json', st.mtimeMs + 1, st.size]]);
    expect(await run()).toBe(HELP);
    expect(await run({ ASX_CLI: 'bundle' })).toBe('fake bundle --help\n');
    stamp([['package.json', st.mtimeMs, st.size], ['src/cli/no-such-file.ts', 0, 0]]);
    expect(await run()).toBe(HELP);
    rmSync(join(fake, 'stamp.json'));
    expect(await run()).toBe(HELP);
  });
});
