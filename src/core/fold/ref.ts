/**
 * `scxq2://<fold_id>/<name>` references (docs/laws.md F-REF): how a fold.v1 JSON names the
 * tensors that travel with it in its bundle. Strict: the scheme is exactly `scxq2://` (lowercase),
 * then a fold id and one entry name, each `[A-Za-z0-9][A-Za-z0-9._-]*` (fold id ≤ 128 characters,
 * name ≤ 255); no further `/`, no `%`-escapes, no query or fragment, no `.`/`..` segments, no
 * whitespace. A name is therefore one path component that can never climb out of a folder.
 */
import { AsxError } from '../errors.ts';

export const FOLD_ID_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
export const ENTRY_NAME_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,254}$/;
/** The same grammar as one pattern, for the JSON Schema. */
export const SCXQ2_REF_PATTERN = '^scxq2://[A-Za-z0-9][A-Za-z0-9._-]{0,127}/[A-Za-z0-9][A-Za-z0-9._-]{0,254}$';
export const SCXQ2_SCHEME = 'scxq2://';

export interface Scxq2Ref { foldId: string; name: string }

/** Parse a reference; `path` is the JSON path reported with a bad_ref error. */
export function parseScxq2Ref(ref: string, path = '$'): Scxq2Ref {
  if (typeof ref !== 'string') throw new AsxError('bad_ref', 'a reference is a string', { path });
  if (!ref.startsWith(SCXQ2_SCHEME)) throw new AsxError('bad_ref', `${JSON.stringify(ref.slice(0, 40))} does not start with scxq2://`, { path });
  const rest = ref.slice(SCXQ2_SCHEME.length);
  const slash = rest.indexOf('/');
  if (slash < 0) throw new AsxError('bad_ref', 'a reference is scxq2://<fold_id>/<name>: no name', { path });
  const foldId = rest.slice(0, slash), name = rest.slice(slash + 1);
  if (!FOLD_ID_RE.test(foldId)) throw new AsxError('bad_ref', `bad fold id ${JSON.stringify(foldId.slice(0, 140))}: [A-Za-z0-9][A-Za-z0-9._-]{0,127}`, { path });
  if (!ENTRY_NAME_RE.test(name)) throw new AsxError('bad_ref', `bad entry name ${JSON.stringify(name.slice(0, 260))}: one component [A-Za-z0-9][A-Za-z0-9._-]{0,254}`, { path });
  return { foldId, name };
}

export function formatScxq2Ref(r: Scxq2Ref): string {
  const s = `${SCXQ2_SCHEME}${r.foldId}/${r.name}`;
  parseScxq2Ref(s);
  return s;
}
