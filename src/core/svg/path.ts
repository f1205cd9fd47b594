/**
 * Path data: strict parsing of the SVG path grammar and normalization to the canonical
 * command set M, L, C, Q, Z (absolute, explicit; §17.1 "Path canonicalization"; laws
 * L-PATH and L-ARC in docs/laws.md).
 */
import { canonValue, checkValue, NumberError, NUMBER_SOURCE } from './number.ts';
import { dsin, dcos, dtan, datan2, degToRad } from './detmath.ts';

export type PathOp = 'M' | 'L' | 'C' | 'Q' | 'Z';
export interface PathCmd { op: PathOp; p: number[] }

export const ARITY: Record<PathOp, number> = { M: 1, L: 1, C: 3, Q: 2, Z: 0 };

export class PathError extends Error {
  constructor(message: string, readonly problem: 'syntax' | 'non-finite' | 'range' = 'syntax') { super(message); }
}

const NUM = new RegExp(NUMBER_SOURCE, 'y');
const PARAMS: Record<string, number> = { M: 2, L: 2, H: 1, V: 1, C: 6, S: 4, Q: 4, T: 2, A: 7, Z: 0 };

interface RawCmd { c: string; a: number[] }

function tokenize(d: string): RawCmd[] {
  const out: RawCmd[] = [];
  let i = 0;
  const n = d.length;
  const skip = (comma: boolean) => {
    let seenComma = false;
    while (i < n) {
      const ch = d.charCodeAt(i);
      if (ch === 32 || ch === 9 || ch === 10 || ch === 13 || ch === 12) i++;
      else if (comma && ch === 44 && !seenComma) { seenComma = true; i++; }
      else break;
    }
  };
  const num = (): number => {
    NUM.lastIndex = i;
    const m = NUM.exec(d);
    if (!m) {
      const rest = d.slice(i, i + 12);
      if (/^[+-]?(nan|inf)/i.test(rest)) throw new PathError(`path data has a non-finite number at character ${i}`, 'non-finite');
      throw new PathError(`path data: expected a number at character ${i} (${JSON.stringify(rest)})`);
    }
    i += m[0].length;
    const v = Number(m[0]);
    try { checkValue(v, m[0]); } catch (e) { throw new PathError(`path data: ${(e as NumberError).message}`, (e as NumberError).problem); }
    return v;
  };
  const flag = (): number => {
    const ch = d[i];
    if (ch !== '0' && ch !== '1') throw new PathError(`path data: expected an arc flag 0 or 1 at character ${i}`);
    i++;
    return ch === '1' ? 1 : 0;
  };
  skip(false);
  while (i < n) {
    const c = d[i];
    const up = c.toUpperCase();
    if (!(up in PARAMS) || c.length !== 1 || !/[A-Za-z]/.test(c)) throw new PathError(`path data: unknown command ${JSON.stringify(c)} at character ${i}`);
    i++;
    skip(false);
    const k = PARAMS[up];
    if (k === 0) { out.push({ c, a: [] }); continue; }
    let first = true;
    for (;;) {
      // another parameter group of the same command (implicit repetition)
      if (!first) {
        if (i >= n) break;
        const ch = d.charCodeAt(i);
        const startsNum = (ch >= 48 && ch <= 57) || ch === 43 || ch === 45 || ch === 46;
        if (!startsNum) break;
      }
      const a: number[] = [];
      for (let j = 0; j < k; j++) {
        if (j > 0) skip(true);
        a.push(up === 'A' && (j === 3 || j === 4) ? flag() : num());
      }
      // implicit repetitions of a moveto are line-tos (SVG 1.1 §8.3.2)
      out.push({ c: !first && up === 'M' ? (c === 'M' ? 'L' : 'l') : c, a });
      first = false;
      skip(true);
    }
    skip(false);
  }
  if (out.length && out[0].c.toUpperCase() !== 'M') throw new PathError('path data must start with a moveto (M or m)');
  return out;
}

