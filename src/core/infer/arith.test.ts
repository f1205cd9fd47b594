/**
 * The exact arithmetic of inference (docs/laws.md MX2LM-INFER): the CPU IntMatmul against a
 * BigInt reference on seeded random int8 matrices (extremes included), the int32 bound,
 * round-half-even quantization, 10^x by fdlibm, the SVG brain's integer decoding, the collapse's
 * renormalisation, exact ties (lowest id), and the repetition rule.
 */
import { describe, expect, it } from 'vitest';
import { Rng } from '../gccp/random.ts';
import { checkMatmulArgs, cpuIntMatmul, INT8_DOT_MAX_COLS, type IntMatmul } from './intmatmul.ts';
import { quantizeRows, roundHalfEven } from './quantize.ts';
import { ngramDistributionInto, ngramTable, pow10, softmaxInto } from './probabilities.ts';
import { kneserNeyNumeric } from '../mx2lm/ngram-brain.ts';
import { indexModel } from '../ngram/conservation.ts';
import { ngramKey } from '../ngram/arpa.ts';
import { decodeSvgBrain, isqrt, svgDistributionInto } from './svg-traverse.ts';
import { collapseInto, effectiveWeights, repeatExcluded, selectArgmax, topK } from './collapse.ts';
import { detokenize } from './reply-projection.ts';

function reference(a: Int8Array, rows: number, cols: number, x: Int8Array, batch: number): bigint[] {
  const out: bigint[] = [];
  for (let b = 0; b < batch; b++) for (let r = 0; r < rows; r++) {
    let s = 0n;
    for (let c = 0; c < cols; c++) s += BigInt(a[r * cols + c]) * BigInt(x[b * cols + c]);
    out.push(s);
  }
  return out;
}

/** Another backend: columns summed in reverse, rows in blocks — integer sums do not care. */
const reversedIntMatmul: IntMatmul = {
  name: 'reversed',
  async matmul(a, rows, cols, x, batch) {
    checkMatmulArgs(a, rows, cols, x, batch);
    const out = new Int32Array(batch * rows);
    for (let r = rows - 1; r >= 0; r--) for (let b = 0; b < batch; b++) {
      let s = 0;
      for (let c = cols - 1; c >= 0; c--) s = (s + a[r * cols + c] * x[b * cols + c]) | 0;
      out[b * rows + r] = s;
    }
    return out;
  },
};

describe('IntMatmul', () => {
  it('the CPU backend equals a BigInt reference on 200 seeded random int8 problems (extremes included)', async () => {
    const rng = new Rng(12);
    for (let t = 0; t < 200; t++) {
      const rows = 1 + (rng.u32() % 40), cols = 1 + (rng.u32() % 300), batch = 1 + (rng.u32() % 4);
      const extreme = t % 5 === 0;
      const code = () => (extreme ? (rng.u32() & 1 ? 127 : -127) : (rng.u32() % 255) - 127);
      const a = Int8Array.from({ length: rows * cols }, code), x = Int8Array.from({ length: batch * cols }, code);
      const want = reference(a, rows, cols, x, batch);
      for (const be of [cpuIntMatmul, reversedIntMatmul]) expect(Array.from(await be.matmul(a, rows, cols, x, batch), BigInt), `${be.name} #${t}`).toEqual(want);
    }
  });

  it('the int32 bound: 133,144 columns of ±127 fit, one more is refused', async () => {
    expect(INT8_DOT_MAX_COLS).toBe(133_144);
    expect(INT8_DOT_MAX_COLS * 127 * 127).toBeLessThan(2 ** 31);
    expect((INT8_DOT_MAX_COLS + 1) * 127 * 127).toBeGreaterThanOrEqual(2 ** 31);
    const n = INT8_DOT_MAX_COLS;
    const a = new Int8Array(n).fill(-127), x = new Int8Array(n).fill(127);
    expect((await cpuIntMatmul.matmul(a, 1, n, x, 1))[0]).toBe(-n * 16129);
    expect(() => checkMatmulArgs(new Int8Array(n + 1), 1, n + 1, new Int8Array(n + 1), 1)).toThrow(/int32/);
    expect(() => checkMatmulArgs(new Int8Array(5), 2, 3, new Int8Array(3), 1)).toThrow(/rows×cols/);
  });
});

