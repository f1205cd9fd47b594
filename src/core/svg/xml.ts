/**
 * A small XML parser for SVG that is safe on hostile input (docs/laws.md L-XML):
 * no DTD internal subsets (so no entity declarations, no billion laughs, no external
 * entities), no entity expansion beyond the five predefined ones and numeric character
 * references, bounded input size, depth, element count, attribute count and attribute
 * length. Iterative (no recursion), linear time. Runs in the browser, a worker and Node.
 */
import { AsxError } from '../errors.ts';

export interface XmlAttr { name: string; value: string }
export interface XmlElement {
  type: 'element';
  name: string;
  attrs: XmlAttr[];
  children: XmlNode[];
  /** Character offset of `<` in the input. */
  offset: number;
}
export interface XmlText { type: 'text'; text: string; offset: number }
export type XmlNode = XmlElement | XmlText;

export interface XmlLimits {
  maxChars: number;
  maxDepth: number;
  maxElements: number;
  maxAttrLength: number;
  maxAttrs: number;
  maxNameLength: number;
}

export const DEFAULT_XML_LIMITS: XmlLimits = {
  maxChars: 16 * 1024 * 1024,
  maxDepth: 256,
  maxElements: 200_000,
  maxAttrLength: 262_144,
  maxAttrs: 256,
  maxNameLength: 256,
};

export interface XmlDocument {
  root: XmlElement;
  /** What the parser skipped: comments, processing instructions, CDATA sections, DOCTYPE. */
  skipped: { comments: number; pis: number; cdata: number; doctype: boolean };
  elementCount: number;
}

const PREDEFINED: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };

function isNameStart(c: number): boolean {
  return (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95 || c === 58 || c >= 0x80;
}
function isNameChar(c: number): boolean {
  return isNameStart(c) || (c >= 48 && c <= 57) || c === 45 || c === 46;
}
function isSpace(c: number): boolean {
  return c === 32 || c === 9 || c === 10 || c === 13;
}

/** Line and column (1-based) of a character offset, for error messages. */
export function lineCol(text: string, offset: number): string {
  let line = 1;
  let last = -1;
  const end = Math.min(offset, text.length);
  for (let i = 0; i < end; i++) if (text.charCodeAt(i) === 10) { line++; last = i; }
  return `line ${line}, column ${offset - last}`;
}

export function decodeXmlInput(bytes: Uint8Array): string {
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new AsxError('xml_syntax', 'the file is not UTF-8 text', { offset: 0 });
  }
}