/**
 * Endpoint arc → cubic Béziers (SVG 1.1 implementation notes F.6.5/F.6.6), split into
 * n = ceil(|Δθ| / 90° − 1e-7) equal segments, each with handle length 4/3·tan(Δθ/4n).
 */
export function arcToCubics(x1: number, y1: number, rxIn: number, ryIn: number, phiDeg: number, fa: number, fs: number, x2: number, y2: number): number[][] {
  if (x1 === x2 && y1 === y2) return [];
  let rx = Math.abs(rxIn);
  let ry = Math.abs(ryIn);
  if (rx === 0 || ry === 0) return [[x2, y2]];
  const phi = degToRad(phiDeg);
  const cosP = dcos(phi);
  const sinP = dsin(phi);
  const dx = (x1 - x2) / 2;
  const dy = (y1 - y2) / 2;
  const x1p = cosP * dx + sinP * dy;
  const y1p = -sinP * dx + cosP * dy;
  const lambda = (x1p * x1p) / (rx * rx) + (y1p * y1p) / (ry * ry);
  if (lambda > 1) { const s = Math.sqrt(lambda); rx *= s; ry *= s; }
  const rx2 = rx * rx;
  const ry2 = ry * ry;
  const num = rx2 * ry2 - rx2 * y1p * y1p - ry2 * x1p * x1p;
  const den = rx2 * y1p * y1p + ry2 * x1p * x1p;
  let coef = den === 0 ? 0 : Math.sqrt(Math.max(0, num / den));
  if (fa === fs) coef = -coef;
  const cxp = coef * (rx * y1p / ry);
  const cyp = coef * (-ry * x1p / rx);
  const cx = cosP * cxp - sinP * cyp + (x1 + x2) / 2;
  const cy = sinP * cxp + cosP * cyp + (y1 + y2) / 2;
  const ang = (ux: number, uy: number, vx: number, vy: number) => datan2(ux * vy - uy * vx, ux * vx + uy * vy);
  const ux = (x1p - cxp) / rx;
  const uy = (y1p - cyp) / ry;
  const vx = (-x1p - cxp) / rx;
  const vy = (-y1p - cyp) / ry;
  const theta1 = ang(1, 0, ux, uy);
  let dtheta = ang(ux, uy, vx, vy);
  if (!fs && dtheta > 0) dtheta -= 2 * Math.PI;
  else if (fs && dtheta < 0) dtheta += 2 * Math.PI;
  const segs = Math.max(1, Math.ceil(Math.abs(dtheta) / (Math.PI / 2) - 1e-7));
  const delta = dtheta / segs;
  const t = (4 / 3) * dtan(delta / 4);
  const out: number[][] = [];
  let th = theta1;
  const pt = (a: number) => {
    const ca = dcos(a);
    const sa = dsin(a);
    return [cx + rx * cosP * ca - ry * sinP * sa, cy + rx * sinP * ca + ry * cosP * sa, -rx * cosP * sa - ry * sinP * ca, -rx * sinP * sa + ry * cosP * ca];
  };
  for (let k = 0; k < segs; k++) {
    const a = pt(th);
    const b = pt(th + delta);
    const last = k === segs - 1;
    out.push([a[0] + t * a[2], a[1] + t * a[3], b[0] - t * b[2], b[1] - t * b[3], last ? x2 : b[0], last ? y2 : b[1]]);
    th += delta;
  }
  return out;
}

export interface NormalizeReport { relative: number; shorthand: number; arcs: number; implicit: number; hv: number; closeMoves: number }

