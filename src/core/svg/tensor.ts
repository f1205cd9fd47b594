/**
 * SVG-tensor legality (§16.9), import (ordinary SVG → legal tensor with a change report) and
 * the model building that canonicalization (§17.1) runs on. One walker serves both: in
 * strict mode a problem is a violation (all of them are collected, with element path and
 * rule); in lenient (import) mode the same problem is fixed and reported as a change.
 * Rules the spec leaves open are in docs/laws.md (L-LEGAL, L-IMPORT).
 */
import { AsxError } from '../errors.ts';
import { parseXml, decodeXmlInput, type XmlDocument, type XmlElement, type XmlLimits } from './xml.ts';
import { parseNumber, canonValue, NumberError } from './number.ts';
import { normalizePath, PathError, type NormalizeReport, type PathCmd } from './path.ts';
import { parseTransform, TransformError, multiply, canonMatrix, isIdentity, type Matrix } from './transform.ts';
import { SVG_NS, isPrimitive, type Kind, type TNode } from './model.ts';

export interface Violation { path: string; rule: string; message: string; offset?: number }
export interface Change { path: string; action: string; detail: string }

export const ALLOWED_ELEMENTS = ['svg', 'g', 'path', 'line', 'polyline', 'polygon', 'circle', 'ellipse', 'defs', 'use', 'metadata'] as const;
export const FORBIDDEN_ELEMENTS = ['script', 'style', 'image', 'text', 'foreignObject', 'animate*', 'set', 'filter', 'video', 'audio'] as const;
const XLINK_NS = 'http://www.w3.org/1999/xlink';

const COMMON = ['id', 'transform', 'stroke-width', 'fill'];
const ATTRS: Record<string, string[]> = {
  svg: ['id', 'xmlns', 'xmlns:xlink', 'width', 'height', 'viewBox', 'stroke-width', 'fill'],
  g: COMMON,
  path: [...COMMON, 'd'],
  line: [...COMMON, 'x1', 'y1', 'x2', 'y2'],
  polyline: [...COMMON, 'points'],
  polygon: [...COMMON, 'points'],
  circle: [...COMMON, 'cx', 'cy', 'r'],
  ellipse: [...COMMON, 'cx', 'cy', 'rx', 'ry'],
  defs: ['id'],
  use: [...COMMON, 'href', 'xlink:href', 'x', 'y'],
  metadata: ['id'],
};

/** Limits on `use` expansion (a `use` bomb is the billion laughs of SVG). */
export const MAX_EXPANDED_NODES = 200_000;
export const MAX_TREE_DEPTH = 512;
export const MAX_ID_LENGTH = 256;

function isForbidden(name: string): boolean {
  return name.startsWith('animate') || (FORBIDDEN_ELEMENTS as readonly string[]).includes(name);
}

interface Ctx {
  lenient: boolean;
  violations: Violation[];
  changes: Change[];
  ids: Map<string, XmlElement>;
  seenIds: Set<string>;
  created: number;
  fatal: boolean;
  pathReport: NormalizeReport;
  paths: WeakMap<TNode, string>;
  /** Prefixes the root binds to the XLink namespace (`xlink`, or e.g. `x`): `P:href` is an href. */
  xlink: Set<string>;
}

class Fatal extends Error {}

function problem(ctx: Ctx, path: string, rule: string, message: string, fix: string, offset?: number): void {
  if (ctx.lenient) ctx.changes.push({ path, action: fix, detail: message });
  else ctx.violations.push({ path, rule, message, offset });
}

function change(ctx: Ctx, path: string, action: string, detail: string): void {
  ctx.changes.push({ path, action, detail });
}

function getAttr(el: XmlElement, name: string): string | undefined {
  for (const a of el.attrs) if (a.name === name) return a.value;
  return undefined;
}

