/**
 * Find where a JSON path (`$.streams.policy[3]`, `$.config.amp["policy@t*"]`, as the core's
 * errors give it) sits in a JSON text, so the editor can underline it. A small scanner that
 * records the character range of the value (or key) at the path; tolerant of bad JSON
 * (returns the deepest range found so far).
 */
export interface TextRange { start: number; end: number }

export type PathPart = string | number;

export function parsePath(path: string): PathPart[] | null {
  if (!path.startsWith('$')) return null;
  const parts: PathPart[] = [];
  let i = 1;
  while (i < path.length) {
    if (path[i] === '.') {
      const m = /^[A-Za-z_$][A-Za-z0-9_$]*/.exec(path.slice(i + 1));
      if (!m) return null;
      parts.push(m[0]);
      i += 1 + m[0].length;
    } else if (path[i] === '[') {
      const rest = path.slice(i + 1);
      const num = /^(\d+)\]/.exec(rest);
      if (num) {
        parts.push(Number(num[1]));
        i += 1 + num[0].length;
        continue;
      }
      if (rest[0] !== '"') return null;
      // JSON string literal up to the closing quote
      let j = 1;
      while (j < rest.length && rest[j] !== '"') j += rest[j] === '\\' ? 2 : 1;
      if (rest[j + 1] !== ']') return null;
      try {
        parts.push(JSON.parse(rest.slice(0, j + 1)) as string);
      } catch {
        return null;
      }
      i += 1 + j + 2;
    } else return null;
  }
  return parts;
}

class Scanner {
  i = 0;
  constructor(readonly s: string) {}
  ws(): void {
    while (this.i < this.s.length && /\s/.test(this.s[this.i])) this.i++;
  }
  /** Skip one value; return its range. Throws on malformed input. */
  value(): TextRange {
    this.ws();
    const start = this.i;
    const c = this.s[this.i];
    if (c === '{' || c === '[') {
      const close = c === '{' ? '}' : ']';
      this.i++;
      let depth = 1;
      while (this.i < this.s.length && depth > 0) {
        const ch = this.s[this.i];
        if (ch === '"') { this.string(); continue; }
        if (ch === c) depth++;
        else if (ch === close) depth--;
        this.i++;
      }
      if (depth !== 0) throw new Error('unterminated');
    } else if (c === '"') this.string();
    else {
      while (this.i < this.s.length && !/[\s,\]}]/.test(this.s[this.i])) this.i++;
      if (this.i === start) throw new Error('empty value');
    }
    return { start, end: this.i };
  }
  string(): string {
    const start = this.i;
    this.i++;
    while (this.i < this.s.length && this.s[this.i] !== '"') this.i += this.s[this.i] === '\\' ? 2 : 1;
    this.i++;
    return JSON.parse(this.s.slice(start, this.i)) as string;
  }
}

/** Range of the value at `path`, or of the deepest enclosing value found; null if none. */
export function locatePath(text: string, path: string): TextRange | null {
  const parts = parsePath(path);
  if (!parts) return null;
  const sc = new Scanner(text);
  const here = (): TextRange | null => {
    const save = sc.i;
    try {
      return sc.value();
    } catch {
      return save < text.length ? { start: save, end: text.length } : null;
    } finally {
      sc.i = save;
    }
  };
  sc.ws();
  let best = here();
  try {
    for (const part of parts) {
      sc.ws();
      const c = text[sc.i];
      let found = false;
      if (c === '{' && typeof part === 'string') {
        sc.i++;
        for (;;) {
          sc.ws();
          if (text[sc.i] !== '"') break;
          const key = sc.string();
          sc.ws();
          if (text[sc.i] !== ':') break;
          sc.i++;
          sc.ws();
          if (key === part) { found = true; break; }
          sc.value();
          sc.ws();
          if (text[sc.i] !== ',') break;
          sc.i++;
        }
      } else if (c === '[' && typeof part === 'number') {
        sc.i++;
        for (let k = 0; ; k++) {
          sc.ws();
          if (text[sc.i] === ']') break;
          if (k === part) { found = true; break; }
          sc.value();
          sc.ws();
          if (text[sc.i] !== ',') break;
          sc.i++;
        }
      }
      if (!found) return best;
      best = here() ?? best;
    }
  } catch {
    return best;
  }
  return best;
}

/** 1-based line and column of a character offset (what editors show). */
export function lineCol(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let last = -1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) { line++; last = i; }
  return { line, column: offset - last };
}
