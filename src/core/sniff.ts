/**
 * What kind of file is this? Decided from the content, never from the name (a pack renamed
 * .json is still a pack). The workbench's one way in (drop, picker, demos) routes a file to
 * the face that handles it by this answer. Law L-SNIFF in docs/laws.md:
 *
 *   1. bytes 0..7 are "ASXW2CBN"            → 'pack'   (weights.v2c-bin)
 *   2. bytes 0..5 are "SCXQ2S"              → 'scxq2'  (SCXQ2 SVG-tensor envelope)
 *   2b. bytes 0..7 are "ASXFOLD1"           → 'fold'   (MX2GYM fold bundle, F-BUNDLE)
 *   2a. bytes 0..7 are a little-endian u64 N with 2 ≤ N ≤ 100,000,000 and 8 + N ≤ the file's
 *      size, and the first byte from 8 on that is not JSON whitespace (space, tab, LF, CR) is
 *      "{" and lies inside both the header and the head → 'safetensors'
 *   3. after an optional UTF-8 BOM and XML whitespace, the text starts with "<" and the first
 *      element (after any XML declaration, comments, processing instructions and DOCTYPE)
 *      is named "svg" (any prefix: "svg:svg")  → 'svg'
 *   4. after an optional BOM and JSON whitespace the text starts with "{" and, parsed as JSON,
 *      is an object with a "streams" member   → 'streams' (lane-streams document);
 *      else an object whose "weight_map" member is an object → 'safetensors-index'
 *      (model.safetensors.index.json of a sharded model); else an object whose
 *      "mx2gym_format" member is "fold.v1" → 'fold-json' (a fold document, to the Gym's editor)
 *   5. anything else                          → 'unknown' (opened as a pack, which names
 *      the exact problem: bad_magic at byte 0, …)
 *
 * Steps 1–3 look at the head only (`SNIFF_HEAD_BYTES`); step 4 needs the whole text, so the
 * caller passes it only for files up to `SNIFF_JSON_MAX_BYTES`.
 */
export type FileKind = 'pack' | 'scxq2' | 'fold' | 'safetensors' | 'safetensors-index' | 'svg' | 'streams' | 'fold-json' | 'unknown';

/** Bytes of a file's head that steps 1–3 read. */
export const SNIFF_HEAD_BYTES = 4096;
/** Largest JSON text step 4 parses (a bigger file is 'unknown', i.e. handed to the pack reader). */
export const SNIFF_JSON_MAX_BYTES = 32 << 20;

const PACK = [0x41, 0x53, 0x58, 0x57, 0x32, 0x43, 0x42, 0x4e];
const SCXQ2 = [0x53, 0x43, 0x58, 0x51, 0x32, 0x53];
const FOLD = [0x41, 0x53, 0x58, 0x46, 0x4f, 0x4c, 0x44, 0x31]; // ASXFOLD1

function startsWith(b: Uint8Array, magic: number[]): boolean {
  if (b.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (b[i] !== magic[i]) return false;
  return true;
}

function skipBomAndSpace(b: Uint8Array): number {
  let i = b.length >= 3 && b[0] === 0xef && b[1] === 0xbb && b[2] === 0xbf ? 3 : 0;
  while (i < b.length && (b[i] === 0x20 || b[i] === 0x09 || b[i] === 0x0a || b[i] === 0x0d)) i++;
  return i;
}

/** Name of the first element in an XML head, or null (not XML, or not found in the head). */
export function firstElementName(head: Uint8Array): string | null {
  // Latin-1 view of the head: markup names are ASCII, so this never mis-splits a name.
  let s = '';
  for (let i = skipBomAndSpace(head); i < head.length; i++) s += String.fromCharCode(head[i]);
  let i = 0;
  for (;;) {
    while (i < s.length && /\s/.test(s[i])) i++;
    if (s[i] !== '<') return null;
    if (s.startsWith('<?', i)) {
      const e = s.indexOf('?>', i + 2);
      if (e < 0) return null;
      i = e + 2;
    } else if (s.startsWith('<!--', i)) {
      const e = s.indexOf('-->', i + 4);
      if (e < 0) return null;
      i = e + 3;
    } else if (s.startsWith('<!', i)) {
      // DOCTYPE, possibly with an internal subset in brackets.
      let depth = 0;
      let j = i + 2;
      for (; j < s.length; j++) {
        if (s[j] === '[') depth++;
        else if (s[j] === ']') depth--;
        else if (s[j] === '>' && depth <= 0) break;
      }
      if (j >= s.length) return null;
      i = j + 1;
    } else {
      const m = /^<([A-Za-z_][\w.:-]*)/.exec(s.slice(i, i + 256));
      return m ? m[1] : null;
    }
  }
}

/** Largest safetensors header length (the reference's limit). */
const SAFETENSORS_MAX_N = 100_000_000;

/** Step 2a: a safetensors file (`size` is the whole file's, `head` its first bytes). */
export function looksSafetensors(head: Uint8Array, size: number): boolean {
  if (head.length < 9) return false;
  const dv = new DataView(head.buffer, head.byteOffset, 8);
  if (dv.getUint32(4, true) !== 0) return false;
  const n = dv.getUint32(0, true);
  if (n < 2 || n > SAFETENSORS_MAX_N || 8 + n > size) return false;
  let i = 8;
  const end = Math.min(head.length, 8 + n);
  while (i < end && (head[i] === 0x20 || head[i] === 0x09 || head[i] === 0x0a || head[i] === 0x0d)) i++;
  return i < end && head[i] === 0x7b;
}

/**
 * Steps 1–3 of L-SNIFF on a file's head; 'json' means "looks like JSON: ask step 4". `size` is
 * the whole file's size (step 2a needs it; default: the head is the whole file).
 */
export function sniffHead(head: Uint8Array, size: number = head.length): FileKind | 'json' {
  if (startsWith(head, PACK)) return 'pack';
  if (startsWith(head, SCXQ2)) return 'scxq2';
  if (startsWith(head, FOLD)) return 'fold';
  if (looksSafetensors(head, size)) return 'safetensors';
  const i = skipBomAndSpace(head);
  if (head[i] === 0x3c) {
    const name = firstElementName(head);
    return name !== null && (name === 'svg' || name.endsWith(':svg')) ? 'svg' : 'unknown';
  }
  if (head[i] === 0x7b) return 'json';
  return 'unknown';
}

/** Step 4 of L-SNIFF: a JSON object with a "streams" member, or with a "weight_map" object. */
export function sniffJsonText(text: string): FileKind {
  try {
    const v: unknown = JSON.parse(text.charCodeAt(0) === 0xfeff ? text.slice(1) : text);
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return 'unknown';
    if (Object.prototype.hasOwnProperty.call(v, 'streams')) return 'streams';
    const wm = (v as Record<string, unknown>).weight_map;
    if (typeof wm === 'object' && wm !== null && !Array.isArray(wm)) return 'safetensors-index';
    return (v as Record<string, unknown>).mx2gym_format === 'fold.v1' ? 'fold-json' : 'unknown';
  } catch {
    return 'unknown';
  }
}
