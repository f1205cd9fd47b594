/**
 * Element records: the flat, canonical-order description of a canonical model that the GPU
 * map and the SCXQ2 lanes share (docs/laws.md L-REC). Each element in pre-order is
 * (kind, rank, flags, id?, transform?, commands), where commands carry every number of the
 * element except the transform, as opcodes with coordinate pairs:
 *
 *   0 END · 1 M · 2 L · 3 C · 4 Q · 5 Z · 6 POLYLINE · 7 POLYGON · 8 POINTS (continuation)
 *   9 LINE · 10 CIRCLE (cx,cy)(r,0) · 11 ELLIPSE (cx,cy)(rx,ry) · 12 VIEWBOX (x,y)(w,h)(width,height)
 *   13 STROKE_WIDTH (w,0) · 14 FILL (v,0)
 *
 * `recordsToModel` is the inverse and refuses anything a canonical model cannot be.
 */
import { AsxError } from '../errors.ts';
import { KINDS, KIND_CODE, preorder, type Kind, type TNode } from './model.ts';
import type { PathCmd, PathOp } from './path.ts';
import type { Matrix } from './transform.ts';

export const OP = { END: 0, M: 1, L: 2, C: 3, Q: 4, Z: 5, POLYLINE: 6, POLYGON: 7, POINTS: 8, LINE: 9, CIRCLE: 10, ELLIPSE: 11, VIEWBOX: 12, STROKE_WIDTH: 13, FILL: 14 } as const;
const PATH_OPS: PathOp[] = ['M', 'L', 'C', 'Q', 'Z'];
export const MAX_ARITY = 255;

/** M-lane flag bits (bit 0 and 1 are §18.3's; the rest are this project's, L-MFLAGS). */
export const FLAG = { HAS_CYCLE: 1, IS_ROOT: 2, HAS_ID: 4, HAS_TRANSFORM: 8, HAS_STROKE_WIDTH: 16, HAS_FILL: 32 } as const;
export const KIND_SHIFT = 8;

export interface Cmd { op: number; v: number[] }
export interface ElementRecord {
  kind: Kind;
  rank: number;
  flags: number;
  id?: string;
  transform?: Matrix;
  cmds: Cmd[];
}

export function hasCycle(n: TNode): boolean {
  if (n.kind === 'polygon' || n.kind === 'circle' || n.kind === 'ellipse') return true;
  return n.kind === 'path' && n.d!.some((c) => c.op === 'Z');
}

export function modelToRecords(root: TNode): ElementRecord[] {
  return preorder(root).map(({ node: n, rank }) => {
    const cmds: Cmd[] = [];
    switch (n.kind) {
      case 'svg': cmds.push({ op: OP.VIEWBOX, v: [n.viewBox![0], n.viewBox![1], n.viewBox![2], n.viewBox![3], n.width!, n.height!] }); break;
      case 'path': for (const c of n.d!) cmds.push({ op: OP[c.op], v: c.p.slice() }); break;
      case 'polyline': case 'polygon': {
        const pts = n.points!;
        for (let i = 0; i < pts.length; i += 2 * MAX_ARITY) {
          cmds.push({ op: i === 0 ? (n.kind === 'polyline' ? OP.POLYLINE : OP.POLYGON) : OP.POINTS, v: pts.slice(i, i + 2 * MAX_ARITY) });
        }
        break;
      }
      case 'line': cmds.push({ op: OP.LINE, v: [n.x1!, n.y1!, n.x2!, n.y2!] }); break;
      case 'circle': cmds.push({ op: OP.CIRCLE, v: [n.cx!, n.cy!, n.r!, 0] }); break;
      case 'ellipse': cmds.push({ op: OP.ELLIPSE, v: [n.cx!, n.cy!, n.rx!, n.ry!] }); break;
      default: break;
    }
    if (n.strokeWidth !== undefined) cmds.push({ op: OP.STROKE_WIDTH, v: [n.strokeWidth, 0] });
    if (n.fill !== undefined) cmds.push({ op: OP.FILL, v: [n.fill, 0] });
    let flags = KIND_CODE[n.kind] << KIND_SHIFT;
    if (hasCycle(n)) flags |= FLAG.HAS_CYCLE;
    if (rank === 0) flags |= FLAG.IS_ROOT;
    if (n.id !== undefined) flags |= FLAG.HAS_ID;
    if (n.transform) flags |= FLAG.HAS_TRANSFORM;
    if (n.strokeWidth !== undefined) flags |= FLAG.HAS_STROKE_WIDTH;
    if (n.fill !== undefined) flags |= FLAG.HAS_FILL;
    return { kind: n.kind, rank, flags, id: n.id, transform: n.transform, cmds };
  });
}

function bad(msg: string): never {
  throw new AsxError('round_trip_failure', msg);
}

