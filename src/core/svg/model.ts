/**
 * The canonical SVG-tensor model and its serialization (`svg-tensor.canonical.v1`, §17.1;
 * docs/laws.md L-ATTR, L-ORDER, L-SER). Every number in a model is a canonical value
 * (number.ts), so serializing, parsing and serializing again gives the same bytes.
 */
import { formatNumber } from './number.ts';
import type { PathCmd } from './path.ts';
import { applyMatrix, type Matrix } from './transform.ts';
import { compareUtf8 } from '../bytes/utf8.ts';

export type Kind = 'svg' | 'g' | 'path' | 'line' | 'polyline' | 'polygon' | 'circle' | 'ellipse';
export const KINDS: readonly Kind[] = ['svg', 'g', 'path', 'line', 'polyline', 'polygon', 'circle', 'ellipse'];
/** Kind codes used by the M lane and the meta buffer. */
export const KIND_CODE: Record<Kind, number> = { svg: 0, g: 1, path: 2, line: 3, polyline: 4, polygon: 5, circle: 6, ellipse: 7 };
/** §17.1 element type priority: g → path → line → polyline → polygon → circle → ellipse. */
const PRIORITY: Record<Kind, number> = { svg: 0, g: 1, path: 2, line: 3, polyline: 4, polygon: 5, circle: 6, ellipse: 7 };

export const SVG_NS = 'http://www.w3.org/2000/svg';

export interface TNode {
  kind: Kind;
  id?: string;
  transform?: Matrix;
  d?: PathCmd[];
  points?: number[];
  cx?: number; cy?: number; r?: number; rx?: number; ry?: number;
  x1?: number; y1?: number; x2?: number; y2?: number;
  strokeWidth?: number;
  fill?: number;
  width?: number; height?: number; viewBox?: [number, number, number, number];
  children: TNode[];
}

export function isPrimitive(k: Kind): boolean {
  return k !== 'svg' && k !== 'g';
}

export function escapeAttr(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
}

const f = formatNumber;

export function formatPath(d: PathCmd[]): string {
  const parts: string[] = [];
  for (const c of d) {
    parts.push(c.p.length ? `${c.op}${c.p.map(f).join(' ')}` : c.op);
  }
  return parts.join(' ');
}

function attr(name: string, v: string): string {
  return ` ${name}="${v}"`;
}

/** Opening tag with the canonical attribute order. */
export function openTag(n: TNode): string {
  let s = `<${n.kind}`;
  if (n.id !== undefined) s += attr('id', escapeAttr(n.id));
  if (n.kind === 'svg') {
    s += attr('xmlns', SVG_NS) + attr('width', f(n.width!)) + attr('height', f(n.height!)) + attr('viewBox', n.viewBox!.map(f).join(' '));
  }
  if (n.transform) s += attr('transform', `matrix(${n.transform.map(f).join(' ')})`);
  switch (n.kind) {
    case 'path': s += attr('d', formatPath(n.d!)); break;
    case 'polyline': case 'polygon': s += attr('points', n.points!.map(f).join(' ')); break;
    case 'line': s += attr('x1', f(n.x1!)) + attr('y1', f(n.y1!)) + attr('x2', f(n.x2!)) + attr('y2', f(n.y2!)); break;
    case 'circle': s += attr('cx', f(n.cx!)) + attr('cy', f(n.cy!)) + attr('r', f(n.r!)); break;
    case 'ellipse': s += attr('cx', f(n.cx!)) + attr('cy', f(n.cy!)) + attr('rx', f(n.rx!)) + attr('ry', f(n.ry!)); break;
    default: break;
  }
  if (n.strokeWidth !== undefined) s += attr('stroke-width', f(n.strokeWidth));
  if (n.fill !== undefined) s += attr('fill', f(n.fill));
  return s + '>';
}

/** Canonical serialization: no whitespace, explicit closing tags, double quotes. */
export function serialize(root: TNode): string {
  const out: string[] = [];
  const walk = (n: TNode) => {
    out.push(openTag(n));
    for (const c of n.children) walk(c);
    out.push(`</${n.kind}>`);
  };
  walk(root);
  return out.join('');
}

