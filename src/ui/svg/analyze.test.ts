import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { analyzeBlob, analyzeSvgText, excerpt, lineStarts, MAX_ROWS, progressAt, streamsDoc, SVG_STAGES, TEXT_PREVIEW, type Stage, type SvgResult } from './analyze';
import { runJob, transferables } from './jobs';
import { checkLegality } from '../../core/svg/tensor';
import { importSvg } from '../../core/svg/canonical';
import { mapToBuffers } from '../../core/svg/webgpu';
import { svgToStreams } from '../../core/svg/streams';
import { encodeScxq2 } from '../../core/scxq2/envelope';
import { buildPack } from '../../core/pack/build-pack';

const ICON = readFileSync(join(process.cwd(), 'node_modules/@mdi/svg/svg/account-circle.svg'), 'utf8');

/** The excerpt as the panel computed it before (a scan from the start for every offset). */
function slowExcerpt(source: string, offset: number) {
  const start = source.lastIndexOf('\n', offset - 1) + 1;
  let end = source.indexOf('\n', offset);
  if (end < 0) end = source.length;
  let line = 1;
  for (let i = 0; i < start; i++) if (source.charCodeAt(i) === 10) line++;
  const text = source.slice(start, end);
  return { line, col: offset - start + 1, text: text.length > 400 ? text.slice(Math.max(0, offset - start - 100), offset - start + 300) : text };
}

describe('SVG panel analysis (runs in the worker)', () => {
  it('is the core’s legality, import, map, envelope and streams, cut to what the page shows', async () => {
    const stages: Stage[] = [];
    const r = await analyzeSvgText('icon.svg', ICON, ICON.length, { onStage: (s) => stages.push(s) });
    const imp = importSvg(ICON);
    expect(r.legal).toBe(checkLegality(ICON).legal);
    expect(r.imported!.hashHex).toBe(imp.hashHex);
    expect(Array.from(r.imported!.bytes)).toEqual(Array.from(imp.bytes));
    expect(r.imported!.textPreview).toBe(imp.text.slice(0, TEXT_PREVIEW));
    expect(r.imported!.changes).toEqual(imp.changes);
    expect(r.imported!.sources.split('\n')).toEqual(imp.sources);
    expect(Array.from(r.buffers!.nodeBuffer)).toEqual(Array.from(mapToBuffers(imp.model).nodeBuffer));
    expect(Array.from(r.envelope!)).toEqual(Array.from(encodeScxq2(imp.model, imp.hash)));
    expect(streamsDoc(r.streams!)).toEqual(svgToStreams(imp.model));
    expect(r.lanes.map((l) => l.lane)).toEqual(['M', 'T', 'G', 'X', 'W', 'D']);
    expect(stages).toEqual(['import', 'map', 'envelope', 'streams', 'lanes', 'overlay']);
    expect(r.overlay).toBeNull(); // no OffscreenCanvas in Node: the page draws it
  });

  it('lists at most MAX_ROWS violations with their source lines, and counts all', async () => {
    const src = `<svg viewBox="0 0 1 1">\n${'<rect onclick="x()"/>\n'.repeat(1200)}<line x2="1"/></svg>`;
    const r = await analyzeSvgText('many.svg', src, src.length);
    const all = checkLegality(src).violations;
    expect(r.violationCount).toBe(all.length);
    expect(r.violations).toHaveLength(MAX_ROWS);
    expect(r.violations.map(({ excerpt: _e, ...v }) => v)).toEqual(all.slice(0, MAX_ROWS));
    for (const v of r.violations) expect(v.excerpt).toEqual(slowExcerpt(src, v.offset!));
  });

  it('a parser error stops everything; an import failure still reports legality', async () => {
    const bomb = await analyzeSvgText('lol.svg', '<!DOCTYPE s [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;">]><svg>&b;</svg>', 80);
    expect(bomb.error?.code).toBe('xml_entity');
    expect(bomb.legal).toBeNull();
    const empty = await analyzeSvgText('empty.svg', '<svg viewBox="0 0 1 1"><g/></svg>', 30);
    expect(empty.error).toBeNull();
    expect(empty.legal).toBe(false);
    expect(empty.importError?.code).toBe('svg_import');
    expect(empty.imported).toBeNull();
  });

  it('excerpts by line index equal the direct scan', () => {
    const src = 'a\n\nbc\r\nlong ' + 'x'.repeat(900) + '\nend';
    const starts = lineStarts(src);
    for (const off of [0, 1, 2, 3, 5, 10, 500, src.length - 1, src.length]) expect(excerpt(src, off, starts)).toEqual(slowExcerpt(src, off));
    expect(excerpt(src, -1)).toBeNull();
  });

  it('opens envelopes lazily and refuses files over 16 MiB before reading them', async () => {
    const imp = importSvg(ICON);
    const env = encodeScxq2(imp.model, imp.hash);
    const a = await analyzeBlob(new Blob([new Uint8Array(env)]), 'icon.scxq2');
    expect(a.kind).toBe('scxq2');
    expect(a.kind === 'scxq2' && a.lanes.length).toBe(6);
    const big = { size: 17 * 1024 * 1024, slice: () => new Blob([new Uint8Array(18)]), arrayBuffer: () => { throw new Error('read'); } } as unknown as Blob;
    const r = (await analyzeBlob(big, 'big.svg')) as SvgResult;
    expect(r.error?.code).toBe('xml_limit');
    expect(r.error?.message).toContain('17,825,792 bytes');
  });

  it('progress runs through the stages in order', () => {
    const at = SVG_STAGES.map((s) => progressAt(SVG_STAGES, s));
    expect(at[0]).toBe(0);
    for (let i = 1; i < at.length; i++) expect(at[i]).toBeGreaterThan(at[i - 1]);
    expect(at[at.length - 1]).toBeLessThan(1);
  });
});

describe('SVG worker jobs', () => {
  it('a chunk proof verifies and a tampered envelope does not', async () => {
    const imp = importSvg(ICON);
    const env = encodeScxq2(imp.model, imp.hash);
    expect(await runJob({ type: 'proof', source: env, name: 'x', lane: 'G', index: 0 }, () => {})).toBe('verified');
    const bad = env.slice();
    bad[bad.length - 3] ^= 1;
    expect(await runJob({ type: 'proof', source: bad, name: 'x', lane: 'D', index: 0 }, () => {})).toMatch(/^(integrity_violation|bad_proof):/);
    const v = await runJob({ type: 'verify', file: new Blob([new Uint8Array(env)]), name: 'x' }, () => {});
    expect(v).toMatchObject({ ok: true });
  });

  it('builds the same pack as the core, inflates, and lists every buffer to transfer once', async () => {
    const r = (await analyzeSvgText('icon.svg', ICON, ICON.length)) as SvgResult;
    const p = (await runJob({ type: 'pack', streams: r.streams! }, () => {})) as { bytes: Uint8Array; lanes: number };
    expect(Array.from(p.bytes)).toEqual(Array.from(buildPack(svgToStreams(importSvg(ICON).model)).bytes));
    const inf = (await runJob({ type: 'inflate', file: new Blob([new Uint8Array(r.envelope!)]), name: 'icon.scxq2', dpr: 1 }, () => {})) as SvgResult;
    expect(inf.name).toBe('icon.svg');
    expect(inf.imported!.hashHex).toBe(r.imported!.hashHex);
    const t = transferables(r);
    expect(new Set(t).size).toBe(t.length);
    expect(t.length).toBeGreaterThanOrEqual(3);
  });
});
