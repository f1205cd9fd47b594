/**
 * Lane classes and their frozen constants (packs spec: "Lane-Class Weighting under
 * Adaptive Dims v1.0" §2–4, "Class-Aware Quantization Scaling v1.0" §2).
 */
export const CLASS_ORDER = ['policy', 'attention', 'preset', 'interaction', 'summary', 'other'] as const;
export type LaneClass = (typeof CLASS_ORDER)[number];

/** First match wins, in the canonical order of the spec's table. */
export function classifyLane(laneId: string): LaneClass {
  if (laneId.startsWith('policy')) return 'policy';
  if (laneId.startsWith('attention')) return 'attention';
  if (laneId.includes('@early') || laneId.includes('@mid') || laneId.includes('@late')) return 'preset';
  if (laneId.includes('__x__')) return 'interaction';
  if (laneId.includes('@row') || laneId.includes('@col') || laneId.includes('@all')) return 'summary';
  return 'other';
}

export const CLASS_WEIGHT: Readonly<Record<LaneClass, number>> = {
  policy: 1.3,
  attention: 1.1,
  preset: 1.05,
  interaction: 0.85,
  summary: 0.75,
  other: 1.0,
};

/** Canonical initial quantization scales (before the one-shot auto-tune). */
export const CLASS_QSCALE: Readonly<Record<LaneClass, number>> = {
  policy: 1.35,
  attention: 1.15,
  preset: 1.1,
  interaction: 0.95,
  summary: 0.85,
  other: 1.0,
};

/** FNV-1a 32-bit over UTF-16 code units, as the spec's reference (class names are ASCII). */
export function fnv1a32(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193) >>> 0;
  }
  return h >>> 0;
}

export function classOffsets(dims: number): Record<LaneClass, number> {
  const out = {} as Record<LaneClass, number>;
  for (const c of CLASS_ORDER) out[c] = fnv1a32(c) % dims;
  return out;
}

export function classIndex(c: LaneClass): number {
  return CLASS_ORDER.indexOf(c);
}

/**
 * classIndex(classifyLane(id)) in one pass over the characters (a `@` starts a preset or
 * summary marker, a `_` may start `__x__`) instead of up to eight substring searches: a reader
 * classifies every lane of a pack on open.
 */
export function classIndexOfLane(id: string): number {
  if (id.startsWith('policy')) return 0;
  if (id.startsWith('attention')) return 1;
  let summary = false;
  let interaction = false;
  for (let k = 0; k < id.length; k++) {
    const ch = id.charCodeAt(k);
    if (ch === 0x40) { // @
      const c = id.charCodeAt(k + 1);
      if ((c === 0x65 && id.startsWith('early', k + 1)) || (c === 0x6d && id.startsWith('mid', k + 1)) || (c === 0x6c && id.startsWith('late', k + 1))) return 2;
      if ((c === 0x72 && id.startsWith('row', k + 1)) || (c === 0x63 && id.startsWith('col', k + 1)) || (c === 0x61 && id.startsWith('all', k + 1))) summary = true;
    } else if (ch === 0x5f && !interaction && id.startsWith('__x__', k)) interaction = true;
  }
  return interaction ? 3 : summary ? 4 : 5;
}
