/**
 * Generator of src/core/hash/sha256-unrolled.ts: the SHA-256 compression function with its
 * 64 rounds and message schedule unrolled into local variables (no schedule array, no
 * round-constant loads, no per-round renaming moves), for lane payloads; and a rolled form
 * (8 unrolled rounds per loop trip over schedule arrays) for merkle pairs, with the constant
 * padding block that ends every 64-byte message precomputed as K + schedule. The rolled form is ~10 % slower on warm pairs but, being small
 * with a loop, V8 optimizes it after a few hundred calls where the unrolled one runs ~4,000
 * calls in the interpreter first (measured in a fresh process: ~100 ms → ~60 ms for the
 * 65,534 pairs of a 65,535-lane pack), which is what `asx pack inspect` pays once.
 * Regenerate after editing this file:
 *
 *   npx tsx -e 'import("./src/core/hash/sha256-gen.ts").then((m) => process.stdout.write(m.sha256UnrolledSource()))' > src/core/hash/sha256-unrolled.ts
 *
 * sha256-gen.test.ts checks the committed file is this generator's output.
 */

/** FIPS 180-4 §4.2.2 round constants. */
export const SHA256_K = [
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

const V = ['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'];

/** Message schedule W[0..63] of a block given as 16 big-endian words. */
export function sha256Schedule(w16: readonly number[]): number[] {
  const w = w16.map((x) => x | 0);
  for (let t = 16; t < 64; t++) {
    const x = w[t - 15], y = w[t - 2];
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[t] = (w[t - 16] + s0 + w[t - 7] + s1) | 0;
  }
  return w;
}

/**
 * 64 rounds. The working variables are renamed instead of moved: round t writes only the
 * variables that play d and h. The schedule runs in w0..w15 (w[t mod 16]).
 */
function roundsCode(): string[] {
  const L: string[] = [];
  for (let t = 0; t < 64; t++) {
    const [a, b, c, d, e, f, g, h] = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => V[(i - (t % 8) + 8) % 8]);
    if (t >= 16) {
      const w = (i: number) => `w${i & 15}`;
      const y = w(t - 2), x = w(t - 15);
      L.push(`  ${w(t)} = (((${y} >>> 17) | (${y} << 15)) ^ ((${y} >>> 19) | (${y} << 13)) ^ (${y} >>> 10)) + ${w(t - 7)} + (((${x} >>> 7) | (${x} << 25)) ^ ((${x} >>> 18) | (${x} << 14)) ^ (${x} >>> 3)) + ${w(t - 16)} | 0;`);
    }
    const add = `${SHA256_K[t] | 0} + w${t & 15}`;
    L.push(`  ${h} = ${h} + (((${e} >>> 6) | (${e} << 26)) ^ ((${e} >>> 11) | (${e} << 21)) ^ ((${e} >>> 25) | (${e} << 7))) + (${g} ^ (${e} & (${f} ^ ${g}))) + ${add} | 0;`);
    L.push(`  ${d} = ${d} + ${h} | 0;`);
    L.push(`  ${h} = ${h} + (((${a} >>> 2) | (${a} << 30)) ^ ((${a} >>> 13) | (${a} << 19)) ^ ((${a} >>> 22) | (${a} << 10))) + ((${a} & ${b}) | (${c} & (${a} | ${b}))) | 0;`);
  }
  return L;
}

const FEED_FORWARD = [
  '  st[0] = st[0] + a | 0; st[1] = st[1] + b | 0; st[2] = st[2] + c | 0; st[3] = st[3] + d | 0;',
  '  st[4] = st[4] + e | 0; st[5] = st[5] + f | 0; st[6] = st[6] + g | 0; st[7] = st[7] + h | 0;',
];