/** Number of an attribute; lenient mode strips a `px` unit. Undefined when absent. */
function num(ctx: Ctx, el: XmlElement, path: string, name: string, opts: { positive?: boolean; nonNegative?: boolean } = {}): number | undefined | null {
  let t = getAttr(el, name);
  if (t === undefined) return undefined;
  if (ctx.lenient && /px\s*$/.test(t)) {
    t = t.replace(/px\s*$/, '');
    change(ctx, path, 'strip-unit', `${name}: "px" removed`);
  }
  let v: number;
  try {
    v = parseNumber(t);
  } catch (e) {
    const ne = e as NumberError;
    const rule = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)\s*(px|pt|pc|mm|cm|in|em|ex|%)\s*$/.test(t) ? 'unit' : ne.problem === 'syntax' ? 'non-numeric' : ne.problem;
    problem(ctx, path, rule, `${name}: ${rule === 'unit' ? `${JSON.stringify(t)} has a unit (values must be unitless)` : ne.message}`, `drop-attribute ${name}`, el.offset);
    return null;
  }
  if ((opts.positive && !(v > 0)) || (opts.nonNegative && v < 0)) {
    problem(ctx, path, 'negative', `${name}: ${t} must be ${opts.positive ? 'positive' : 'non-negative'}`, `drop-attribute ${name}`, el.offset);
    return null;
  }
  return canonValue(v);
}

function parsePoints(text: string): number[] {
  const parts = text.trim().split(/[\s,]+/).filter((x) => x.length);
  const out = parts.map((p) => canonValue(parseNumber(p)));
  if (out.length % 2 !== 0) throw new NumberError('syntax', 'an odd number of coordinates');
  return out;
}

