/**
 * Colour scales for the lane heatmaps, chosen from the data:
 *   - one-signed data (all ≥ 0, or all ≤ 0) → a sequential scale from 0 to the extreme
 *     (viridis: dark = 0, bright = largest magnitude);
 *   - mixed signs → a diverging scale centred on 0, symmetric ±max|v|
 *     (RdBu: blue negative, grey 0, red positive);
 *   - a difference (A − B) → always diverging, symmetric ±max|A − B|, its own scale.
 * Each scale is a 512-entry lookup table of packed RGBA (little-endian ImageData words).
 * Cells that have no value are drawn with patterns no scale produces: hatched = the lane is
 * missing from this pack; dotted = not decoded yet.
 */
import { color, interpolateRdBu, interpolateViridis } from 'd3';

export const LUT_SIZE = 512;

export type ScaleKind = 'sequential' | 'diverging';

/** A colour scale over [lo, hi]. Diverging scales are symmetric (lo = −hi) and centred on 0. */
export interface HeatScale {
  kind: ScaleKind;
  lo: number;
  hi: number;
}

/** Smallest and largest finite value seen (min > max while nothing was seen). */
export interface ValueStats {
  min: number;
  max: number;
}

export function emptyStats(): ValueStats {
  return { min: Number.POSITIVE_INFINITY, max: Number.NEGATIVE_INFINITY };
}

export function hasData(s: ValueStats): boolean {
  return s.min <= s.max;
}

/** Widen `s` by the finite values of `v`; true when it changed. */
export function addValues(s: ValueStats, v: ArrayLike<number>): boolean {
  let changed = false;
  for (let i = 0; i < v.length; i++) {
    const x = v[i];
    if (!Number.isFinite(x)) continue;
    if (x < s.min) { s.min = x; changed = true; }
    if (x > s.max) { s.max = x; changed = true; }
  }
  return changed;
}

export function mergeStats(...all: ValueStats[]): ValueStats {
  const out = emptyStats();
  for (const s of all) {
    if (!hasData(s)) continue;
    out.min = Math.min(out.min, s.min);
    out.max = Math.max(out.max, s.max);
  }
  return out;
}

export function symmetricScale(maxAbs: number): HeatScale {
  const m = Number.isFinite(maxAbs) ? Math.abs(maxAbs) : 0;
  return { kind: 'diverging', lo: -m, hi: m };
}

/**
 * The scale for a set of values: sequential [0, max] when none is negative, sequential
 * [min, 0] when none is positive, diverging ±max|v| otherwise. `bound`, when given, replaces
 * the data's extreme with a fixed magnitude (e.g. the pack's representable range) while the
 * kind still follows the data. With no data (or only zeros) the scale is diverging ±bound
 * (±0 when no bound: every cell then shows the zero colour).
 */
export function chooseScale(s: ValueStats, bound?: number): HeatScale {
  if (!hasData(s) || (s.min === 0 && s.max === 0)) return symmetricScale(bound ?? 0);
  if (s.min >= 0) return { kind: 'sequential', lo: 0, hi: bound ?? s.max };
  if (s.max <= 0) return { kind: 'sequential', lo: -(bound ?? -s.min), hi: 0 };
  return symmetricScale(bound ?? Math.max(-s.min, s.max));
}

/** The scale for a difference A − B: diverging, symmetric ±max|A − B| (min/max of the differences). */
export function diffScale(d: ValueStats): HeatScale {
  return symmetricScale(hasData(d) ? Math.max(Math.abs(d.min), Math.abs(d.max)) : 0);
}

/**
 * Position of v on the scale's colour ramp in [0, 1]. Sequential: 0 → 0, the extreme → 1
 * (for negative data the ramp runs by magnitude: min → 1). Diverging: −hi → 0, 0 → ½, hi → 1.
 */