export function parseXml(input: string, limits: Partial<XmlLimits> = {}): XmlDocument {
  const L = { ...DEFAULT_XML_LIMITS, ...limits };
  if (input.length > L.maxChars) {
    throw new AsxError('xml_limit', `the document has ${input.length} characters, more than the limit of ${L.maxChars}`, { offset: L.maxChars });
  }
  const s = input.charCodeAt(0) === 0xfeff ? input.slice(1) : input;
  const n = s.length;
  let i = 0;
  const skipped = { comments: 0, pis: 0, cdata: 0, doctype: false };
  let elementCount = 0;
  let root: XmlElement | null = null;
  const stack: XmlElement[] = [];

  const fail = (code: 'xml_syntax' | 'xml_entity' | 'xml_limit', msg: string, at: number): never => {
    throw new AsxError(code, `${msg} (${lineCol(s, at)})`, { offset: at });
  };

  const decodeEntities = (raw: string, at: number): string => {
    if (raw.indexOf('&') < 0) return raw;
    let out = '';
    let k = 0;
    for (;;) {
      const amp = raw.indexOf('&', k);
      if (amp < 0) { out += raw.slice(k); return out; }
      out += raw.slice(k, amp);
      const semi = raw.indexOf(';', amp + 1);
      if (semi < 0 || semi - amp > 12) fail('xml_entity', 'a bare "&" (only &lt; &gt; &amp; &quot; &apos; and numeric references are allowed)', at + amp);
      const name = raw.slice(amp + 1, semi);
      if (name.charCodeAt(0) === 35) {
        const hex = name[1] === 'x';
        const digits = name.slice(hex ? 2 : 1);
        if (!(hex ? /^[0-9A-Fa-f]{1,6}$/ : /^[0-9]{1,7}$/).test(digits)) fail('xml_entity', `malformed character reference &${name};`, at + amp);
        const cp = parseInt(digits, hex ? 16 : 10);
        if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || (cp < 32 && cp !== 9 && cp !== 10 && cp !== 13) || cp === 0xfffe || cp === 0xffff) {
          fail('xml_entity', `character reference &${name}; is not an XML character`, at + amp);
        }
        out += String.fromCodePoint(cp);
      } else {
        const v = Object.prototype.hasOwnProperty.call(PREDEFINED, name) ? PREDEFINED[name] : undefined;
        if (v === undefined) fail('xml_entity', `entity &${name}; is not one of the five predefined entities (no other entity is ever expanded)`, at + amp);
        out += v;
      }
      k = semi + 1;
    }
  };

  const readName = (): string => {
    const start = i;
    if (i >= n || !isNameStart(s.charCodeAt(i))) fail('xml_syntax', 'expected a name', i);
    i++;
    while (i < n && isNameChar(s.charCodeAt(i))) {
      i++;
      if (i - start > L.maxNameLength) fail('xml_limit', `a name is longer than ${L.maxNameLength} characters`, start);
    }
    return s.slice(start, i);
  };
  const skipSpace = () => { while (i < n && isSpace(s.charCodeAt(i))) i++; };

  const addText = (text: string, at: number) => {
    if (stack.length === 0) {
      for (let k = 0; k < text.length; k++) if (!isSpace(text.charCodeAt(k))) fail('xml_syntax', 'text outside the root element', at + k);
      return;
    }
    stack[stack.length - 1].children.push({ type: 'text', text, offset: at });
  };

  while (i < n) {
    const c = s.charCodeAt(i);
    if (c !== 60) {
      const lt = s.indexOf('<', i);
      const end = lt < 0 ? n : lt;
      const raw = s.slice(i, end);
      if (raw.indexOf(']]>') >= 0) fail('xml_syntax', '"]]>" in text', i + raw.indexOf(']]>'));
      addText(decodeEntities(raw, i), i);
      i = end;
      continue;
    }
    const start = i;
    if (s.startsWith('<!--', i)) {
      const e = s.indexOf('-->', i + 4);
      if (e < 0) fail('xml_syntax', 'unterminated comment', start);
      skipped.comments++;
      i = e + 3;
      continue;
    }
    if (s.startsWith('<![CDATA[', i)) {
      const e = s.indexOf(']]>', i + 9);
      if (e < 0) fail('xml_syntax', 'unterminated CDATA section', start);
      if (stack.length === 0) fail('xml_syntax', 'CDATA outside the root element', start);
      skipped.cdata++;
      addText(s.slice(i + 9, e), i);
      i = e + 3;
      continue;
    }
    if (s.startsWith('<!DOCTYPE', i)) {
      if (root || stack.length) fail('xml_syntax', 'DOCTYPE after the root element', start);
      if (skipped.doctype) fail('xml_syntax', 'a second DOCTYPE', start);
      skipped.doctype = true;
      // Scan to the closing '>' honouring quoted literals; an internal subset '[' is refused.
      i += 9;
      for (;;) {
        if (i >= n) fail('xml_syntax', 'unterminated DOCTYPE', start);
        const d = s.charCodeAt(i);
        if (d === 34 || d === 39) {
          const q = s.indexOf(String.fromCharCode(d), i + 1);
          if (q < 0) fail('xml_syntax', 'unterminated literal in DOCTYPE', i);
          i = q + 1;
          continue;
        }
        if (d === 91) {
          const rest = s.slice(i, Math.min(n, i + 4096));
          const what = /<!ENTITY/.test(rest) ? 'entity declarations' : 'an internal DTD subset';
          fail('xml_entity', `DOCTYPE with ${what} is refused (no entity is ever declared or expanded)`, i);
        }
        if (d === 62) { i++; break; }
        i++;
      }
      continue;
    }
    if (s.startsWith('<!', i)) fail('xml_syntax', 'unsupported markup declaration', start);
    if (s.startsWith('<?', i)) {
      const e = s.indexOf('?>', i + 2);
      if (e < 0) fail('xml_syntax', 'unterminated processing instruction', start);
      skipped.pis++;
      i = e + 2;
      continue;
    }
    if (s.charCodeAt(i + 1) === 47) {
      // end tag
      i += 2;
      const name = readName();
      skipSpace();
      if (s.charCodeAt(i) !== 62) fail('xml_syntax', `expected ">" to close </${name}`, i);
      i++;
      const top = stack.pop();
      if (!top) fail('xml_syntax', `end tag </${name}> without a start tag`, start);
      if (top!.name !== name) fail('xml_syntax', `end tag </${name}> does not match <${top!.name}>`, start);
      continue;
    }
    // start tag
    i++;
    const name = readName();
    if (root && stack.length === 0) fail('xml_syntax', 'a second root element', start);
    const el: XmlElement = { type: 'element', name, attrs: [], children: [], offset: start };
    elementCount++;
    if (elementCount > L.maxElements) fail('xml_limit', `more than ${L.maxElements} elements`, start);
    let selfClose = false;
    for (;;) {
      const hadSpace = i < n && isSpace(s.charCodeAt(i));
      skipSpace();
      if (i >= n) fail('xml_syntax', `unterminated start tag <${name}`, start);
      const d = s.charCodeAt(i);
      if (d === 62) { i++; break; }
      if (d === 47) {
        if (s.charCodeAt(i + 1) !== 62) fail('xml_syntax', 'expected "/>"', i);
        i += 2;
        selfClose = true;
        break;
      }
      if (!hadSpace) fail('xml_syntax', `expected whitespace before an attribute in <${name}>`, i);
      const aAt = i;
      const an = readName();
      skipSpace();
      if (s.charCodeAt(i) !== 61) fail('xml_syntax', `expected "=" after attribute ${an}`, i);
      i++;
      skipSpace();
      const q = s.charCodeAt(i);
      if (q !== 34 && q !== 39) fail('xml_syntax', `attribute ${an} needs a quoted value`, i);
      const close = s.indexOf(String.fromCharCode(q), i + 1);
      if (close < 0) fail('xml_syntax', `unterminated value of attribute ${an}`, i);
      if (close - i - 1 > L.maxAttrLength) fail('xml_limit', `attribute ${an} is ${close - i - 1} characters long, more than the limit of ${L.maxAttrLength}`, aAt);
      const raw = s.slice(i + 1, close);
      const lt = raw.indexOf('<');
      if (lt >= 0) fail('xml_syntax', `"<" in the value of attribute ${an}`, i + 1 + lt);
      const value = decodeEntities(raw.replace(/[\t\n\r]/g, ' '), i + 1);
      i = close + 1;
      for (const a of el.attrs) if (a.name === an) fail('xml_syntax', `duplicate attribute ${an}`, aAt);
      if (el.attrs.length >= L.maxAttrs) fail('xml_limit', `more than ${L.maxAttrs} attributes on <${name}>`, aAt);
      el.attrs.push({ name: an, value });
    }
    if (stack.length + 1 > L.maxDepth) fail('xml_limit', `elements nested deeper than ${L.maxDepth} levels`, start);
    if (stack.length) stack[stack.length - 1].children.push(el);
    else root = el;
    if (!selfClose) stack.push(el);
  }
  if (stack.length) fail('xml_syntax', `<${stack[stack.length - 1].name}> is never closed`, stack[stack.length - 1].offset);
  if (!root) fail('xml_syntax', 'no root element', 0);
  return { root: root!, skipped, elementCount };
}
