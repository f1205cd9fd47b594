/**
 * Golden byte vectors of docs/laws.md (L-VECTORS). The field-by-field reading below was
 * checked by hand against addenda 1–6; the full hex pins the law so any change shows.
 */
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { encodePack } from './write.ts';
import { fromHex, toHex } from '../bytes/hex.ts';

const LANES = [{ id: 'policy', W: [0.5, -0.5] }, { id: 'Attention', W: [0, 1] }];
const V1 = '415358573243424e000103000200020020000000560000000e00000020000000000000007b224030223a22417474656e74696f6e222c224031223a22706f6c696379227d02403000000000070000003086eb761b7a53bf14318ff4019179228908e78dfc141c80d114483160530aff024031070000000700000097927c12b8481d334f29fed9c9d902227722a78a2d8dbb7f7e055c0f8b801e460102000000ff7f010200004000c0f2d702782cdb0824d949853d8baf294f20f5db0103724dfa46aac15bfc49aee1';
const V2 = '415358573243424e00011f000200020020000000560000000e00000020000000600000007b224030223a22417474656e74696f6e222c224031223a22706f6c696379227d024030000000000700000013510a57fc2997de4151397d9584f7b0fbb588a00733e3226f13343f8c5fba3b02403107000000070000000ecb30935124cb4719f5678ae3b541e6a32db59e10e7bb18adb9fae7d319e0150102000000a370010200955b6ba4022bb73f31089c3f7d3f953f60e5803ff0a7663fae47613f0602000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000200000001000000008001000240300200010000800e5a3d1903f37730780882f1079ced163e16a1df3cc1c341057b4706bf62235fd75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511ab51f896a1b7482b98961cf92e52ebec12a135fe8db5553c3360bd0299546d9b6f10038a6971f3f0208b882bec835a4ea3ba1c6b0513d2ff17e9698c8f9d2c80b';
const sha = (hex: string) => createHash('sha256').update(Buffer.from(hex, 'hex')).digest('hex');

describe('golden pack vectors', () => {
  it('V1: two lanes, dims 2, no QSCALE/AUDIT, MERKLE', () => {
    const b = encodePack(LANES, 2, { qscale: false, audit: false }).bytes;
    const hex = toHex(b);
    expect(hex).toBe(V1);
    // By hand: DICT orders "Attention" (0x41) before "policy" (0x70); 0.5·32767 = 16383.5 → 16384 = 0x4000.
    expect(hex.slice(72, 136)).toBe(toHex(new TextEncoder().encode('{"@0":"Attention","@1":"policy"}')));
    const data = hex.slice(2 * (36 + 32 + 86), 2 * (36 + 32 + 86 + 14));
    expect(data).toBe('010200' + '0000' + 'ff7f' + '010200' + '0040' + '00c0');
    const leaf0 = sha('0102000000ff7f'), leaf1 = sha('01020000400' + '0c0');
    expect(hex).toContain(leaf0);
    expect(hex).toContain(leaf1);
    expect(hex.slice(-64)).toBe(sha(leaf0 + leaf1));
  });
  it('V2: + QSCALE (tuned), AUDIT with one lane entry, signed with the RFC 8032 TEST 1 key', () => {
    const seed = fromHex('9d61b19deffd5a60ba844af492ec2cc44449c5697b326919703bac031cae7f60')!;
    const r = encodePack(LANES, 2, { laneAudits: 1, signKey: seed });
    expect(toHex(r.bytes)).toBe(V2);
    // "Attention" is class other (case-sensitive prefix): 1·1.0 ≥ 1 clips, ratio 1/2 → q16 32768,
    // 0.5 > 0.08 → other scale 1.0·0.88; policy has no clipping → 1.35·1.06.
    expect(r.scales.other).toBe(Math.fround(0.88));
    expect(r.scales.policy).toBe(Math.fround(1.35 * 1.06));
    expect(toHex(r.bytes.subarray(r.bytes.length - 96, r.bytes.length - 64))).toBe('d75a980182b10ab7d54bfed3c964073a0ee172f3daa62325af021a68f707511a');
  });
});
