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

/** Line and column (1-based) of a character offset, by binary search over the newline offsets. */
function lineColumn(newlines: readonly number[], offset: number): { line: number; column: number } {
  let lo = 0, hi = newlines.length;
  while (lo < hi) { const mid = (lo + hi) >> 1; if (newlines[mid] < offset) lo = mid + 1; else hi = mid; }
  return { line: lo + 1, column: offset - (lo ? newlines[lo - 1] : -1) };
}

export function checkSvgBrain(d: { geometry_space?: unknown }, payload: Uint8Array): LegalityResult {
  const out = new FindingList();
  let newlines: number[] | undefined;
  const at = (offset: number) => {
    if (!newlines) {
      const text = new TextDecoder().decode(payload);
      newlines = [];
      for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) newlines.push(i);
    }
    return lineColumn(newlines, offset);
  };
  if (d.geometry_space !== undefined && d.geometry_space !== '2d') out.add({ code: 'svg.geometry_space', message: `geometry_space ${String(d.geometry_space)}: an SVG-tensor brain is 2d`, path: '$.geometry_space' });
  let legal = false;
  try {
    const r = checkLegality(payload);
    for (const v of r.violations) out.add({ code: `svg.${v.rule}`, message: `${v.path}: ${v.message}`, path: v.path, ...(v.offset !== undefined ? at(v.offset) : {}) });
    legal = r.legal;
  } catch (e) {
    const off = e instanceof AsxError ? e.where.offset : undefined;
    out.add({ code: e instanceof AsxError ? `svg.${e.code}` : 'svg.unreadable', message: e instanceof Error ? e.message : 'unreadable SVG', ...(off !== undefined ? at(off) : {}) });
  }
  if (legal) {
    try {
      if (!bytesEqual(canonicalize(payload).bytes, payload)) out.add({ code: 'svg.not_canonical', message: 'legal, but not in svg-tensor.canonical.v1 form (canonicalize it first)', path: '/svg' });
    } catch (e) { out.add({ code: 'svg.not_canonical', message: e instanceof Error ? e.message : 'cannot canonicalize' }); }
  }
  return out.result();
}
