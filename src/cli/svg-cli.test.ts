/** `asx svg` / `asx scxq2` commands, called directly (main.ts wiring is done elsewhere). */
import { describe, expect, it } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nodeIo, type Io } from './main.ts';
import { svgCommand, scxq2Command, SVG_HELP, SCXQ2_HELP } from './svg-commands.ts';
import { packCommand } from './pack-commands.ts';
import { AsxError } from '../core/errors.ts';

interface Run { code: number; out: string; err: string }
/** Same convention as main(): AsxError → one line `asx: <code>: …`, exit 1 (2 for usage). */
async function run(group: 'svg' | 'scxq2' | 'pack', ...argv: string[]): Promise<Run> {
  let out = '', err = '';
  const io: Io = { ...nodeIo, out: (s) => { out += s; }, err: (s) => { err += s; } };
  let code: number;
  try {
    code = await (group === 'svg' ? svgCommand : group === 'scxq2' ? scxq2Command : packCommand)(argv, io);
  } catch (e) {
    if (!(e instanceof AsxError)) throw e;
    err += `asx: ${e.describe()}\n`;
    code = e.code === 'usage' ? 2 : 1;
  }
  return { code, out, err };
}

const dir = mkdtempSync(join(tmpdir(), 'asx-svg-'));
const f = (n: string) => join(dir, n);
const ICON = readFileSync(join(process.cwd(), 'node_modules/@mdi/svg/svg/account.svg'), 'utf8');
const EDITOR = `<?xml version="1.0"?>
<svg xmlns="http://www.w3.org/2000/svg" width="64px" height="32" version="1.1">
  <title>drawing</title><style>.a{fill:red}</style><script>alert(1)</script>
  <g id="policy" transform="translate(2,2) rotate(90)" class="a"><rect width="10" height="4" rx="1"/><circle cx="3" cy="3" r="2" fill="#000"/></g>
  <g id="attention"><path d="m0 0 10 10 h5 a5 5 0 0 1 5 5" onclick="x()"/></g>
</svg>`;
writeFileSync(f('icon.svg'), ICON);
writeFileSync(f('editor.svg'), EDITOR);
writeFileSync(f('deep.svg'), '<svg>' + '<g>'.repeat(10_000) + '</g>'.repeat(10_000) + '</svg>');
writeFileSync(f('laughs.svg'), '<!DOCTYPE s [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;">]><svg>&b;</svg>');

describe('asx svg', () => {
  it('help texts', async () => {
    expect((await run('svg', '--help')).out).toBe(SVG_HELP);
    expect((await run('scxq2')).out).toBe(SCXQ2_HELP);
    expect((await run('svg', 'nope')).code).toBe(2);
  });

  it('check: a real icon is legal; an editor file lists every violation and exits 1', async () => {
    const ok = await run('svg', 'check', f('icon.svg'));
    expect(ok.code).toBe(0);
    expect(JSON.parse(ok.out).legal).toBe(true);
    const bad = await run('svg', 'check', f('editor.svg'));
    expect(bad.code).toBe(1);
    const rep = JSON.parse(bad.out);
    expect(rep.violations.length).toBeGreaterThanOrEqual(8);
    expect(rep.violations.map((v: { rule: string }) => v.rule)).toEqual(expect.arrayContaining(['forbidden-element', 'unknown-element', 'css', 'event-attribute', 'unit', 'non-numeric']));
    expect(bad.err).toMatch(/^asx: illegal_tensor: .*editor\.svg: \d+ violations; first: /);
  });

  it('import writes a legal canonical tensor and reports the changes', async () => {
    const r = await run('svg', 'import', f('editor.svg'), '-o', f('editor.tensor.svg'));
    expect(r.code).toBe(0);
    const rep = JSON.parse(r.out);
    expect(rep.changes.map((c: { action: string }) => c.action)).toEqual(expect.arrayContaining(['drop-element', 'convert', 'flatten-transform', 'normalize-path', 'strip-unit']));
    const out = readFileSync(f('editor.tensor.svg'), 'utf8');
    expect(out).not.toMatch(/script|style|title|onclick|rect/);
    expect((await run('svg', 'check', f('editor.tensor.svg'))).code).toBe(0);
    const c = await run('svg', 'canonicalize', f('editor.tensor.svg'));
    expect(c.out).toBe(out);
    const h = await run('svg', 'hash', f('editor.tensor.svg'));
    expect(h.out).toBe(`${rep.sha256}  ${f('editor.tensor.svg')}\n`);
    expect((await run('svg', 'import', f('editor.svg'))).code).toBe(2);
  });

  it('canonicalize refuses an illegal file unless --import', async () => {
    const r = await run('svg', 'canonicalize', f('editor.svg'));
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^asx: illegal_tensor: .*\(at .*editor\.svg/);
    const i = await run('svg', 'canonicalize', f('editor.svg'), '--import');
    expect(i.code).toBe(0);
    expect(i.out).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" width="64" height="32" viewBox="0 0 64 32">/);
  });

  it('map prints the buffer summary', async () => {
    const r = await run('svg', 'map', f('icon.svg'));
    const s = JSON.parse(r.out);
    expect(s).toMatchObject({ profile: 'svg-tensor.webgpu.map.v1', primitives: 1, elements: 2 });
    expect(s.nodes).toBeGreaterThan(5);
    expect(s.bytes.nodeBuffer).toBe(s.nodes * 16);
  });

  it('streams → asx pack build accepts the document', async () => {
    const r = await run('svg', 'streams', f('editor.svg'), '--import', '-o', f('streams.json'));
    expect(r.code).toBe(0);
    const doc = JSON.parse(readFileSync(f('streams.json'), 'utf8'));
    expect(Object.keys(doc.streams).sort()).toEqual(['attention', 'policy']);
    const b = await run('pack', 'build', f('streams.json'), '-o', f('svg.pack'));
    expect(b.code).toBe(0);
    expect(JSON.parse(b.out).lanes).toBeGreaterThan(2);
  });

  it('hostile files fail with one clear line', async () => {
    const d = await run('svg', 'check', f('deep.svg'));
    expect(d.code).toBe(1);
    expect(d.err).toMatch(/^asx: xml_limit: elements nested deeper than 256 levels .*deep\.svg/);
    const l = await run('svg', 'import', f('laughs.svg'), '-o', f('x.svg'));
    expect(l.err).toMatch(/^asx: xml_entity: DOCTYPE with entity declarations is refused/);
  });
});

