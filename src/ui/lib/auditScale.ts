/**
 * The saturation audit chart's axis, chosen from the data (issue 8 item 9): a fixed 0–1 %
 * axis drew every demo's bars as empty slivers. With no clipped sample anywhere the chart is
 * replaced by a sentence; otherwise the axis runs from 0 to the largest clipped share.
 */
export interface AuditRow { total: number; clipped: number }

export type AuditAxis =
  | { kind: 'none'; samples: number }
  | { kind: 'bars'; max: number };

export function auditAxis(rows: readonly AuditRow[]): AuditAxis {
  let samples = 0;
  let max = 0;
  for (const r of rows) {
    samples += r.total;
    if (r.total > 0) max = Math.max(max, r.clipped / r.total);
  }
  return max > 0 ? { kind: 'bars', max } : { kind: 'none', samples };
}

/** A share as a percentage with enough digits to tell small ticks apart (0.05 % not 0 %). */
export function formatShare(share: number): string {
  if (share === 0) return '0%';
  const pct = share * 100;
  const digits = pct >= 10 ? 0 : pct >= 1 ? 1 : Math.min(6, 1 - Math.floor(Math.log10(pct)));
  return `${pct.toFixed(digits)}%`;
}
