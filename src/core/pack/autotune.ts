/**
 * One-shot auto-tuning of class quant scales (packs spec "Auto-Tuning Rule v1.0" §3–8,
 * addendum 7): compares the exact ratio clipped/total (not ratio_q16), never loops.
 */
import { CLASS_ORDER, type LaneClass } from './classes.ts';
import type { ClassAudit } from './audit.ts';

export const T_LOW = 0.01;
export const T_HIGH = 0.08;
export const ALPHA = 0.12;
export const BETA = 0.06;
export const S_MIN = 0.7;
export const S_MAX = 1.6;

export function autoTuneScales(
  initial: Readonly<Record<LaneClass, number>>,
  audit: Readonly<Record<LaneClass, Pick<ClassAudit, 'total' | 'clipped'>>>,
): Record<LaneClass, number> {
  const tuned = {} as Record<LaneClass, number>;
  for (const c of CLASS_ORDER) {
    const s = initial[c];
    const a = audit[c] ?? { total: 0, clipped: 0 };
    const ratio = a.total ? a.clipped / a.total : 0;
    let s2 = s;
    if (ratio > T_HIGH) s2 = s * (1 - ALPHA);
    else if (ratio < T_LOW) s2 = s * (1 + BETA);
    if (s2 < S_MIN) s2 = S_MIN;
    if (s2 > S_MAX) s2 = S_MAX;
    tuned[c] = s2;
  }
  return tuned;
}
