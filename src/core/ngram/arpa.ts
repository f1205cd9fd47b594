/**
 * The ARPA back-off n-gram text format (the one KenLM and SRILM read and write), reader and
 * writer in one module (docs/laws.md AI-ARPA). The reader is defensive: strict UTF-8, bounded
 * input, line length, order and word length, declared counts checked against the number of
 * lines before anything is stored, and every error an `ArpaError` with a stable code and the
 * 1-based line and column where it was found. The writer produces the canonical form, which
 * the reader gives back exactly (`writeArpa(readArpa(writeArpa(m)))` is byte-identical).
 *
 * Canonical form: `\data\`, one `ngram N=COUNT` line per order, a blank line, then for each
 * order `\N-grams:`, one line per n-gram `logprob<TAB>w1 w2 … wn[<TAB>backoff]`, a blank line,
 * and finally `\end\` and a newline. Numbers are log10 values written as the shortest decimal
 * that reads back as the same double (JavaScript's number-to-string), so the writer never
 * rounds; a model builder rounds where it wants fewer digits.
 */

export type ArpaErrorCode =
  | 'arpa.too_large'
  | 'arpa.bad_utf8'
  | 'arpa.line_too_long'
  | 'arpa.no_data'
  | 'arpa.bad_header'
  | 'arpa.bad_count'
  | 'arpa.bad_section'
  | 'arpa.bad_entry'
  | 'arpa.bad_number'
  | 'arpa.word_too_long'
  | 'arpa.count_mismatch'
  | 'arpa.duplicate_ngram'
  | 'arpa.unknown_word'
  | 'arpa.missing_end'
  | 'arpa.trailing_text';

export class ArpaError extends Error {
  constructor(readonly code: ArpaErrorCode, message: string, readonly line: number, readonly column: number) {
    super(`${message} (line ${line}, column ${column})`);
    this.name = 'ArpaError';
  }
}

export interface ArpaLimits {
  /** Largest input in bytes. */
  maxBytes: number;
  maxOrder: number;
  /** Longest line in characters. */
  maxLineChars: number;
  /** Longest word in characters. */
  maxWordChars: number;
}

export const ARPA_LIMITS: ArpaLimits = { maxBytes: 256 << 20, maxOrder: 16, maxLineChars: 65_536, maxWordChars: 1_024 };

export interface ArpaEntry {
  words: string[];
  /** log10 probability. */
  logprob: number;
  /** log10 back-off weight; absent means 0 (weight 1). */
  backoff?: number;
}

export interface ArpaModel {
  order: number;
  /** grams[n - 1]: the n-grams in file order. */
  grams: ArpaEntry[][];
}

/** Where each n-gram was read (line numbers for findings), keyed like `ngramKey`. */
export interface ArpaRead {
  model: ArpaModel;
  lines: Map<string, number>[];
}

/** The map key of an n-gram (words never contain whitespace). */
export function ngramKey(words: readonly string[]): string {
  return words.join(' ');
}

const NUMBER = /^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][+-]?[0-9]+)?$/;
const FIELD = /[^ \t]+/g;

function decode(input: Uint8Array | string): string {
  if (typeof input === 'string') return input;
  const dec = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });
  try { return dec.decode(input); } catch {
    // Find the line that holds the bad sequence (bounded: one pass over the bytes).
    let line = 1, start = 0;
    for (let i = 0; i <= input.length; i++) {
      if (i === input.length || input[i] === 0x0a) {
        try { dec.decode(input.subarray(start, i)); } catch { throw new ArpaError('arpa.bad_utf8', 'the text is not UTF-8', line, 1); }
        line++; start = i + 1;
      }
    }
    throw new ArpaError('arpa.bad_utf8', 'the text is not UTF-8', line, 1);
  }
}

function parseNum(text: string, line: number, column: number, what: string): number {
  if (!NUMBER.test(text)) throw new ArpaError('arpa.bad_number', `${what} ${JSON.stringify(text.slice(0, 40))} is not a decimal number`, line, column);
  const v = Number(text);
  if (!Number.isFinite(v)) throw new ArpaError('arpa.bad_number', `${what} ${JSON.stringify(text.slice(0, 40))} is out of range`, line, column);
  return v === 0 ? 0 : v; // -0 reads as 0
}

