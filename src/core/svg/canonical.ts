/**
 * `svg-tensor.canonical.v1` (§17.1): parse → strict legality → normalize (structure,
 * attributes, numbers, transforms) → canonical ordering → serialization → sha256.
 * Canonicalization refuses an illegal tensor (`illegal_tensor`, all violations attached);
 * `importSvg` is the lenient path for ordinary SVG files.
 */
import { AsxError } from '../errors.ts';
import { sha256 } from '../hash/sha256.ts';
import { toHex } from '../bytes/hex.ts';
import { utf8 } from '../bytes/utf8.ts';
import { analyzeSvg, illegalError, type AnalyzeOptions, type Change, type Violation } from './tensor.ts';
import { preorder, serialize, sortTree, type TNode } from './model.ts';

export const CANONICAL_PROFILE = 'svg-tensor.canonical.v1';

export interface Canonical {
  /** The canonical model (sorted, canonical values). */
  model: TNode;
  text: string;
  bytes: Uint8Array;
  hash: Uint8Array;
  hashHex: string;
}

/** Canonical bytes of an already-built model (sorts it in place). */
export function canonicalFromModel(model: TNode): Canonical {
  sortTree(model);
  const text = serialize(model);
  const bytes = utf8(text);
  const hash = sha256(bytes);
  return { model, text, bytes, hash, hashHex: toHex(hash) };
}

/** Canonicalize a legal SVG-tensor; throws `illegal_tensor` listing every violation. */
export function canonicalize(input: string | Uint8Array, opts: AnalyzeOptions = {}): Canonical & { changes: Change[] } {
  const r = analyzeSvg(input, false, opts);
  if (r.violations.length || !r.model) throw illegalError(r.violations.length ? r.violations : [{ path: '/svg', rule: 'root', message: 'not an SVG-tensor' }]);
  return { ...canonicalFromModel(r.model), changes: r.changes };
}

export interface ImportResult extends Canonical {
  changes: Change[];
  /** Violations the strict check reports on the original input (what the import fixed). */
  violationsBefore: Violation[];
  /** Source element path of each canonical element, in canonical (pre-)order. */
  sources: string[];
}

/** Import an ordinary SVG: fix what can be fixed, report every change, canonicalize. */
export function importSvg(input: string | Uint8Array, opts: AnalyzeOptions = {}): ImportResult {
  const strict = analyzeSvg(input, false, opts);
  const r = analyzeSvg(input, true, opts);
  if (!r.model) throw new AsxError('svg_import', 'nothing numeric is left after import', { path: '/svg' });
  const c = canonicalFromModel(r.model);
  const sources = preorder(c.model).map(({ node }) => r.paths.get(node) ?? '');
  return { ...c, changes: r.changes, violationsBefore: strict.violations, sources };
}