/** Eight rounds at t + k (k = 0..7) inside a loop over t; `add(k)` is K[t+k] + W[t+k]. */
function rolledRounds(add: (k: number) => string): string[] {
  const L: string[] = [];
  for (let k = 0; k < 8; k++) {
    const [a, b, c, d, e, f, g, h] = [0, 1, 2, 3, 4, 5, 6, 7].map((i) => V[(i - k + 8) % 8]);
    L.push(`    ${h} = ${h} + (((${e} >>> 6) | (${e} << 26)) ^ ((${e} >>> 11) | (${e} << 21)) ^ ((${e} >>> 25) | (${e} << 7))) + (${g} ^ (${e} & (${f} ^ ${g}))) + ${add(k)} | 0;`);
    L.push(`    ${d} = ${d} + ${h} | 0;`);
    L.push(`    ${h} = ${h} + (((${a} >>> 2) | (${a} << 30)) ^ ((${a} >>> 13) | (${a} << 19)) ^ ((${a} >>> 22) | (${a} << 10))) + ((${a} & ${b}) | (${c} & (${a} | ${b}))) | 0;`);
  }
  return L;
}

const i32List = (xs: number[]): string => {
  const rows: string[] = [];
  for (let i = 0; i < xs.length; i += 8) rows.push('  ' + xs.slice(i, i + 8).map((x) => String(x | 0)).join(', ') + ',');
  return rows.join('\n');
};

export function sha256UnrolledSource(): string {
  const pad = sha256Schedule([0x80000000, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 512]);
  const kw = pad.map((x, t) => (x + SHA256_K[t]) | 0);
  const load: string[] = [];
  for (let i = 0; i < 16; i++) load.push(`  let w${i} = dv.getInt32(p + ${4 * i});`);
  return [
    '/**',
    ' * GENERATED by src/core/hash/sha256-gen.ts — do not edit; regenerate (see that file).',
    ' * SHA-256 compression (FIPS 180-4 §6.2.2) with rounds and schedule unrolled.',
    ' */',
    '',
    '/** Compress the 64-byte block at byte p of dv (words big-endian) into the state st. */',
    'export function compress(st: Int32Array, dv: DataView, p: number): void {',
    ...load,
    '  let a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6], h = st[7];',
    ...roundsCode(),
    ...FEED_FORWARD,
    '}',
    '',
    '/** Round constants K (rolled form). */',
    'const K = new Int32Array([',
    i32List(SHA256_K),
    ']);',
    '',
    '/** K + schedule of the constant last block of every 64-byte message (rolled form). */',
    'export const PAIR_PADDING_KW = new Int32Array([',
    i32List(kw),
    ']);',
    '',
    'const W = new Int32Array(64);',
    '',
    '/** compress, rolled: the schedule expanded into W, then 8 loop trips of 8 rounds. */',
    'export function compressRolled(st: Int32Array, dv: DataView, p: number): void {',
    '  for (let t = 0; t < 16; t++) W[t] = dv.getInt32(p + 4 * t);',
    '  for (let t = 16; t < 64; t++) {',
    '    const x = W[t - 15], y = W[t - 2];',
    '    W[t] = (((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10)) + W[t - 7] + (((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3)) + W[t - 16] | 0;',
    '  }',
    '  let a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6], h = st[7];',
    '  for (let t = 0; t < 64; t += 8) {',
    ...rolledRounds((k) => `K[t + ${k}] + W[t + ${k}]`),
    '  }',
    ...FEED_FORWARD,
    '}',
    '',
    '/** 64 rounds over `kw` = K + schedule precomputed (rolled). */',
    'export function compressKWRolled(st: Int32Array, kw: Int32Array): void {',
    '  let a = st[0], b = st[1], c = st[2], d = st[3], e = st[4], f = st[5], g = st[6], h = st[7];',
    '  for (let t = 0; t < 64; t += 8) {',
    ...rolledRounds((k) => `kw[t + ${k}]`),
    '  }',
    ...FEED_FORWARD,
    '}',
    '',
  ].join('\n');
}