const isSep = (c: number): boolean => c === 32 || c === 9;
const isDigit = (c: number): boolean => c >= 48 && c <= 57;

/** Whether l[s, e) matches NUMBER (the same language, without a regex or a substring). */
function isDecimal(l: string, s: number, e: number): boolean {
  let p = s;
  if (p < e && (l.charCodeAt(p) === 43 || l.charCodeAt(p) === 45)) p++;
  let int = 0;
  while (p < e && isDigit(l.charCodeAt(p))) { p++; int++; }
  if (p < e && l.charCodeAt(p) === 46) {
    p++;
    let frac = 0;
    while (p < e && isDigit(l.charCodeAt(p))) { p++; frac++; }
    if (int === 0 && frac === 0) return false;
  } else if (int === 0) return false;
  if (p < e && (l.charCodeAt(p) === 101 || l.charCodeAt(p) === 69)) {
    p++;
    if (p < e && (l.charCodeAt(p) === 43 || l.charCodeAt(p) === 45)) p++;
    let ex = 0;
    while (p < e && isDigit(l.charCodeAt(p))) { p++; ex++; }
    if (ex === 0) return false;
  }
  return p === e;
}

/** A finite number of l[s, e) when it is a NUMBER, else null (-0 reads as 0, as parseNum). */
function fastNum(l: string, s: number, e: number): number | null {
  if (!isDecimal(l, s, e)) return null;
  const v = Number(l.slice(s, e));
  return Number.isFinite(v) ? (v === 0 ? 0 : v) : null;
}

/**
 * One n-gram line read without regexes or per-field objects — the reader's time on a large
 * model (a 25 MB Brown trigram file: 889k lines) — or null whenever the line is anything but
 * a well-formed, new entry: `logprob`, n words of at most `maxWord` characters (1-grams of the
 * file for n > 1), an optional back-off weight (`backoffOk`), separated by spaces and tabs.
 * The general path then reads that line and reports its error exactly as before, so this only
 * saves time: the same entries, keys and lines (arpa.test.ts, the fuzz included).
 */
function fastEntry(l: string, n: number, backoffOk: boolean, maxWord: number, unigrams: Map<string, string> | null, at: Map<string, number>): { entry: ArpaEntry; key: string } | null {
  const L = l.length;
  let p = 0;
  while (p < L && !isSep(l.charCodeAt(p))) p++;
  const logprob = fastNum(l, 0, p);
  if (logprob === null) return null;
  const words: string[] = [];
  let keyStart = 0, keyEnd = 0, single = true;
  for (let k = 1; k <= n; k++) {
    const sep = p;
    while (p < L && isSep(l.charCodeAt(p))) p++;
    if (p >= L) return null;
    if (k > 1 && (p - sep !== 1 || l.charCodeAt(sep) !== 32)) single = false;
    const s = p;
    while (p < L && !isSep(l.charCodeAt(p))) p++;
    if (p - s > maxWord) return null;
    let w = l.slice(s, p);
    if (unigrams) {
      // The 1-gram's own string: the slice dies young, and the entries share one string per word.
      const u = unigrams.get(w);
      if (u === undefined) return null;
      w = u;
    }
    words.push(w);
    if (k === 1) keyStart = s;
    keyEnd = p;
  }
  while (p < L && isSep(l.charCodeAt(p))) p++;
  let backoff: number | null = null;
  if (p < L) {
    if (!backoffOk) return null;
    const s = p;
    while (p < L && !isSep(l.charCodeAt(p))) p++;
    backoff = fastNum(l, s, p);
    if (backoff === null) return null;
    while (p < L && isSep(l.charCodeAt(p))) p++;
    if (p < L) return null;
  }
  // Words joined by single spaces are the line's own text from the first word to the last.
  const key = n === 1 ? words[0] : single ? l.slice(keyStart, keyEnd) : ngramKey(words);
  if (at.has(key)) return null;
  const entry: ArpaEntry = { words, logprob };
  if (backoff !== null) entry.backoff = backoff;
  return { entry, key };
}