describe('asx scxq2', () => {
  it('encode, inspect, decode, verify, proof, verify-proof', async () => {
    const e = await run('scxq2', 'encode', f('editor.svg'), '--import', '-o', f('e.scxq2'));
    expect(e.code).toBe(0);
    const enc = JSON.parse(e.out);
    const i = await run('scxq2', 'inspect', f('e.scxq2'));
    const meta = JSON.parse(i.out);
    expect(meta.lanes.map((l: { lane: string }) => l.lane)).toEqual(['M', 'T', 'G', 'X', 'W', 'D']);
    expect(meta.global_root).toBe(enc.global_root);
    expect(meta.global_root_ok).toBe(true);
    expect(meta.bytes_read).toBe(82 + 6 * 41 + 6 * 12);
    const d = await run('scxq2', 'decode', f('e.scxq2'));
    expect(d.out).toBe((await run('svg', 'canonicalize', f('editor.svg'), '--import')).out);
    const v = await run('scxq2', 'verify', f('e.scxq2'), '--root', enc.global_root);
    expect(v.code).toBe(0);
    expect(JSON.parse(v.out).ok).toBe(true);
    const p = await run('scxq2', 'proof', f('e.scxq2'), 'g', '0');
    writeFileSync(f('proof.json'), p.out);
    expect(JSON.parse(p.out)).toMatchObject({ lane: 'G', chunk_index: 0, global_root: enc.global_root });
    const vp = await run('scxq2', 'verify-proof', f('proof.json'), '--envelope', f('e.scxq2'), '--root', enc.global_root);
    expect(vp.code).toBe(0);
    const wrong = await run('scxq2', 'verify-proof', f('proof.json'), '--root', '00'.repeat(32));
    expect(wrong.code).toBe(1);
    expect(wrong.err).toMatch(/^asx: integrity_violation: /);
    expect((await run('scxq2', 'proof', f('e.scxq2'), 'G', '9')).err).toMatch(/^asx: bad_input: lane G has chunks 0…0/);
    expect((await run('scxq2', 'proof', f('e.scxq2'), 'Q', '0')).code).toBe(2);
  });

  it('a flipped byte fails verify with integrity_violation; a wrong root too; a non-envelope is bad_magic', async () => {
    const bytes = readFileSync(f('e.scxq2'));
    bytes[bytes.length - 20] ^= 0x10;
    writeFileSync(f('bad.scxq2'), bytes);
    const v = await run('scxq2', 'verify', f('bad.scxq2'));
    expect(v.code).toBe(1);
    expect(JSON.parse(v.out).object_error).toBe('verification_error.integrity_violation');
    expect(v.err).toMatch(/^asx: integrity_violation: .*bad\.scxq2: lane [A-Z]: root mismatch/);
    const r = await run('scxq2', 'verify', f('e.scxq2'), '--root', '11'.repeat(32));
    expect(r.code).toBe(1);
    const m = await run('scxq2', 'decode', f('icon.svg'));
    expect(m.err).toMatch(/^asx: bad_magic: .*icon\.svg/);
    expect((await run('scxq2', 'verify', f('e.scxq2'), '--root', 'xyz')).code).toBe(2);
  });
});
