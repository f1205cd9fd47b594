/**
 * `ai.brain.svg-tensor.v1` legality (§16.6, §16.9; docs/laws.md AI-SVG-BRAIN). The payload is
 * a canonical SVG-tensor (svg-tensor.canonical.v1). Legality is the project's SVG-tensor
 * checker (src/core/svg/tensor.ts, L-LEGAL: allowed and forbidden elements, numeric
 * attributes only, no CSS, events, time or animation, zero-length and disconnected
 * geometry) — each violation one finding with its element path, rule and line/column — then
 * canonical form (the bytes equal their canonicalization: "pretty-printing invalidates hash").
 * `geometry_space` must be `2d`: an SVG-tensor has two coordinates.
 */
import { AsxError } from '../../errors.ts';
import { bytesEqual } from '../../bytes/hex.ts';
import { checkLegality } from '../../svg/tensor.ts';
import { canonicalize } from '../../svg/canonical.ts';
import { FindingList, type LegalityResult } from './findings.ts';

function lineColumn(bytes: Uint8Array, offset: number): { line: number; column: number } {
  // offset is a character offset into the decoded text; for the line count bytes suffice up to it.
  const text = new TextDecoder().decode(bytes);
  let line = 1, last = -1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) { line++; last = i; }
  return { line, column: offset - last };
}

export function checkSvgBrain(d: { geometry_space?: unknown }, payload: Uint8Array): LegalityResult {
  const out = new FindingList();
  if (d.geometry_space !== undefined && d.geometry_space !== '2d') out.add({ code: 'svg.geometry_space', message: `geometry_space ${String(d.geometry_space)}: an SVG-tensor brain is 2d`, path: '$.geometry_space' });
  let legal = false;
  try {
    const r = checkLegality(payload);
    for (const v of r.violations) out.add({ code: `svg.${v.rule}`, message: `${v.path}: ${v.message}`, path: v.path, ...(v.offset !== undefined ? lineColumn(payload, v.offset) : {}) });
    legal = r.legal;
  } catch (e) {
    const off = e instanceof AsxError ? e.where.offset : undefined;
    out.add({ code: e instanceof AsxError ? `svg.${e.code}` : 'svg.unreadable', message: e instanceof Error ? e.message : 'unreadable SVG', ...(off !== undefined ? lineColumn(payload, off) : {}) });
  }
  if (legal) {
    try {
      if (!bytesEqual(canonicalize(payload).bytes, payload)) out.add({ code: 'svg.not_canonical', message: 'legal, but not in svg-tensor.canonical.v1 form (canonicalize it first)', path: '/svg' });
    } catch (e) { out.add({ code: 'svg.not_canonical', message: e instanceof Error ? e.message : 'cannot canonicalize' }); }
  }
  return out.result();
}