/**
 * A shared parse, only while a `withSharedArpa` scope is open (loading an inference model, whose
 * verification parses the n-gram brain — AI-NGRAM legality — and whose engine then needs the
 * same model): the last large byte input, a private copy of it, its limits and its result. A
 * later call within the scope gets that result only when its bytes equal the copy byte for byte
 * and its limits are the same, so the answer is always what parsing would give (readArpa is a
 * pure function of bytes and limits) and nothing is verified less. The result is shared: callers
 * read it, never change it. Closing the last scope drops it.
 */
const SHARE_MIN_BYTES = 1 << 20;
let shareScopes = 0;
let shared: { bytes: Uint8Array; limits: ArpaLimits; read: ArpaRead } | null = null;

/** Run `fn` with readArpa's shared parse enabled (see above); scopes may nest and overlap. */
export async function withSharedArpa<T>(fn: () => Promise<T>): Promise<T> {
  shareScopes++;
  try { return await fn(); } finally { if (--shareScopes === 0) shared = null; }
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  const n = a.length;
  let i = 0;
  if (a.byteOffset % 4 === 0 && b.byteOffset % 4 === 0) {
    const a4 = new Uint32Array(a.buffer, a.byteOffset, n >>> 2), b4 = new Uint32Array(b.buffer, b.byteOffset, n >>> 2);
    for (let k = 0; k < a4.length; k++) if (a4[k] !== b4[k]) return false;
    i = a4.length * 4;
  }
  for (; i < n; i++) if (a[i] !== b[i]) return false;
  return true;
}

const sameLimits = (a: ArpaLimits, b: ArpaLimits): boolean => a.maxBytes === b.maxBytes && a.maxOrder === b.maxOrder && a.maxLineChars === b.maxLineChars && a.maxWordChars === b.maxWordChars;

/** Read an ARPA file. Throws ArpaError (code, line, column) for anything malformed. */
export function readArpa(input: Uint8Array | string, limits: ArpaLimits = ARPA_LIMITS): ArpaRead {
  if (shareScopes === 0 || typeof input === 'string' || input.length < SHARE_MIN_BYTES) return parseArpa(input, limits);
  if (shared && sameLimits(shared.limits, limits) && sameBytes(shared.bytes, input)) return shared.read;
  const read = parseArpa(input, limits);
  if (shareScopes > 0) shared = { bytes: input.slice(), limits: { ...limits }, read };
  return read;
}

