/**
 * One pass over JSON text (already known to parse) that sees what JSON.parse hides: the keys of
 * every object in text order, and a key given twice in one object (JSON.parse keeps the last
 * silently). Shared by the safetensors header reader and the sharded index reader, which each
 * build their own error paths from the frame stack. Linear, no allocation beyond one frame per
 * open bracket; strings are skipped escapes included, and a key is decoded only when escaped.
 */

/** One open object (`seen`: its keys so far, `last`: the latest) or array (`seen` null). */
export interface KeyFrame { seen: Set<string> | null; last: string }

export interface KeyScanHooks {
  /** A key given twice in one object; `at` is its string's index in the text. Must throw. */
  duplicate(key: string, at: number, stack: readonly KeyFrame[]): never;
  /** Each key, after the duplicate check; `stack.length` is its object's depth (1 = top level). */
  key?(key: string, stack: readonly KeyFrame[]): void;
  /**
   * A '-', '.' or exponent letter outside strings (only numbers hold them) at index `at`: how
   * a reader spots numbers not spelled as plain non-negative integers.
   */
  numberMark?(at: number, stack: readonly KeyFrame[]): void;
}

const isSpace = (c: number) => c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09;

export function scanJsonKeys(text: string, hooks: KeyScanHooks): void {
  const stack: KeyFrame[] = [];
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      let j = i + 1;
      let escaped = false;
      while (j < text.length && text.charCodeAt(j) !== 0x22) {
        if (text.charCodeAt(j) === 0x5c) { escaped = true; j += 2; } else j++;
      }
      const top = stack[stack.length - 1];
      if (top?.seen) {
        let k = j + 1;
        while (k < text.length && isSpace(text.charCodeAt(k))) k++;
        if (text.charCodeAt(k) === 0x3a) {
          const key = escaped ? (JSON.parse(text.slice(i, j + 1)) as string) : text.slice(i + 1, j);
          if (top.seen.has(key)) hooks.duplicate(key, i, stack);
          top.seen.add(key);
          top.last = key;
          hooks.key?.(key, stack);
        }
      }
      i = j;
    } else if (c === 0x7b || c === 0x5b) stack.push({ seen: c === 0x7b ? new Set() : null, last: '' });
    else if (c === 0x7d || c === 0x5d) stack.pop();
    else if (hooks.numberMark && (c === 0x2d || c === 0x2e || ((c === 0x65 || c === 0x45) && i > 0 && text.charCodeAt(i - 1) >= 0x30 && text.charCodeAt(i - 1) <= 0x39))) {
      hooks.numberMark(i, stack);
    }
  }
}

/**
 * The JSON path of the object at `depth` (its parents' keys, arrays as `[]`), each step made by
 * `step(pathSoFar, key, depthOfKey)`.
 */
export function framePath(stack: readonly KeyFrame[], depth: number, step: (path: string, key: string, depth: number) => string): string {
  let path = '$';
  for (let k = 0; k < depth - 1; k++) path += stack[k].seen ? step(path, stack[k].last, k + 1) : '[]';
  return path;
}
