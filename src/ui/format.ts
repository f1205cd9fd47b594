/** Display helpers: pure, no React. */

const INT = new Intl.NumberFormat('en-US');

export function formatInt(n: number): string {
  return INT.format(n);
}

/** `5,120 B` or `1.4 MiB (1,468,006 B)`. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return String(n);
  if (n < 1024) return `${INT.format(n)} B`;
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = n / 1024;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return `${v.toFixed(v < 10 ? 2 : 1)} ${units[u]} (${INT.format(n)} B)`;
}

export function formatHex(n: number, width = 2): string {
  return `0x${(n >>> 0).toString(16).padStart(width, '0')}`;
}

export function percent(part: number, whole: number): string {
  if (whole <= 0) return '—';
  const p = (100 * part) / whole;
  return `${p < 10 ? p.toFixed(1) : p.toFixed(0)}%`;
}

export type JsonTokenKind = 'key' | 'string' | 'number' | 'literal' | 'punct' | 'space';
export interface JsonToken {
  kind: JsonTokenKind;
  text: string;
}

/**
 * Re-indent JSON text without parsing it into objects, so the output carries exactly the
 * same keys, order and number spellings as the canonical input (JSON.parse would reorder
 * integer-like keys and may respell numbers). Returns tokens for highlighting; joining
 * their text gives the pretty-printed JSON. Input that is not JSON is returned as one token.
 */
export function prettyJsonTokens(text: string, indent = 2): JsonToken[] {
  const out: JsonToken[] = [];
  let depth = 0;
  let i = 0;
  const n = text.length;
  const pad = (d: number) => '\n' + ' '.repeat(d * indent);
  // Kind of container per depth, to know whether a string is a key.
  const stack: Array<'{' | '['> = [];
  let expectKey = false;
  while (i < n) {
    const c = text[i];
    if (c === ' ' || c === '\n' || c === '\r' || c === '\t') {
      i += 1;
      continue;
    }
    if (c === '"') {
      let j = i + 1;
      while (j < n && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      if (j >= n) return [{ kind: 'string', text }];
      out.push({ kind: expectKey ? 'key' : 'string', text: text.slice(i, j + 1) });
      i = j + 1;
      continue;
    }
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      // Empty containers stay on one line.
      let j = i + 1;
      while (j < n && /\s/.test(text[j])) j += 1;
      if (text[j] === close) {
        out.push({ kind: 'punct', text: c + close });
        i = j + 1;
        expectKey = false;
        continue;
      }
      stack.push(c);
      depth += 1;
      out.push({ kind: 'punct', text: c }, { kind: 'space', text: pad(depth) });
      expectKey = c === '{';
      i += 1;
      continue;
    }
    if (c === '}' || c === ']') {
      stack.pop();
      depth = Math.max(0, depth - 1);
      out.push({ kind: 'space', text: pad(depth) }, { kind: 'punct', text: c });
      expectKey = false;
      i += 1;
      continue;
    }
    if (c === ',') {
      out.push({ kind: 'punct', text: ',' }, { kind: 'space', text: pad(depth) });
      expectKey = stack[stack.length - 1] === '{';
      i += 1;
      continue;
    }
    if (c === ':') {
      out.push({ kind: 'punct', text: ':' }, { kind: 'space', text: ' ' });
      expectKey = false;
      i += 1;
      continue;
    }
    let j = i;
    while (j < n && !' \n\r\t,:{}[]"'.includes(text[j])) j += 1;
    if (j === i) return [{ kind: 'string', text }];
    const word = text.slice(i, j);
    out.push({ kind: /^-?\d/.test(word) ? 'number' : 'literal', text: word });
    i = j;
  }
  return out;
}

export function prettyJson(text: string, indent = 2): string {
  return prettyJsonTokens(text, indent).map((t) => t.text).join('');
}