function parseArpa(input: Uint8Array | string, limits: ArpaLimits): ArpaRead {
  const size = typeof input === 'string' ? input.length : input.length;
  if (size > limits.maxBytes) throw new ArpaError('arpa.too_large', `the input is ${size} bytes, the limit is ${limits.maxBytes}`, 1, 1);
  const text = decode(input);
  // Split into lines without copying the text more than once; \r\n and \n both end a line.
  const lines = text.split('\n');
  if (lines.length && lines[lines.length - 1] === '') lines.pop();
  for (let i = 0; i < lines.length; i++) {
    let l = lines[i];
    if (l.endsWith('\r')) l = l.slice(0, -1);
    if (i === 0 && l.charCodeAt(0) === 0xfeff) l = l.slice(1);
    if (l.length > limits.maxLineChars) throw new ArpaError('arpa.line_too_long', `the line has ${l.length} characters, the limit is ${limits.maxLineChars}`, i + 1, limits.maxLineChars + 1);
    lines[i] = l;
  }
  let i = 0;
  const blank = (s: string) => s.trim() === '';
  // Anything before \data\ is a comment (as in SRILM and KenLM).
  while (i < lines.length && lines[i].trim() !== '\\data\\') i++;
  if (i >= lines.length) throw new ArpaError('arpa.no_data', 'no \\data\\ line', Math.max(1, lines.length), 1);
  i++;
  const counts: number[] = [];
  let countLines = 0;
  for (; i < lines.length; i++) {
    const l = lines[i];
    if (blank(l)) { if (counts.length) break; continue; }
    const m = /^ngram[ \t]+([0-9]{1,3})[ \t]*=[ \t]*([0-9]{1,15})[ \t]*$/.exec(l.trim());
    if (!m) {
      if (counts.length && l.trim().startsWith('\\')) break;
      throw new ArpaError('arpa.bad_header', `expected "ngram N=COUNT", got ${JSON.stringify(l.slice(0, 40))}`, i + 1, 1);
    }
    const n = Number(m[1]);
    if (n !== counts.length + 1) throw new ArpaError('arpa.bad_header', `expected ngram ${counts.length + 1}=…, got ngram ${n}`, i + 1, l.indexOf(m[1]) + 1);
    if (n > limits.maxOrder) throw new ArpaError('arpa.bad_header', `order ${n} is over the limit of ${limits.maxOrder}`, i + 1, l.indexOf(m[1]) + 1);
    counts.push(Number(m[2]));
    countLines = i;
  }
  if (!counts.length) throw new ArpaError('arpa.bad_header', 'no "ngram N=COUNT" lines after \\data\\', i + 1, 1);
  // Every n-gram takes a line, so the declared counts cannot exceed the lines left: this
  // bounds what the reader will store before it stores anything.
  const total = counts.reduce((a, b) => a + b, 0);
  if (total > lines.length - countLines) throw new ArpaError('arpa.bad_count', `the header declares ${total} n-grams, the file has only ${lines.length - countLines - 1} more lines`, countLines + 1, 1);
  const order = counts.length;
  const grams: ArpaEntry[][] = [];
  const where: Map<string, number>[] = [];
  /** The 1-grams read so far (word → the string held by its entry). */
  const unigrams = new Map<string, string>();
  for (let n = 1; n <= order; n++) {
    while (i < lines.length && blank(lines[i])) i++;
    const head = `\\${n}-grams:`;
    if (i >= lines.length || lines[i].trim() !== head) {
      if (i >= lines.length) throw new ArpaError('arpa.bad_section', `expected ${head}, the file ended`, lines.length, 1);
      throw new ArpaError('arpa.bad_section', `expected ${head}, got ${JSON.stringify(lines[i].slice(0, 40))}`, i + 1, 1);
    }
    i++;
    const list: ArpaEntry[] = [];
    const at = new Map<string, number>();
    for (; i < lines.length; i++) {
      const l = lines[i];
      // Fast path for the common line (see `fastEntry`): anything it does not accept — blank,
      // a section, a malformed or duplicate entry, one entry too many — goes through the general
      // code below, which gives the same entries and raises the error with its line and column.
      const c0 = l.charCodeAt(0);
      if (((c0 >= 48 && c0 <= 57) || c0 === 45 || c0 === 43 || c0 === 46) && list.length < counts[n - 1]) {
        const fe = fastEntry(l, n, n < order, limits.maxWordChars, n > 1 ? unigrams : null, at);
        if (fe) {
          at.set(fe.key, i + 1);
          if (n === 1) unigrams.set(fe.key, fe.key);
          list.push(fe.entry);
          continue;
        }
      }
      if (blank(l)) continue;
      if (l.trim().startsWith('\\')) break;
      if (list.length >= counts[n - 1]) throw new ArpaError('arpa.count_mismatch', `more ${n}-grams than the ${counts[n - 1]} the header declares`, i + 1, 1);
      const fields: { t: string; c: number }[] = [];
      FIELD.lastIndex = 0;
      for (let m = FIELD.exec(l); m; m = FIELD.exec(l)) {
        fields.push({ t: m[0], c: m.index + 1 });
        if (fields.length > n + 2) throw new ArpaError('arpa.bad_entry', `a ${n}-gram line has at most ${n + 2} fields`, i + 1, m.index + 1);
      }
      const hasBackoff = fields.length === n + 2;
      if (fields.length !== n + 1 && !hasBackoff) throw new ArpaError('arpa.bad_entry', `a ${n}-gram line has ${n + 1} or ${n + 2} fields, this one has ${fields.length}`, i + 1, 1);
      if (hasBackoff && n === order) throw new ArpaError('arpa.bad_entry', `${n}-grams of the highest order have no back-off weight`, i + 1, fields[n + 1].c);
      const logprob = parseNum(fields[0].t, i + 1, fields[0].c, 'log probability');
      const words: string[] = [];
      for (let k = 1; k <= n; k++) {
        const w = fields[k].t;
        if (w.length > limits.maxWordChars) throw new ArpaError('arpa.word_too_long', `a word has ${w.length} characters, the limit is ${limits.maxWordChars}`, i + 1, fields[k].c);
        if (n > 1 && !unigrams.has(w)) throw new ArpaError('arpa.unknown_word', `${JSON.stringify(w.slice(0, 40))} is not a 1-gram`, i + 1, fields[k].c);
        words.push(w);
      }
      const key = ngramKey(words);
      if (at.has(key)) throw new ArpaError('arpa.duplicate_ngram', `the ${n}-gram ${JSON.stringify(key.slice(0, 80))} was already given on line ${at.get(key)}`, i + 1, fields[1].c);
      at.set(key, i + 1);
      if (n === 1) unigrams.set(words[0], words[0]);
      const e: ArpaEntry = { words, logprob };
      if (hasBackoff) e.backoff = parseNum(fields[n + 1].t, i + 1, fields[n + 1].c, 'back-off weight');
      list.push(e);
    }
    if (list.length !== counts[n - 1]) throw new ArpaError('arpa.count_mismatch', `${list.length} ${n}-grams, the header declares ${counts[n - 1]}`, Math.min(i + 1, lines.length), 1);
    grams.push(list);
    where.push(at);
  }
  while (i < lines.length && blank(lines[i])) i++;
  if (i >= lines.length) throw new ArpaError('arpa.missing_end', 'no \\end\\ line', lines.length, 1);
  if (lines[i].trim() !== '\\end\\') throw new ArpaError(order < 99 && /^\\[0-9]+-grams:$/.test(lines[i].trim()) ? 'arpa.bad_section' : 'arpa.missing_end', `expected \\end\\, got ${JSON.stringify(lines[i].slice(0, 40))}`, i + 1, 1);
  for (i++; i < lines.length; i++) if (!blank(lines[i])) throw new ArpaError('arpa.trailing_text', 'text after \\end\\', i + 1, 1);
  return { model: { order, grams }, lines: where };
}