/** Child path segment: `name[k]` with k the 1-based index among same-named element siblings. */
function childPaths(el: XmlElement, base: string): Map<XmlElement, string> {
  const counts = new Map<string, number>();
  const out = new Map<XmlElement, string>();
  for (const c of el.children) {
    if (c.type !== 'element') continue;
    const k = (counts.get(c.name) ?? 0) + 1;
    counts.set(c.name, k);
    const id = getAttr(c, 'id');
    out.set(c, `${base}/${c.name}[${k}]${id ? `#${id}` : ''}`);
  }
  return out;
}

function collectIds(root: XmlElement): Map<string, XmlElement> {
  const ids = new Map<string, XmlElement>();
  const stack: XmlElement[] = [root];
  while (stack.length) {
    const e = stack.pop()!;
    if (isForbidden(e.name) || e.name === 'metadata') continue;
    const id = getAttr(e, 'id');
    if (id !== undefined && !ids.has(id)) ids.set(id, e);
    for (const c of e.children) if (c.type === 'element') stack.push(c);
  }
  return ids;
}

function isXlinkAttr(ctx: Ctx, name: string, local: string): boolean {
  const c = name.indexOf(':');
  return c > 0 && name.slice(c + 1) === local && ctx.xlink.has(name.slice(0, c));
}

function checkAttributes(ctx: Ctx, el: XmlElement, kind: string, path: string): void {
  const allowed = ATTRS[kind] ?? [];
  for (const a of el.attrs) {
    if (allowed.includes(a.name)) continue;
    if (kind === 'use' && isXlinkAttr(ctx, a.name, 'href')) continue;
    if (kind === 'svg' && a.name.startsWith('xmlns:') && a.value === XLINK_NS) continue;
    if (/^on/i.test(a.name)) problem(ctx, path, 'event-attribute', `event attribute ${a.name} (no script ever runs)`, `drop-attribute ${a.name}`, el.offset);
    else if (a.name === 'style' || a.name === 'class') problem(ctx, path, 'css', `${a.name} attribute (no CSS in a tensor)`, `drop-attribute ${a.name}`, el.offset);
    else if (/^(begin|dur|end|repeatCount|repeatDur)$/.test(a.name)) problem(ctx, path, 'time-dependent', `time-dependent attribute ${a.name}`, `drop-attribute ${a.name}`, el.offset);
    else problem(ctx, path, 'forbidden-attribute', `attribute ${a.name} is not allowed on <${kind}>`, `drop-attribute ${a.name}`, el.offset);
  }
}

function checkText(ctx: Ctx, el: XmlElement, path: string): void {
  for (const c of el.children) {
    if (c.type === 'text' && /\S/.test(c.text)) {
      problem(ctx, path, 'text', `text content ${JSON.stringify(c.text.trim().slice(0, 24))} has no numeric interpretation`, 'drop-text', c.offset);
      return;
    }
  }
}

function readId(ctx: Ctx, el: XmlElement, path: string, node: TNode): void {
  const id = getAttr(el, 'id');
  if (id === undefined) return;
  if (id.length === 0 || id.length > MAX_ID_LENGTH || /[\u0000-\u001f\u007f]/.test(id)) {
    problem(ctx, path, 'bad-id', `id must be 1…${MAX_ID_LENGTH} characters without control characters`, 'drop-attribute id', el.offset);
    return;
  }
  if (ctx.seenIds.has(id)) {
    problem(ctx, path, 'duplicate-id', `id ${JSON.stringify(id)} is used twice`, 'drop-attribute id', el.offset);
    return;
  }
  ctx.seenIds.add(id);
  node.id = id;
}

function readTransform(ctx: Ctx, el: XmlElement, path: string): Matrix | undefined | null {
  const t = getAttr(el, 'transform');
  if (t === undefined) return undefined;
  try {
    const p = parseTransform(t);
    if (!(p.functions.length === 1 && p.functions[0] === 'matrix')) change(ctx, path, 'flatten-transform', `${JSON.stringify(t.slice(0, 60))} → one matrix`);
    if (isIdentity(p.matrix)) { change(ctx, path, 'drop-identity-transform', 'the transform is the identity'); return undefined; }
    return p.matrix;
  } catch (e) {
    const rule = e instanceof NumberError ? e.problem : 'bad-transform';
    problem(ctx, path, rule, (e as Error).message, 'drop-element', el.offset);
    return null;
  }
}

function rectToPath(x: number, y: number, w: number, h: number, rx: number, ry: number): string {
  if (rx <= 0 || ry <= 0) return `M${x} ${y}H${x + w}V${y + h}H${x}Z`;
  return `M${x + rx} ${y}H${x + w - rx}A${rx} ${ry} 0 0 1 ${x + w} ${y + ry}V${y + h - ry}A${rx} ${ry} 0 0 1 ${x + w - rx} ${y + h}H${x + rx}A${rx} ${ry} 0 0 1 ${x} ${y + h - ry}V${y + ry}A${rx} ${ry} 0 0 1 ${x + rx} ${y}Z`;
}

function convert(ctx: Ctx, el: XmlElement, path: string, ancestors: XmlElement[], depth: number, clone = false): TNode | null {
  if (ctx.fatal) return null;
  if (depth > MAX_TREE_DEPTH) {
    problem(ctx, path, 'too-deep', `the expanded tree is deeper than ${MAX_TREE_DEPTH} levels`, 'drop-element', el.offset);
    return null;
  }
  if (++ctx.created > MAX_EXPANDED_NODES) {
    ctx.fatal = true;
    problem(ctx, path, 'use-expansion', `more than ${MAX_EXPANDED_NODES} elements after expanding <use> (a use bomb)`, 'drop-element', el.offset);
    if (ctx.lenient) throw new Fatal();
    return null;
  }
  let name = el.name;
  if (isForbidden(name)) {
    problem(ctx, path, 'forbidden-element', `<${name}> is forbidden in an SVG-tensor`, 'drop-element', el.offset);
    return null;
  }
  if (name === 'metadata') {
    // Content is free-form (RDF…) and dropped, but nothing forbidden may hide in it.
    const stack: [XmlElement, string][] = el.children.filter((c): c is XmlElement => c.type === 'element').map((c) => [c, `${path}/${c.name}`]);
    while (stack.length) {
      const [e, p] = stack.pop()!;
      if (isForbidden(e.name)) { problem(ctx, p, 'forbidden-element', `<${e.name}> is forbidden in an SVG-tensor (even inside metadata)`, 'drop-element', e.offset); continue; }
      for (const a of e.attrs) if (/^on/i.test(a.name)) problem(ctx, p, 'event-attribute', `event attribute ${a.name} (even inside metadata)`, `drop-attribute ${a.name}`, e.offset);
      for (const c of e.children) if (c.type === 'element') stack.push([c, `${p}/${c.name}`]);
    }
    change(ctx, path, 'drop-element', 'metadata has no numeric interpretation (canonical form has none)');
    return null;
  }
  if (name === 'defs') {
    // Contents are reachable only through <use>; check them in strict mode.
    if (!ctx.lenient) {
      const cps = childPaths(el, path);
      checkAttributes(ctx, el, 'defs', path);
      for (const c of el.children) if (c.type === 'element') convertChecked(ctx, c, cps.get(c)!, [...ancestors, el], depth + 1);
    }
    change(ctx, path, 'drop-element', '<defs> is expanded into its <use> references and removed');
    return null;
  }
  let asKind: string = name;
  if (ctx.lenient) {
    if (name === 'symbol' && clone) { change(ctx, path, 'convert', '<symbol> → <g>'); asKind = 'g'; }
    else if (name === 'a' || name === 'switch') { change(ctx, path, 'convert', `<${name}> → <g>`); asKind = 'g'; }
    else if (name === 'svg' && ancestors.length > 0) { change(ctx, path, 'convert', 'nested <svg> → <g> with translate(x y) (its viewport clip is dropped)'); asKind = 'nested-svg'; }
  }
  const convertible = ctx.lenient && (asKind !== name || name === 'rect');
  if (!convertible && !(ALLOWED_ELEMENTS as readonly string[]).includes(name)) {
    problem(ctx, path, 'unknown-element', `<${name}> is not an SVG-tensor element`, 'drop-element', el.offset);
    return null;
  }
  if (name === 'svg' && ancestors.length > 0 && asKind === 'svg') {
    problem(ctx, path, 'nested-svg', 'an <svg> inside the root <svg>', 'drop-element', el.offset);
    return null;
  }
  if (asKind === 'nested-svg' || asKind === 'rect') name = asKind;
  const kind = (asKind === 'nested-svg' ? 'g' : asKind === 'rect' ? 'path' : asKind) as Kind | 'use';
  const node: TNode = { kind: kind === 'use' ? 'g' : kind, children: [] };
  ctx.paths.set(node, path);

  // attributes
  if (asKind === 'rect' || asKind === 'nested-svg') {
    const keep = asKind === 'rect' ? [...COMMON, 'x', 'y', 'width', 'height', 'rx', 'ry'] : ['id', 'x', 'y', 'width', 'height', 'viewBox', 'xmlns', 'stroke-width', 'fill'];
    for (const a of el.attrs) if (!keep.includes(a.name)) change(ctx, path, `drop-attribute ${a.name}`, `attribute ${a.name} is not allowed`);
  } else checkAttributes(ctx, el, kind === 'use' ? 'use' : kind, path);
  checkText(ctx, el, path);
  if (!clone) readId(ctx, el, path, node); // ids inside <use> copies are dropped (L-USE)
  if (kind !== 'svg') {
    const t = readTransform(ctx, el, path);
    if (t === null) return null;
    if (t) node.transform = t;
  }
  const sw = num(ctx, el, path, 'stroke-width', { nonNegative: true });
  if (typeof sw === 'number') node.strokeWidth = sw;
  const fillText = getAttr(el, 'fill');
  if (fillText !== undefined) {
    if (ctx.lenient && !/^\s*[+-]?(?:\d|\.\d)/.test(fillText)) change(ctx, path, 'drop-attribute fill', `fill ${JSON.stringify(fillText.slice(0, 24))} is not numeric`);
    else { const fv = num(ctx, el, path, 'fill'); if (typeof fv === 'number') node.fill = fv; }
  }

  const required = (v: number | undefined | null, attr: string): number | null => {
    if (v === null) return null;
    if (v === undefined) return 0;
    return v;
  };

  switch (asKind) {
    case 'svg': break; // the root's size is read by the caller
    case 'nested-svg': {
      const x = num(ctx, el, path, 'x') ?? 0; const y = num(ctx, el, path, 'y') ?? 0;
      if (x !== 0 || y !== 0) node.transform = canonMatrix([1, 0, 0, 1, x ?? 0, y ?? 0]);
      break;
    }
    case 'g': break;
    case 'rect': {
      const x = num(ctx, el, path, 'x') ?? 0, y = num(ctx, el, path, 'y') ?? 0;
      const w = num(ctx, el, path, 'width', { nonNegative: true }), h = num(ctx, el, path, 'height', { nonNegative: true });
      if (x === null || y === null || typeof w !== 'number' || typeof h !== 'number' || w === 0 || h === 0) {
        change(ctx, path, 'drop-element', '<rect> with no area');
        return null;
      }
      let rx = num(ctx, el, path, 'rx', { nonNegative: true }), ry = num(ctx, el, path, 'ry', { nonNegative: true });
      if (typeof rx !== 'number') rx = typeof ry === 'number' ? ry : 0;
      if (typeof ry !== 'number') ry = rx;
      rx = Math.min(rx, w / 2); ry = Math.min(ry, h / 2);
      node.d = normalizePath(rectToPath(x, y, w, h, rx, ry));
      change(ctx, path, 'convert', '<rect> → <path>');
      break;
    }
    case 'path': {
      const d = getAttr(el, 'd');
      if (d === undefined || d.trim() === '') { problem(ctx, path, 'missing-attribute', '<path> without d', 'drop-element', el.offset); return null; }
      try {
        const before = { ...ctx.pathReport };
        node.d = normalizePath(d, ctx.pathReport);
        const r = ctx.pathReport;
        const notes: string[] = [];
        if (r.relative > before.relative) notes.push(`${r.relative - before.relative} relative`);
        if (r.shorthand > before.shorthand) notes.push(`${r.shorthand - before.shorthand} shorthand`);
        if (r.hv > before.hv) notes.push(`${r.hv - before.hv} H/V`);
        if (r.arcs > before.arcs) notes.push(`${r.arcs - before.arcs} arcs → cubic`);
        if (r.implicit > before.implicit) notes.push(`${r.implicit - before.implicit} implicit repetitions`);
        if (notes.length) change(ctx, path, 'normalize-path', notes.join(', '));
      } catch (e) {
        const pe = e as PathError;
        problem(ctx, path, pe.problem === 'syntax' ? 'bad-path' : pe.problem, pe.message, 'drop-element', el.offset);
        return null;
      }
      break;
    }
    case 'line': {
      const v = ['x1', 'y1', 'x2', 'y2'].map((a) => required(num(ctx, el, path, a), a));
      if (v.includes(null)) { if (ctx.lenient) change(ctx, path, 'drop-element', 'bad coordinates'); return null; }
      [node.x1, node.y1, node.x2, node.y2] = v as number[];
      break;
    }
    case 'polyline': case 'polygon': {
      const t = getAttr(el, 'points');
      if (t === undefined) { problem(ctx, path, 'missing-attribute', `<${kind}> without points`, 'drop-element', el.offset); return null; }
      try { node.points = parsePoints(t); } catch (e) {
        const ne = e as NumberError;
        problem(ctx, path, ne.problem === 'syntax' ? 'bad-points' : ne.problem, `points: ${ne.message}`, 'drop-element', el.offset);
        return null;
      }
      break;
    }
    case 'circle': {
      const cx = required(num(ctx, el, path, 'cx'), 'cx'), cy = required(num(ctx, el, path, 'cy'), 'cy');
      const r = num(ctx, el, path, 'r', { nonNegative: true });
      if (r === undefined) { problem(ctx, path, 'missing-attribute', '<circle> without r', 'drop-element', el.offset); return null; }
      if (cx === null || cy === null || r === null) { if (ctx.lenient) change(ctx, path, 'drop-element', 'bad circle'); return null; }
      node.cx = cx; node.cy = cy; node.r = r;
      break;
    }
    case 'ellipse': {
      const cx = required(num(ctx, el, path, 'cx'), 'cx'), cy = required(num(ctx, el, path, 'cy'), 'cy');
      const rx = num(ctx, el, path, 'rx', { nonNegative: true }), ry = num(ctx, el, path, 'ry', { nonNegative: true });
      if (rx === undefined || ry === undefined) { problem(ctx, path, 'missing-attribute', '<ellipse> needs rx and ry', 'drop-element', el.offset); return null; }
      if (cx === null || cy === null || rx === null || ry === null) { if (ctx.lenient) change(ctx, path, 'drop-element', 'bad ellipse'); return null; }
      node.cx = cx; node.cy = cy; node.rx = rx; node.ry = ry;
      break;
    }
    case 'use': {
      const href = getAttr(el, 'href') ?? el.attrs.find((a) => isXlinkAttr(ctx, a.name, 'href'))?.value;
      const target = href && href.startsWith('#') ? ctx.ids.get(href.slice(1)) : undefined;
      if (!target) {
        problem(ctx, path, 'use-ref', `<use> must reference an element of this document by "#id" (got ${JSON.stringify(href ?? null)})`, 'drop-element', el.offset);
        return null;
      }
      if (target === ancestors[0] || ancestors.includes(target) || target === el) {
        problem(ctx, path, 'use-cycle', `<use href="${href}"> references its own ancestor (an undeclared cycle)`, 'drop-element', el.offset);
        return null;
      }
      const x = num(ctx, el, path, 'x'), y = num(ctx, el, path, 'y');
      if (x === null || y === null) return null;
      let m: Matrix | undefined = node.transform;
      if ((x ?? 0) !== 0 || (y ?? 0) !== 0) m = canonMatrix(multiply(m ?? [1, 0, 0, 1, 0, 0], [1, 0, 0, 1, x ?? 0, y ?? 0]));
      if (m && isIdentity(m)) m = undefined;
      if (m) node.transform = m; else delete node.transform;
      const inner = convert(ctx, target, `${path}→${href}`, [...ancestors, el], depth + 1, true);
      if (!inner) return null;
      node.children.push(inner);
      change(ctx, path, 'expand-use', `<use href="${href}"> → <g> with a copy`);
      return node;
    }
    default: break;
  }

  if (node.kind === 'g' || node.kind === 'svg') {
    const cps = childPaths(el, path);
    for (const c of el.children) {
      if (c.type !== 'element') continue;
      const child = convert(ctx, c, cps.get(c)!, [...ancestors, el], depth + 1, clone);
      if (child) node.children.push(child);
    }
  } else {
    const cps = childPaths(el, path);
    for (const c of el.children) {
      if (c.type !== 'element') continue;
      const cp = cps.get(c)!;
      problem(ctx, cp, 'child-of-primitive', `<${c.name}> inside <${name}>`, 'drop-element', c.offset);
      // The check never stops at the first violation (L-LEGAL): the child is also checked as
      // any element is (`<line><animate/></line>` is child-of-primitive and forbidden-element).
      // Import drops it whole, so there is nothing more to report there.
      if (!ctx.lenient) {
        const child = convert(ctx, c, cp, [...ancestors, el], depth + 1, clone);
        if (child) traversal(ctx, child, cp);
      }
    }
  }
  return node;
}

/** Convert an element for checking only (inside <defs>): ids found there stay reserved. */
function convertChecked(ctx: Ctx, el: XmlElement, path: string, ancestors: XmlElement[], depth: number): void {
  if (el.name === 'use') return; // checked where it is used
  convert(ctx, el, path, ancestors, depth);
}

/** Traversal legality of one primitive (§16.9): zero-length and disconnected geometry. */
export function traversalProblems(n: TNode): { rule: string; message: string }[] {
  const out: { rule: string; message: string }[] = [];
  switch (n.kind) {
    case 'path': {
      const d = n.d!;
      let len = 0;
      let cx = 0, cy = 0;
      for (let i = 0; i < d.length; i++) {
        const c = d[i];
        if (c.op === 'M') {
          const next = d[i + 1];
          if (!next || next.op === 'M' || next.op === 'Z') out.push({ rule: 'disconnected', message: `moveto ${i} starts a subpath with no segment (a node without edges)` });
        }
        for (let k = 0; k < c.p.length; k += 2) {
          if (c.op !== 'M') len += Math.abs(c.p[k] - cx) + Math.abs(c.p[k + 1] - cy); // only zero matters
          cx = c.p[k]; cy = c.p[k + 1];
        }
      }
      if (len === 0) out.push({ rule: 'zero-length', message: 'the path has zero length' });
      break;
    }
    case 'line': if (n.x1 === n.x2 && n.y1 === n.y2) out.push({ rule: 'zero-length', message: 'the line has zero length' }); break;
    case 'polyline': case 'polygon': {
      const p = n.points!;
      if (p.length < 4) out.push({ rule: 'disconnected', message: `<${n.kind}> with fewer than two points` });
      else {
        let same = true;
        for (let i = 2; i < p.length; i += 2) if (p[i] !== p[0] || p[i + 1] !== p[1]) same = false;
        if (same) out.push({ rule: 'zero-length', message: `<${n.kind}> has zero length` });
      }
      break;
    }
    case 'circle': if (n.r === 0) out.push({ rule: 'zero-length', message: 'circle with r = 0' }); break;
    case 'ellipse': if (n.rx === 0 || n.ry === 0) out.push({ rule: 'zero-length', message: 'ellipse with a zero radius' }); break;
    default: break;
  }
  return out;
}

/** Remove lone movetos from a path (import fix for disconnected nodes). */
function dropLoneMoves(d: PathCmd[]): PathCmd[] {
  const out: PathCmd[] = [];
  for (let i = 0; i < d.length; i++) {
    const c = d[i];
    if (c.op === 'M') {
      const next = d[i + 1];
      if (!next || next.op === 'M') continue;
      if (next.op === 'Z') { i++; continue; }
    }
    out.push(c);
  }
  return out;
}

function traversal(ctx: Ctx, n: TNode, path: string): TNode | null {
  if (n.kind === 'g' || n.kind === 'svg') {
    const kids: TNode[] = [];
    for (const c of n.children) {
      const r = traversal(ctx, c, ctx.paths.get(c) ?? `${path}/${c.kind}`);
      if (r) kids.push(r);
    }
    n.children = kids;
    if (n.kind === 'g' && kids.length === 0) {
      problem(ctx, path, 'empty-group', 'a group with no geometry has no numeric interpretation', 'drop-element');
      return ctx.lenient ? null : n;
    }
    return n;
  }
  let probs = traversalProblems(n);
  if (ctx.lenient && n.kind === 'path' && probs.some((p) => p.rule === 'disconnected')) {
    n.d = dropLoneMoves(n.d!);
    change(ctx, path, 'drop-moveto', 'subpaths without segments removed');
    if (n.d.length === 0) { change(ctx, path, 'drop-element', 'nothing left of the path'); return null; }
    probs = traversalProblems(n);
  }
  for (const p of probs) problem(ctx, path, p.rule, p.message, 'drop-element');
  if (ctx.lenient && probs.length) return null;
  return n;
}

function rootSize(ctx: Ctx, el: XmlElement, node: TNode): boolean {
  const path = '/svg';
  const ns = getAttr(el, 'xmlns');
  if (ns !== undefined && ns !== SVG_NS) problem(ctx, path, 'namespace', `xmlns must be ${SVG_NS}`, 'set-namespace', el.offset);
  const xl = getAttr(el, 'xmlns:xlink');
  if (xl !== undefined && xl !== XLINK_NS) problem(ctx, path, 'namespace', `xmlns:xlink must be ${XLINK_NS}`, 'drop-attribute xmlns:xlink', el.offset);
  let vb: number[] | null = null;
  const vbt = getAttr(el, 'viewBox');
  if (vbt !== undefined) {
    try {
      const v = vbt.trim().split(/[\s,]+/).map((x) => canonValue(parseNumber(x)));
      if (v.length !== 4 || !(v[2] > 0) || !(v[3] > 0)) throw new NumberError('syntax', vbt);
      vb = v;
    } catch (e) {
      problem(ctx, path, e instanceof NumberError && e.problem !== 'syntax' ? e.problem : 'bad-viewbox', `viewBox ${JSON.stringify(vbt.slice(0, 40))} must be four numbers with positive width and height`, 'drop-attribute viewBox', el.offset);
    }
  }
  const size = (name: 'width' | 'height'): number | undefined => {
    const t = getAttr(el, name);
    if (t === undefined) return undefined;
    if (ctx.lenient && /%\s*$/.test(t)) { change(ctx, path, `drop-attribute ${name}`, `${name}="${t}" is relative; taken from the viewBox`); return undefined; }
    const v = num(ctx, el, path, name, { positive: true });
    return typeof v === 'number' ? v : undefined;
  };
  let w = size('width');
  let h = size('height');
  if (!vb) {
    if (w === undefined || h === undefined) {
      problem(ctx, path, 'no-size', 'the root needs a viewBox, or a width and a height', 'fail');
      return false;
    }
    vb = [0, 0, w, h];
    change(ctx, path, 'explicit-size', `viewBox="0 0 ${w} ${h}" made explicit`);
  }
  if (w === undefined) { w = vb[2]; change(ctx, path, 'explicit-size', `width="${w}" from the viewBox`); }
  if (h === undefined) { h = vb[3]; change(ctx, path, 'explicit-size', `height="${h}" from the viewBox`); }
  node.viewBox = [vb[0], vb[1], vb[2], vb[3]];
  node.width = w;
  node.height = h;
  return true;
}

export interface AnalyzeResult {
  model: TNode | null;
  violations: Violation[];
  changes: Change[];
  skipped: XmlDocument['skipped'];
  /** Source element path of each model node (copies made by <use> carry `…/use[k]→#id`). */
  paths: WeakMap<TNode, string>;
}

export interface AnalyzeOptions { limits?: Partial<XmlLimits> }

/** Parse and analyze. Strict mode never throws for legality problems (they are returned). */
export function analyzeSvg(input: string | Uint8Array, lenient: boolean, opts: AnalyzeOptions = {}): AnalyzeResult {
  const text = typeof input === 'string' ? input : decodeXmlInput(input);
  const doc = parseXml(text, opts.limits);
  const ctx: Ctx = {
    lenient, violations: [], changes: [], ids: collectIds(doc.root), seenIds: new Set(), created: 0, fatal: false,
    pathReport: { relative: 0, shorthand: 0, arcs: 0, implicit: 0, hv: 0, closeMoves: 0 }, paths: new WeakMap(), xlink: new Set(),
  };
  for (const a of doc.root.attrs) if (a.name.startsWith('xmlns:') && a.value === XLINK_NS) ctx.xlink.add(a.name.slice(6));
  if (doc.skipped.comments) change(ctx, '/', 'drop-comments', `${doc.skipped.comments} comments`);
  if (doc.skipped.pis) change(ctx, '/', 'drop-processing-instructions', `${doc.skipped.pis} processing instructions`);
  if (doc.skipped.doctype) change(ctx, '/', 'drop-doctype', 'DOCTYPE removed (nothing in it is ever loaded)');
  const root = doc.root;
  if (root.name !== 'svg') {
    if (lenient) throw new AsxError('svg_import', `the root element is <${root.name}>, not <svg>`, { offset: root.offset });
    return { model: null, violations: [{ path: `/${root.name}`, rule: 'root', message: `the root element must be <svg>, got <${root.name}>`, offset: root.offset }], changes: ctx.changes, skipped: doc.skipped, paths: ctx.paths };
  }
  let model: TNode | null;
  try {
    model = convert(ctx, root, '/svg', [], 0);
    if (model && !rootSize(ctx, root, model)) {
      if (lenient) throw new AsxError('svg_import', 'the root <svg> has no usable viewBox, nor a width and a height', { path: '/svg', offset: root.offset });
      model = null;
    }
    if (model) model = traversal(ctx, model, '/svg');
  } catch (e) {
    if (e instanceof Fatal) throw new AsxError('svg_import', `more than ${MAX_EXPANDED_NODES} elements after expanding <use> (a use bomb)`, { path: '/svg' });
    throw e;
  }
  if (model && !model.children.some(function has(c: TNode): boolean { return isPrimitive(c.kind) || c.children.some(has); })) {
    problem(ctx, '/svg', 'empty', 'no geometry: an SVG-tensor needs at least one primitive', 'fail');
    if (lenient) throw new AsxError('svg_import', 'nothing numeric is left after import (no path, line, polyline, polygon, circle or ellipse)', { path: '/svg' });
  }
  if (!lenient && ctx.violations.length) model = null;
  return { model, violations: ctx.violations, changes: ctx.changes, skipped: doc.skipped, paths: ctx.paths };
}

export interface LegalityReport {
  legal: boolean;
  violations: Violation[];
}

/** The strict svg-tensor check: every violation with its element path and rule. */
export function checkLegality(input: string | Uint8Array, opts: AnalyzeOptions = {}): LegalityReport {
  const r = analyzeSvg(input, false, opts);
  return { legal: r.violations.length === 0, violations: r.violations };
}

export function illegalError(violations: Violation[]): AsxError {
  const v = violations[0];
  const more = violations.length > 1 ? ` (and ${violations.length - 1} more)` : '';
  const e = new AsxError('illegal_tensor', `${v.rule}: ${v.message}${more}`, { path: v.path, offset: v.offset });
  (e as AsxError & { violations?: Violation[] }).violations = violations;
  return e;
}
