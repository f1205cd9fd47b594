/**
 * Transform lists → one `matrix(a b c d e f)` (§17.1 "Transform canonicalization"; law
 * L-XFORM). Matrices are `[a, b, c, d, e, f]` mapping (x, y) → (a·x + c·y + e, b·x + d·y + f).
 */
import { canonValue, checkValue, NUMBER_SOURCE } from './number.ts';
import { dsin, dcos, dtan, degToRad } from './detmath.ts';

export type Matrix = [number, number, number, number, number, number];
export const IDENTITY: Matrix = [1, 0, 0, 1, 0, 0];

export class TransformError extends Error {}

/** m · n (apply n first, then m). */
export function multiply(m: Matrix, n: Matrix): Matrix {
  return [
    m[0] * n[0] + m[2] * n[1],
    m[1] * n[0] + m[3] * n[1],
    m[0] * n[2] + m[2] * n[3],
    m[1] * n[2] + m[3] * n[3],
    m[0] * n[4] + m[2] * n[5] + m[4],
    m[1] * n[4] + m[3] * n[5] + m[5],
  ];
}

export function applyMatrix(m: Matrix, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

export function isIdentity(m: Matrix): boolean {
  return m[0] === 1 && m[1] === 0 && m[2] === 0 && m[3] === 1 && m[4] === 0 && m[5] === 0;
}

const FN = /\s*,?\s*([a-zA-Z]+)\s*\(([^)]*)\)\s*/y;
const NUMS = new RegExp(NUMBER_SOURCE, 'g');
const ARGS: Record<string, number[]> = { matrix: [6], translate: [1, 2], scale: [1, 2], rotate: [1, 3], skewX: [1], skewY: [1] };

export interface ParsedTransform { matrix: Matrix; functions: string[] }

/** Parse an SVG transform list; the result is the product in list order, canonical values. */
export function parseTransform(text: string): ParsedTransform {
  let i = 0;
  let m: Matrix = [...IDENTITY];
  const functions: string[] = [];
  const t = text.trim();
  while (i < t.length) {
    FN.lastIndex = i;
    const r = FN.exec(t);
    if (!r) throw new TransformError(`transform: cannot read ${JSON.stringify(t.slice(i, i + 24))}`);
    i = FN.lastIndex;
    const name = r[1];
    const body = r[2];
    if (!(name in ARGS)) throw new TransformError(`transform: unknown function ${name}()`);
    const rest = body.replace(NUMS, ' ').replace(/[\s,]/g, '');
    if (rest.length) throw new TransformError(`transform: ${name}() has a non-numeric argument ${JSON.stringify(body.slice(0, 24))}`);
    const args = (body.match(NUMS) ?? []).map((a) => checkValue(Number(a), a));
    if (!ARGS[name].includes(args.length)) throw new TransformError(`transform: ${name}() takes ${ARGS[name].join(' or ')} numbers, got ${args.length}`);
    functions.push(name);
    let f: Matrix;
    switch (name) {
      case 'matrix': f = args as Matrix; break;
      case 'translate': f = [1, 0, 0, 1, args[0], args[1] ?? 0]; break;
      case 'scale': f = [args[0], 0, 0, args[1] ?? args[0], 0, 0]; break;
      case 'rotate': {
        const a = degToRad(args[0]);
        const c = dcos(a), s = dsin(a);
        const rot: Matrix = [c, s, -s, c, 0, 0];
        if (args.length === 3) f = multiply(multiply([1, 0, 0, 1, args[1], args[2]], rot), [1, 0, 0, 1, -args[1], -args[2]]);
        else f = rot;
        break;
      }
      case 'skewX': f = [1, 0, dtan(degToRad(args[0])), 1, 0, 0]; break;
      default: f = [1, dtan(degToRad(args[0])), 0, 1, 0, 0]; break;
    }
    m = multiply(m, f);
  }
  return { matrix: canonMatrix(m), functions };
}

export function canonMatrix(m: Matrix): Matrix {
  return m.map((v) => canonValue(checkValue(v, String(v)))) as Matrix;
}