/** Inverse of modelToRecords; every structural rule is checked. */
export function recordsToModel(recs: ElementRecord[]): TNode {
  if (recs.length === 0) bad('no elements');
  const stack: TNode[] = [];
  let root: TNode | null = null;
  recs.forEach((r, idx) => {
    const where = `element ${idx}`;
    if (!KINDS.includes(r.kind)) bad(`${where}: unknown kind`);
    if (((r.flags >> KIND_SHIFT) & 15) !== KIND_CODE[r.kind]) bad(`${where}: kind bits disagree`);
    const n: TNode = { kind: r.kind, children: [] };
    if (r.flags & FLAG.HAS_ID) { if (r.id === undefined) bad(`${where}: id flag without id`); n.id = r.id; } else if (r.id !== undefined) bad(`${where}: id without flag`);
    if (r.flags & FLAG.HAS_TRANSFORM) { if (!r.transform) bad(`${where}: transform flag without matrix`); n.transform = r.transform; } else if (r.transform) bad(`${where}: matrix without flag`);
    let i = 0;
    const cmds = r.cmds;
    const take = (op: number, len: number): number[] => {
      const c = cmds[i];
      if (!c || c.op !== op || c.v.length !== len) bad(`${where}: expected opcode ${op} with ${len / 2} pairs`);
      i++;
      return c.v;
    };
    switch (r.kind) {
      case 'svg': {
        if (r.rank !== 0 || idx !== 0) bad(`${where}: svg must be the root`);
        const v = take(OP.VIEWBOX, 6);
        n.viewBox = [v[0], v[1], v[2], v[3]]; n.width = v[4]; n.height = v[5];
        break;
      }
      case 'path': {
        const d: PathCmd[] = [];
        while (i < cmds.length && cmds[i].op >= OP.M && cmds[i].op <= OP.Z) {
          const op = PATH_OPS[cmds[i].op - 1];
          const want = { M: 2, L: 2, C: 6, Q: 4, Z: 0 }[op];
          if (cmds[i].v.length !== want) bad(`${where}: ${op} needs ${want / 2} pairs`);
          d.push({ op, p: cmds[i].v.slice() });
          i++;
        }
        if (!d.length || d[0].op !== 'M') bad(`${where}: path data must start with M`);
        n.d = d;
        break;
      }
      case 'polyline': case 'polygon': {
        const c = cmds[i];
        if (!c || c.op !== (r.kind === 'polyline' ? OP.POLYLINE : OP.POLYGON) || c.v.length === 0) bad(`${where}: expected points`);
        const pts = c.v.slice();
        i++;
        let prevLen = c.v.length;
        while (i < cmds.length && cmds[i].op === OP.POINTS) {
          if (prevLen !== 2 * MAX_ARITY || cmds[i].v.length === 0) bad(`${where}: POINTS continuation after a short chunk`);
          prevLen = cmds[i].v.length;
          pts.push(...cmds[i].v);
          i++;
        }
        n.points = pts;
        break;
      }
      case 'line': { const v = take(OP.LINE, 4); [n.x1, n.y1, n.x2, n.y2] = v; break; }
      case 'circle': { const v = take(OP.CIRCLE, 4); if (v[3] !== 0) bad(`${where}: circle padding must be 0`); [n.cx, n.cy, n.r] = v; break; }
      case 'ellipse': { const v = take(OP.ELLIPSE, 4); [n.cx, n.cy, n.rx, n.ry] = v; break; }
      default: break;
    }
    if (r.flags & FLAG.HAS_STROKE_WIDTH) { const v = take(OP.STROKE_WIDTH, 2); if (v[1] !== 0) bad(`${where}: padding must be 0`); n.strokeWidth = v[0]; }
    if (r.flags & FLAG.HAS_FILL) { const v = take(OP.FILL, 2); if (v[1] !== 0) bad(`${where}: padding must be 0`); n.fill = v[0]; }
    if (i !== cmds.length) bad(`${where}: ${cmds.length - i} unexpected commands`);
    if (((r.flags & FLAG.HAS_CYCLE) !== 0) !== hasCycle(n)) bad(`${where}: has_cycle flag disagrees with the geometry`);
    if (((r.flags & FLAG.IS_ROOT) !== 0) !== (idx === 0)) bad(`${where}: is_root flag disagrees`);
    const known = 0x3f | (15 << KIND_SHIFT);
    if (r.flags & ~known) bad(`${where}: unknown flag bits`);
    if (idx === 0) { root = n; stack.push(n); return; }
    if (r.rank < 1 || r.rank > stack.length) bad(`${where}: rank ${r.rank} does not follow the tree`);
    stack.length = r.rank;
    const parent = stack[stack.length - 1];
    if (parent.kind !== 'svg' && parent.kind !== 'g') bad(`${where}: parent is not a group`);
    parent.children.push(n);
    stack.push(n);
  });
  return root!;
}