export function scaleT(v: number, s: HeatScale): number {
  let t: number;
  if (s.kind === 'sequential') {
    const m = s.hi > 0 ? s.hi : -s.lo;
    if (!(m > 0)) return 0;
    t = s.hi > 0 ? v / m : -v / m;
  } else {
    if (!(s.hi > 0)) return 0.5;
    t = (v / s.hi + 1) * 0.5;
  }
  if (!(t > 0)) return 0; // also NaN
  return t > 1 ? 1 : t;
}

/** LUT index for v on scale s. */
export function lutIndex(v: number, s: HeatScale): number {
  return Math.round(scaleT(v, s) * (LUT_SIZE - 1));
}

function packRgba(css: string): number {
  const c = color(css)?.rgb();
  if (!c) return 0xff000000;
  return ((0xff << 24) | (Math.round(c.b) << 16) | (Math.round(c.g) << 8) | Math.round(c.r)) >>> 0;
}

/** CSS colour at t in [0, 1] of the diverging ramp (0 = most negative, 0.5 = zero, 1 = most positive). */
export function divergingCss(t: number): string {
  const c = color(interpolateRdBu(1 - t))!.rgb();
  // Pull the pale centre towards the panel background so zero reads as "nothing".
  const k = 1 - Math.pow(1 - Math.abs(2 * t - 1), 3) * 0.82;
  const bg = { r: 22, g: 26, b: 32 };
  const mix = (a: number, b: number) => Math.round(b + (a - b) * k);
  return `rgb(${mix(c.r, bg.r)},${mix(c.g, bg.g)},${mix(c.b, bg.b)})`;
}

/** CSS colour at t in [0, 1] of the sequential ramp (0 = zero, 1 = largest magnitude). */
export function sequentialCss(t: number): string {
  return color(interpolateViridis(t))!.formatRgb();
}

const luts: Partial<Record<ScaleKind, Uint32Array>> = {};

export function lutFor(kind: ScaleKind): Uint32Array {
  const hit = luts[kind];
  if (hit) return hit;
  const css = kind === 'sequential' ? sequentialCss : divergingCss;
  const lut = new Uint32Array(LUT_SIZE);
  for (let i = 0; i < LUT_SIZE; i++) lut[i] = packRgba(css(i / (LUT_SIZE - 1)));
  luts[kind] = lut;
  return lut;
}

export function divergingLut(): Uint32Array {
  return lutFor('diverging');
}

/** CSS colour of value v on scale s (legends and swatches). */
export function cssOf(v: number, s: HeatScale): string {
  const t = scaleT(v, s);
  return s.kind === 'sequential' ? sequentialCss(t) : divergingCss(t);
}

/** Cells without a value: packed RGBA (ImageData words) and the CSS the legend uses. */
export const NO_VALUE = {
  /** Lane missing from this pack (only in the other one): diagonal hatching. */
  missingStripe: packRgba('#6b7482'),
  missingBg: packRgba('#1a1e25'),
  /** Not decoded yet: a sparse dot grid on a flat slate. */
  pendingDot: packRgba('#7d8694'),
  pendingBg: packRgba('#262b33'),
  /** The lane failed to decode (e.g. leaf_mismatch). */
  error: packRgba('#6b2a3a'),
  /** Past the last row or column. */
  outside: packRgba('#161a20'),
};

/** Is device pixel (x, y) a stripe of the "missing" hatching? (period 8, 2 px wide, 45°). */
export function hatchAt(x: number, y: number): boolean {
  return ((x + y) & 7) < 2;
}

/** Is device pixel (x, y) a dot of the "not decoded yet" pattern? (every 4 px). */
export function dotAt(x: number, y: number): boolean {
  return (x & 3) === 0 && (y & 3) === 0;
}

export const CLASS_COLORS: Record<string, string> = {
  policy: '#4f9dff',
  attention: '#b48cff',
  preset: '#3fb27f',
  interaction: '#e0a43a',
  summary: '#4fd1c5',
  other: '#8a94a3',
};

/** Short number for legends: 4 significant digits, exponent form for tiny or huge values. */
export function formatScaleValue(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a < 1e-3 || a >= 1e5) return v.toExponential(2);
  return String(Number(v.toPrecision(4)));
}
