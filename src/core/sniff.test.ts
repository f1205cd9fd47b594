import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { firstElementName, sniffHead, sniffJsonText } from './sniff.ts';

const enc = (s: string) => new TextEncoder().encode(s);

describe('L-SNIFF: a file kind from its content', () => {
  it('vectors', () => {
    expect(sniffHead(enc('ASXW2CBN\x01\x00'))).toBe('pack');
    expect(sniffHead(enc('SCXQ2S\x00\x01'))).toBe('scxq2');
    expect(sniffHead(enc('ASXFOLD1\x29\x02\x00\x00'))).toBe('fold');
    expect(sniffHead(enc('ASXFOLD'))).toBe('unknown');
    expect(sniffJsonText('{"fold_id":"a","mx2gym_format":"fold.v1"}')).toBe('fold-json');
    expect(sniffJsonText('{"mx2gym_format":"fold.v2"}')).toBe('unknown');
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
  it('safetensors (step 2a) and the sharded index (step 4)', () => {
    const st = (n: number, body: string, extra = 0) => {
      const b = new Uint8Array(8 + enc(body).length + extra);
      new DataView(b.buffer).setUint32(0, n, true);
      b.set(enc(body), 8);
      return b;
    };
    const ok = st(2, '{}');
    expect(sniffHead(ok)).toBe('safetensors');
    expect(sniffHead(st(8, '  \n\t\r{}  '))).toBe('safetensors'); // JSON whitespace before "{"
    expect(sniffHead(st(3, '{} ', 100))).toBe('safetensors'); // data after the header
    expect(sniffHead(st(1, '{'))).toBe('unknown'); // N < 2
    expect(sniffHead(st(2, '[]'))).toBe('unknown'); // not an object
    expect(sniffHead(st(4, '  {}'.slice(0, 2)))).toBe('unknown'); // 8 + N past the end
    expect(sniffHead(st(2, '  {'))).toBe('unknown'); // "{" outside the 2-byte header
    expect(sniffHead(st(100_000_001, '{}'), 200_000_000)).toBe('unknown'); // over the limit
    expect(sniffHead(st(100_000_000, '{"a"'), 100_000_008)).toBe('safetensors'); // head only, size given
    expect(sniffHead(st(100_000_000, '{"a"'))).toBe('unknown'); // size defaults to the head's
    const hi = st(2, '{}');
    hi[4] = 1; // N ≥ 2^32
    expect(sniffHead(hi, 2 ** 40)).toBe('unknown');
    expect(sniffHead(new Uint8Array([2, 0, 0, 0, 0, 0, 0, 0]))).toBe('unknown'); // 8 bytes only
    expect(sniffJsonText('{"metadata":{"total_size":4},"weight_map":{"a":"m-1.safetensors"}}')).toBe('safetensors-index');
    expect(sniffJsonText('{"weight_map":[]}')).toBe('unknown');
    expect(sniffJsonText('{"weight_map":null}')).toBe('unknown');
    expect(sniffJsonText('{"streams":{},"weight_map":{}}')).toBe('streams'); // streams is asked first
  });
  it('the bundled demos sniff as what they are', () => {
    expect(sniffHead(new Uint8Array(readFileSync('public/demo/demo-5kb.v2c.bin')).subarray(0, 4096))).toBe('pack');
    const streams = readFileSync('public/demo/demo-streams-a.json', 'utf8');
    expect(sniffHead(enc(streams.slice(0, 100)))).toBe('json');
    expect(sniffJsonText(streams)).toBe('streams');
  });
});