function num(v: number): string {
  if (!Number.isFinite(v)) throw new RangeError(`ARPA numbers are finite, got ${v}`);
  return v === 0 ? '0' : String(v);
}

/** The canonical ARPA text of a model (see the module comment). */
export function writeArpa(m: ArpaModel): string {
  if (m.grams.length !== m.order || m.order < 1) throw new RangeError(`the model has order ${m.order} and ${m.grams.length} n-gram lists`);
  const out: string[] = ['\\data\\'];
  m.grams.forEach((g, k) => out.push(`ngram ${k + 1}=${g.length}`));
  out.push('');
  m.grams.forEach((g, k) => {
    const n = k + 1;
    out.push(`\\${n}-grams:`);
    for (const e of g) {
      if (e.words.length !== n) throw new RangeError(`a ${n}-gram has ${e.words.length} words`);
      for (const w of e.words) if (w === '' || /[\s]/.test(w)) throw new RangeError(`ARPA words are non-empty and contain no whitespace: ${JSON.stringify(w)}`);
      if (e.backoff !== undefined && n === m.order) throw new RangeError('highest-order n-grams have no back-off weight');
      out.push(`${num(e.logprob)}\t${e.words.join(' ')}${e.backoff !== undefined ? `\t${num(e.backoff)}` : ''}`);
    }
    out.push('');
  });
  out.push('\\end\\', '');
  return out.join('\n');
}
