/**
 * Diverging colour scale for weights: blue (negative) – near-black (0) – red (positive),
 * as a 512-entry lookup table of packed RGBA (little-endian ImageData words).
 */
import { interpolateRdBu } from 'd3';
import { color } from 'd3';

export const LUT_SIZE = 512;

function packRgba(css: string): number {
  const c = color(css)?.rgb();
  if (!c) return 0xff000000;
  return (0xff << 24) | (Math.round(c.b) << 16) | (Math.round(c.g) << 8) | Math.round(c.r);
}

let lut: Uint32Array | null = null;
/** RdBu reversed (red = positive), darkened in the middle to sit on a dark UI. */
export function divergingLut(): Uint32Array {
  if (lut) return lut;
  lut = new Uint32Array(LUT_SIZE);
  for (let i = 0; i < LUT_SIZE; i++) {
    const t = i / (LUT_SIZE - 1);
    lut[i] = packRgba(divergingCss(t));
  }
  return lut;
}

/** CSS colour at t in [0, 1] (0 = most negative, 0.5 = zero, 1 = most positive). */
export function divergingCss(t: number): string {
  const c = color(interpolateRdBu(1 - t))!.rgb();
  // Pull the pale centre towards the panel background so zero reads as "nothing".
  const k = 1 - Math.pow(1 - Math.abs(2 * t - 1), 3) * 0.82;
  const bg = { r: 22, g: 26, b: 32 };
  const mix = (a: number, b: number) => Math.round(b + (a - b) * k);
  return `rgb(${mix(c.r, bg.r)},${mix(c.g, bg.g)},${mix(c.b, bg.b)})`;
}

/** LUT index for value v in a symmetric domain [-d, d]. */
export function lutIndex(v: number, d: number): number {
  if (!(d > 0)) return LUT_SIZE >> 1;
  let t = (v / d + 1) * 0.5;
  if (t < 0) t = 0;
  else if (t > 1) t = 1;
  return Math.round(t * (LUT_SIZE - 1));
}

export const CLASS_COLORS: Record<string, string> = {
  policy: '#4f9dff',
  attention: '#b48cff',
  preset: '#3fb27f',
  interaction: '#e0a43a',
  summary: '#4fd1c5',
  other: '#8a94a3',
};
