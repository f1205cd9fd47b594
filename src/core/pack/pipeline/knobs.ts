/**
 * Lane-addressable knobs `amp` and `temp` (packs spec "Interaction Matrix 4×4 v1.0" §8,
 * "Knobs & amps"; law L-KNOBS). A knob map is `{ key: number }` where a key is an exact
 * lane id or a glob. The spec's example uses `"policy@t*"`, `"policy@t1__x__attention@t2"`
 * and `"*"`, but defines neither the glob syntax nor precedence.
 *
 * Glob: `*` matches any run of characters (possibly empty, `@` and `__x__` included); every
 * other character matches itself; there is no escape. So `policy@t*` matches `policy@t0`,
 * the decay lane `policy@t*` itself, and also `policy@t1__x__attention@t2`.
 *
 * Resolution for a lane id, first rule that decides:
 *   1. a key equal to the id (an exact id; also covers the literal decay lane `policy@t*`);
 *   2. among matching globs, the most literal characters (code points that are not `*`);
 *   3. then the fewest `*`;
 *   4. then the smallest key in UTF-8 byte order;
 *   5. no key matches: the built-in default (amp 0.08, temp 0.70 — the spec example's `*`).
 * Why: exact beats pattern, a more specific pattern beats a vaguer one, and the last
 * tie-break only exists so the answer never depends on JSON key order.
 */
import { compareUtf8 } from '../../bytes/utf8.ts';

export type KnobMap = Readonly<Record<string, number>>;

export const DEFAULT_AMP = 0.08;
export const DEFAULT_TEMP = 0.7;

/** Iterative wildcard match (no RegExp, no backtracking blow-up): O(|pattern|·|id|). */
export function globMatch(pattern: string, id: string): boolean {
  const p = [...pattern];
  const s = [...id];
  let pi = 0;
  let si = 0;
  let star = -1;
  let mark = 0;
  while (si < s.length) {
    if (pi < p.length && p[pi] !== '*' && p[pi] === s[si]) { pi++; si++; }
    else if (pi < p.length && p[pi] === '*') { star = pi++; mark = si; }
    else if (star >= 0) { pi = star + 1; si = ++mark; }
    else return false;
  }
  while (pi < p.length && p[pi] === '*') pi++;
  return pi === p.length;
}

function literalCount(key: string): number {
  let n = 0;
  for (const c of key) if (c !== '*') n++;
  return n;
}

function starCount(key: string): number {
  let n = 0;
  for (const c of key) if (c === '*') n++;
  return n;
}

/** Order keys by precedence for glob resolution (rules 2–4): best first. */
export function compareKnobKeys(a: string, b: string): number {
  return literalCount(b) - literalCount(a) || starCount(a) - starCount(b) || compareUtf8(a, b);
}

export interface ResolvedKnob {
  value: number;
  /** The deciding key, or null for the built-in default. */
  key: string | null;
}

export function resolveKnob(map: KnobMap, laneId: string, fallback: number): ResolvedKnob {
  if (Object.prototype.hasOwnProperty.call(map, laneId)) return { value: map[laneId], key: laneId };
  let best: string | null = null;
  for (const key of Object.keys(map)) {
    if (!key.includes('*') || !globMatch(key, laneId)) continue;
    if (best === null || compareKnobKeys(key, best) < 0) best = key;
  }
  return best === null ? { value: fallback, key: null } : { value: map[best], key: best };
}
