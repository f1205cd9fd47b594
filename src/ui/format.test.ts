import { describe, expect, it } from 'vitest';
import { formatBytes, formatHex, percent, prettyJson, prettyJsonTokens } from './format';

describe('prettyJson', () => {
  it('re-indents without changing keys, order or number spellings', () => {
    const canonical = '{"10":1,"2":[1e-7,-0.5,true,null],"a":{"b":"x,y:{z}","c":{}},"e":[]}';
    const pretty = prettyJson(canonical);
    expect(pretty).toBe(
      '{\n  "10": 1,\n  "2": [\n    1e-7,\n    -0.5,\n    true,\n    null\n  ],\n  "a": {\n    "b": "x,y:{z}",\n    "c": {}\n  },\n  "e": []\n}',
    );
    // Removing the added whitespace gives the canonical text back.
    expect(prettyJsonTokens(canonical).filter((t) => t.kind !== 'space').map((t) => t.text).join('')).toBe(canonical);
  });

  it('handles escaped quotes and marks keys', () => {
    const tokens = prettyJsonTokens('{"k\\"ey":"va\\\\l\\"ue"}');
    expect(tokens.filter((t) => t.kind === 'key').map((t) => t.text)).toEqual(['"k\\"ey"']);
    expect(tokens.filter((t) => t.kind === 'string').map((t) => t.text)).toEqual(['"va\\\\l\\"ue"']);
  });

  it('returns unterminated input as one token', () => {
    expect(prettyJsonTokens('{"open')).toEqual([{ kind: 'string', text: '{"open' }]);
  });
});

describe('number formatting', () => {
  it('formats bytes, hex and percentages', () => {
    expect(formatBytes(645)).toBe('645 B');
    expect(formatBytes(5120)).toBe('5.00 KiB (5,120 B)');
    expect(formatBytes(3 * 1024 * 1024)).toBe('3.00 MiB (3,145,728 B)');
    expect(formatHex(0x1b)).toBe('0x1b');
    expect(formatHex(0x0100, 4)).toBe('0x0100');
    expect(percent(470, 645)).toBe('73%');
    expect(percent(1, 0)).toBe('—');
  });
});
