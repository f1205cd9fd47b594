/**
 * Lane priority tiers (docs/laws.md "L-TIER"). The packs spec names a "Lane Budget Policy
 * 5KB" tier list (used by budget selection and by the per-lane audit cap) but never
 * defines it. Lower tier = higher priority. Within a tier, lanes order by UTF-8 bytes.
 *
 *   0 base       no '@' and no '__x__'             e.g. `policy`, `attention`, `value`
 *   1 window     `<base>@t<k>` (k decimal digits)  e.g. `policy@t2`
 *   2 decay      `<base>@t*`                       decay-combined temporal lane
 *   3 preset     `<base>@early|@mid|@late`         semantic preset windows
 *   4 preset-x   `<a>@<preset>__x__<b>@<preset>`   preset interactions
 *   5 matrix     `<a>@t<i>__x__<b>@t<j>`           temporal interaction matrix
 *   6 summary    `...@row`, `...@col...`, `@all`   matrix summaries
 *   7 other      anything else
 */
import { compareUtf8 } from '../bytes/utf8.ts';
import { symbolFor } from './base62.ts';

export const TIER_NAMES = ['base', 'window', 'decay', 'preset', 'preset-x', 'matrix', 'summary', 'other'] as const;

const PRESET = '(?:early|mid|late)';
const RE_WINDOW = /^[^@]+@t\d+$/;
const RE_DECAY = /^[^@]+@t\*$/;
const RE_PRESET = new RegExp(`^[^@]+@${PRESET}$`);
const RE_PRESET_X = new RegExp(`^[^@]+@${PRESET}__x__[^@]+@${PRESET}$`);
const RE_MATRIX = /^[^@]+@t\d+__x__[^@]+@t\d+$/;
const RE_SUMMARY = /^[^@]+@(?:t\d+|col|all)__x__[^@]+@(?:row|t\d+|all)$/;

export function laneTier(id: string): number {
  if (!id.includes('@') && !id.includes('__x__')) return 0;
  if (RE_WINDOW.test(id)) return 1;
  if (RE_DECAY.test(id)) return 2;
  if (RE_PRESET.test(id)) return 3;
  if (RE_PRESET_X.test(id)) return 4;
  if (RE_MATRIX.test(id)) return 5;
  if (RE_SUMMARY.test(id)) return 6;
  return 7;
}

/** Tier, then UTF-8 byte order of the id. */
export function compareByTier(a: string, b: string): number {
  const ta = laneTier(a);
  const tb = laneTier(b);
  return ta !== tb ? ta - tb : compareUtf8(a, b);
}

/**
 * The per-lane audit picks the first `cap` lanes by tier, then UTF-8 id (packs spec
 * "Class-Aware Saturation Auditing v1.0" §4). `ids` must be in DICT order; returns the
 * chosen DICT indices in the order Part B lists them: ascending UTF-8 bytes of the lane
 * symbol (§3, frozen). That is index order only while every symbol has one digit (< 62
 * lanes): `@10` (62) sorts before `@2` (2) and `@z` (61). docs/laws.md "L-AUDIT".
 */
export function selectAuditLanes(ids: readonly string[], cap: number): number[] {
  const order = ids.map((_, i) => i).sort((a, b) => compareByTier(ids[a], ids[b]));
  return order.slice(0, Math.max(0, Math.min(cap, ids.length))).sort(compareSymbolOrder);
}

/** Two DICT indices by the UTF-8 bytes of their symbols (symbols are ASCII). */
export function compareSymbolOrder(a: number, b: number): number {
  return compareUtf8(symbolFor(a), symbolFor(b));
}