/**
 * The element's ordering points in its own user space (L-ORDER): a path's, line's or poly's
 * coordinates (control points included); a circle's or ellipse's four extreme points
 * (right, bottom, left, top: the L-MAP nodes). Not the corners of the unrotated box: under a
 * rotation or skew those are not points of the shape (`r="1" transform="rotate(45)"` has
 * top −0.707107, where the corners would give −1.414214).
 */
export function ownPoints(n: TNode): number[] {
  switch (n.kind) {
    case 'path': { const out: number[] = []; for (const c of n.d!) for (const v of c.p) out.push(v); return out; }
    case 'polyline': case 'polygon': return n.points!.slice();
    case 'line': return [n.x1!, n.y1!, n.x2!, n.y2!];
    case 'circle': case 'ellipse': {
      const rx = n.kind === 'circle' ? n.r! : n.rx!, ry = n.kind === 'circle' ? n.r! : n.ry!;
      return [n.cx! + rx, n.cy!, n.cx!, n.cy! + ry, n.cx! - rx, n.cy!, n.cx!, n.cy! - ry];
    }
    default: return [];
  }
}

export interface BBox { minX: number; minY: number; maxX: number; maxY: number }

/**
 * Bounding box of the ordering points (`ownPoints`) in the parent's coordinates (own
 * transform applied to each point; a group's box is the box of its children's boxes'
 * corners). Only + and × on canonical values: the same bits on every engine (L-DET).
 * Null when there is no point.
 */
export function bboxInParent(n: TNode): BBox | null {
  let pts: number[];
  if (n.kind === 'g' || n.kind === 'svg') {
    pts = [];
    for (const c of n.children) {
      const b = bboxInParent(c);
      if (b) pts.push(b.minX, b.minY, b.maxX, b.maxY, b.minX, b.maxY, b.maxX, b.minY);
    }
  } else pts = ownPoints(n);
  if (pts.length === 0) return null;
  let minX = Infinity, minY = Infinity, maxX = -Infinity, maxY = -Infinity;
  for (let i = 0; i < pts.length; i += 2) {
    let x = pts[i], y = pts[i + 1];
    if (n.transform) [x, y] = applyMatrix(n.transform, x, y);
    if (x < minX) minX = x;
    if (x > maxX) maxX = x;
    if (y < minY) minY = y;
    if (y > maxY) maxY = y;
  }
  return { minX, minY, maxX, maxY };
}

/**
 * §17.1 element ordering among siblings (depth is the tree itself: a parent precedes its
 * children): top of the bounding box (y), then left (x), then type priority, then id
 * (no id first, then UTF-8 order), then the canonical bytes of the subtree. Bottom-up, so a
 * group's own serialization is already canonical when it is compared.
 */
export function sortTree(n: TNode): void {
  for (const c of n.children) sortTree(c);
  if (n.children.length < 2) return;
  const keyed = n.children.map((c) => ({ c, b: bboxInParent(c), ser: null as string | null }));
  const ser = (k: { c: TNode; ser: string | null }) => (k.ser ??= serialize(k.c));
  keyed.sort((p, q) => {
    const py = p.b ? p.b.minY : 0, qy = q.b ? q.b.minY : 0;
    if (py !== qy) return py - qy;
    const px = p.b ? p.b.minX : 0, qx = q.b ? q.b.minX : 0;
    if (px !== qx) return px - qx;
    const pk = PRIORITY[p.c.kind] - PRIORITY[q.c.kind];
    if (pk !== 0) return pk;
    if (p.c.id !== q.c.id) {
      if (p.c.id === undefined) return -1;
      if (q.c.id === undefined) return 1;
      return compareUtf8(p.c.id, q.c.id);
    }
    return compareUtf8(ser(p), ser(q));
  });
  n.children = keyed.map((k) => k.c);
}

/** Pre-order list of (node, rank) — the canonical element order used for indices. */
export function preorder(root: TNode): { node: TNode; rank: number }[] {
  const out: { node: TNode; rank: number }[] = [];
  const stack: { node: TNode; rank: number }[] = [{ node: root, rank: 0 }];
  while (stack.length) {
    const e = stack.pop()!;
    out.push(e);
    for (let i = e.node.children.length - 1; i >= 0; i--) stack.push({ node: e.node.children[i], rank: e.rank + 1 });
  }
  return out;
}