/** Parse and normalize path data into canonical absolute M/L/C/Q/Z commands with canonical values. */
export function normalizePath(d: string, report?: NormalizeReport): PathCmd[] {
  const raw = tokenize(d);
  const out: PathCmd[] = [];
  let cx = 0, cy = 0; // current point
  let sx = 0, sy = 0; // subpath start
  let lastC: number[] | null = null; // reflected control candidates
  let lastQ: number[] | null = null;
  let prevLetter = '';
  let afterZ = false;
  const cv = (v: number) => {
    try { return canonValue(checkValue(v, String(v))); } catch (e) { throw new PathError(`path data: ${(e as NumberError).message}`, (e as NumberError).problem); }
  };
  const emit = (op: PathOp, p: number[]) => {
    if (afterZ && op !== 'M') {
      out.push({ op: 'M', p: [sx, sy] });
      if (report) report.closeMoves++;
    }
    afterZ = false;
    out.push({ op, p });
  };
  for (const { c, a } of raw) {
    const up = c.toUpperCase();
    const rel = c !== up;
    if (rel && up !== 'Z' && report) report.relative++;
    if (up === prevLetter && up !== 'Z' && report) report.implicit++;
    prevLetter = up;
    const ox = rel ? cx : 0;
    const oy = rel ? cy : 0;
    let nextC: number[] | null = null;
    let nextQ: number[] | null = null;
    switch (up) {
      case 'M': {
        const x = cv(ox + a[0]); const y = cv(oy + a[1]);
        out.push({ op: 'M', p: [x, y] });
        afterZ = false;
        cx = x; cy = y; sx = x; sy = y;
        break;
      }
      case 'L': { const x = cv(ox + a[0]); const y = cv(oy + a[1]); emit('L', [x, y]); cx = x; cy = y; break; }
      case 'H': { const x = cv(ox + a[0]); emit('L', [x, cy]); cx = x; if (report) report.hv++; break; }
      case 'V': { const y = cv(oy + a[0]); emit('L', [cx, y]); cy = y; if (report) report.hv++; break; }
      case 'C': {
        const p = [cv(ox + a[0]), cv(oy + a[1]), cv(ox + a[2]), cv(oy + a[3]), cv(ox + a[4]), cv(oy + a[5])];
        emit('C', p); nextC = [p[2], p[3]]; cx = p[4]; cy = p[5]; break;
      }
      case 'S': {
        const r1: number[] = lastC ? [cv(2 * cx - lastC[0]), cv(2 * cy - lastC[1])] : [cx, cy];
        const p: number[] = [r1[0], r1[1], cv(ox + a[0]), cv(oy + a[1]), cv(ox + a[2]), cv(oy + a[3])];
        emit('C', p); nextC = [p[2], p[3]]; cx = p[4]; cy = p[5]; if (report) report.shorthand++; break;
      }
      case 'Q': {
        const p = [cv(ox + a[0]), cv(oy + a[1]), cv(ox + a[2]), cv(oy + a[3])];
        emit('Q', p); nextQ = [p[0], p[1]]; cx = p[2]; cy = p[3]; break;
      }
      case 'T': {
        const r1: number[] = lastQ ? [cv(2 * cx - lastQ[0]), cv(2 * cy - lastQ[1])] : [cx, cy];
        const p: number[] = [r1[0], r1[1], cv(ox + a[0]), cv(oy + a[1])];
        emit('Q', p); nextQ = [p[0], p[1]]; cx = p[2]; cy = p[3]; if (report) report.shorthand++; break;
      }
      case 'A': {
        const x = cv(ox + a[5]); const y = cv(oy + a[6]);
        if (report) report.arcs++;
        const segs = arcToCubics(cx, cy, a[0], a[1], a[2], a[3], a[4], x, y);
        for (const s of segs) {
          if (s.length === 2) { emit('L', [x, y]); continue; }
          emit('C', s.map(cv)); // a following S reflects nothing (previous command is an arc)
        }
        cx = x; cy = y;
        break;
      }
      case 'Z': {
        if (!afterZ) { emit('Z', []); afterZ = true; }
        cx = sx; cy = sy;
        break;
      }
    }
    lastC = nextC;
    lastQ = nextQ;
  }
  return out;
}
