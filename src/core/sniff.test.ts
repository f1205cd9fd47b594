import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { firstElementName, sniffHead, sniffJsonText } from './sniff.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('L-SNIFF: a file kind from its content', () => {
  it('vectors', () => {
    expect(sniffHead(enc('ASXW2CBN\x01\x00'))).toBe('pack');
    expect(sniffHead(enc('SCXQ2S\x00\x01'))).toBe('scxq2');
    expect(sniffHead(enc('<svg xmlns="http://www.w3.org/2000/svg"/>'))).toBe('svg');
    expect(sniffHead(enc('\ufeff  <?xml version="1.0"?>\n<!-- c --><!DOCTYPE svg [<!ENTITY a "b">]>\n<svg:svg/>'))).toBe('svg');
    expect(sniffHead(enc('<html><svg/></html>'))).toBe('unknown');
    expect(sniffHead(enc('<?xml version="1.0"?>'))).toBe('unknown'); // no element in the head
    expect(sniffHead(enc(' {"streams":{}}'))).toBe('json');
    expect(sniffHead(enc('ASXW2CB'))).toBe('unknown'); // 7 bytes of the magic are not a pack
    expect(sniffHead(new Uint8Array(0))).toBe('unknown');
    expect(sniffJsonText('{"streams":{"a":[1]}}')).toBe('streams');
    expect(sniffJsonText('\ufeff{"streams":null}')).toBe('streams');
    expect(sniffJsonText('{"stream":1}')).toBe('unknown');
    expect(sniffJsonText('[{"streams":1}]')).toBe('unknown');
    expect(sniffJsonText('{"streams":')).toBe('unknown');
    expect(firstElementName(enc('<!-- unterminated'))).toBeNull();
  });
  it('the bundled demos sniff as what they are', () => {
    expect(sniffHead(new Uint8Array(readFileSync('public/demo/demo-5kb.v2c.bin')).subarray(0, 4096))).toBe('pack');
    const streams = readFileSync('public/demo/demo-streams-a.json', 'utf8');
    expect(sniffHead(enc(streams.slice(0, 100)))).toBe('json');
    expect(sniffJsonText(streams)).toBe('streams');
  });
});