describe('quantization', () => {
  it('rounds half to even', () => {
    expect([0.5, 1.5, 2.5, -0.5, -1.5, -2.5, 2.4999999999999996, 126.5, -126.5].map(roundHalfEven)).toEqual([0, 2, 2, 0, -2, -2, 2, 126, -126]);
  });
  it('per-row scales max|w|/127, codes within ±127, a zero row stays zero', () => {
    const q = quantizeRows(Float32Array.from([0.5, -1, 0.25, 0, 0, 0, 3, 1.5, -3]), 3, 3);
    expect(Array.from(q.scales)).toEqual([1 / 127, 0, 3 / 127]);
    expect(Array.from(q.codes)).toEqual([64, -127, 32, 0, 0, 0, 127, 64, -127]); // 63.5 → 64 (even), 31.75 → 32
  });
});

describe('probabilities', () => {
  it('10^x through fdlibm exp (fixed bits), 0 at ARPA log-zero', () => {
    expect(pow10(0)).toBe(1);
    expect(pow10(-99)).toBe(0);
    expect(pow10(-1)).toBe(0.09999999999999998);
    expect(pow10(-2.5)).toBe(0.0031622776601683764);
  });
  it('the whole-vocabulary n-gram distribution equals the per-token back-off rule, bit for bit (a KN trigram)', () => {
    const sentences = ['the jury said the city was quiet', 'the city said the plan was fair', 'she said the jury was quiet', 'the man said it was time'].map((x) => x.split(' '));
    const vocab = ['<unk>', '<s>', '</s>', ...new Set(sentences.flat())].sort();
    const model = kneserNeyNumeric(vocab, sentences, 3);
    const ix = indexModel(model);
    const perToken = (h: string[], w: string): number => { // conservation.ts conditional, with pow10
      let ctx = h.slice(Math.max(0, h.length - 2)), scale = 1;
      for (;;) {
        const e = ix.maps[ctx.length].get(ngramKey([...ctx, w]));
        if (e) return scale * pow10(e[0]);
        if (ctx.length === 0) return 0;
        const b = ix.maps[ctx.length - 1].get(ngramKey(ctx));
        scale = pow10(b ? b[1] : 0) * scale;
        ctx = ctx.slice(1);
      }
    };
    const t = ngramTable(model, vocab);
    const out = new Float64Array(vocab.length);
    for (const h of [[], ['<s>'], ['<s>', 'the'], ['the', 'city'], ['said', 'the'], ['zzz', 'was'], ['was', '<unk>']]) {
      ngramDistributionInto(t, h, out);
      expect(Array.from(out), h.join(' ')).toEqual(vocab.map((w) => perToken(h, w)));
    }
  });
  it('softmax of exactly equal logits is exactly uniform', () => {
    const p = new Float64Array(4);
    softmaxInto(Float64Array.from([0.3, 0.3, 0.3, 0.3]), p);
    expect(Array.from(p)).toEqual([0.25, 0.25, 0.25, 0.25]);
  });
});

describe('the SVG brain', () => {
  it('isqrt is floor(√n) exactly, also beyond 2^53', () => {
    for (const n of [0n, 1n, 2n, 3n, 4n, 99n, 100n, 101n, (2n ** 53n + 1n) ** 2n - 1n, (2n ** 53n + 1n) ** 2n, 10n ** 30n]) {
      const r = isqrt(n);
      expect(r * r <= n && (r + 1n) * (r + 1n) > n, String(n)).toBe(true);
    }
  });
  it('bent paths weigh their excess length, straight ones their stroke width; one step, normalised', () => {
    // 2 → 5: straight, stroke 0.25; 2 → 7: straight, 0.75. 3 → 4: bent, legs 5 + 5 over a chord of 8 → excess 2.
    const svg = '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 100 100"><g id="t2"><path id="e2-5" d="M25 5 L55 5" stroke-width="0.25"></path><path id="e2-7" d="M25 5 L75 5" stroke-width="0.75"></path></g>'
      + '<g id="t3"><path id="e3-4" d="M0 0 L4 3 L8 0" stroke-width="1"></path><path id="e3-6" d="M0 0 L3 4 L6 8" stroke-width="1"></path></g></svg>';
    const g = decodeSvgBrain(new TextEncoder().encode(svg));
    expect(g.edges).toBe(3); // e3-6 is straight in effect (excess 0): no edge
    expect(Array.from(g.out.get(2)!.weights)).toEqual([250, 750]);
    expect(Array.from(g.out.get(3)!.weights)).toEqual([2_000_000]);
    const p = new Float64Array(8);
    expect(svgDistributionInto(g, 2, p)).toBe(true);
    expect(Array.from(p)).toEqual([0, 0, 0, 0, 0, 0.25, 0, 0.75]);
    expect(svgDistributionInto(g, 4, p)).toBe(false); // no edges: the SVG domain is empty
    expect(Array.from(p)).toEqual(new Array(8).fill(0));
  });
});

describe('collapse and selection', () => {
  it('empty domains are renormalised away', () => {
    expect(effectiveWeights({ alpha: 0.5, beta: 0.1, gamma: 0.4 }, { matrix: true, svg: false, ngram: true })).toEqual({ alpha: 0.5 / 0.9, beta: 0, gamma: 0.4 / 0.9 });
    expect(effectiveWeights({ alpha: 0, beta: 1, gamma: 0 }, { matrix: true, svg: false, ngram: true })).toBeNull();
  });
  it('exact ties go to the lowest id, also when the tie is made by the collapse', () => {
    const c = Float64Array.from([0.9, 0.2, 0.4, 0.4, 0.1, 0.4]);
    expect(selectArgmax(c, (i) => i === 0)).toBe(2);
    expect(selectArgmax(c, (i) => i === 0 || i === 2)).toBe(3);
    // 0.5·0.2 + 0.5·0.6 and 0.5·0.6 + 0.5·0.2: the same double, ids 4 and 1 → 1.
    const pm = Float64Array.from([0, 0.6, 0, 0, 0.2]), pn = Float64Array.from([0, 0.2, 0, 0, 0.6]);
    const out = new Float64Array(5);
    collapseInto({ alpha: 0.5, beta: 0, gamma: 0.5 }, pm, null, pn, out);
    expect(out[1]).toBe(out[4]);
    expect(selectArgmax(out, () => false)).toBe(1);
    expect(topK(out, 3)).toEqual([1, 4]);
    expect(selectArgmax(new Float64Array(3), () => false)).toBe(-1);
  });
  it('the repetition rule excludes a token that would repeat an n-gram of the window', () => {
    expect([...repeatExcluded([5, 6, 7, 5], { window: 16, ngram: 2 })]).toEqual([6]);
    expect([...repeatExcluded([5, 6, 7, 5], { window: 3, ngram: 2 })]).toEqual([]);
    expect([...repeatExcluded([5, 6, 5, 6], { window: 8, ngram: 3 })].sort()).toEqual([5]);
    expect([...repeatExcluded([1, 2], null)]).toEqual([]);
  });
  it('detokenize attaches closing punctuation', () => {
    expect(detokenize(['the', 'city', ',', 'he', 'said', '(', 'and', ')', '.'], 'detokenize')).toBe('the city, he said (and).');
    expect(detokenize(['the', 'city', '.'], 'none')).toBe('the city .');
  });
});
