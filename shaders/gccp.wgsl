// π-GCCP v1 kernels (§11.1), engineered for determinism and CPU parity (docs/laws-gccp.md).
//
// Stages: ROTATE → MEASURE → ALIGN → SUPPRESS → [SETTLE] → ACCUMULATE → REDUCE… → COLLAPSE.
// Differences from the reference kernels, each forced by a defect in them:
//  * MEASURE computes the angle atan2(|a×b|, a·b) with + − × ÷ only (Cephes atanf
//    polynomial): acos(dot(normalize(a), normalize(b))) may be off by 6.77e-5 and loses
//    all precision near 0 and π.
//  * ALIGN decides phase ≤ ε by the sign of sin(ε)·(a·b) − cos(ε)·|a×b| and sends pairs
//    whose value lies inside a band of ±TAU·(|ax|+|ay|)(|bx|+|by|) to the CPU (the
//    authority) instead of guessing; outside the band the decision provably equals the
//    CPU's on the same f32 inputs.
//  * SUPPRESS is kept as written (weight 0 times SUPPRESS_K stays 0): that is what the
//    authority computes.
//  * ACCUMULATE sums exactly in 320-bit integers (no data race, no float atomics, the
//    same bits for any thread order); COLLAPSE is integer arithmetic on the exact sums
//    and returns 0 for a zero accumulator instead of normalize(0) = NaN, and writes its
//    own output instead of clobbering weight[0].
// Vector components are read as u32 bits (same bytes as §11.1's `Vector`), so subnormal
// inputs are decoded exactly rather than flushed by a float load.

const PI : f32 = 3.141592653589793;
override EPSILON : f32 = 0.1745329; // ~10 degrees
override SUPPRESS_K : f32 = 0.25;
override ROTATION : f32 = 0.0;
// Derived constants: the host passes values computed in double precision; the defaults
// document the relationship.
override SIN_EPS : f32 = sin(EPSILON);
override COS_EPS : f32 = cos(EPSILON);
override SIN_ROT : f32 = sin(ROTATION);
override COS_ROT : f32 = cos(ROTATION);
override TAU : f32 = 8e-6;

const WG : u32 = 64u;
const LIMBS : u32 = 10u;
const REC : u32 = 32u;   // record: X[0..9] Y[10..19] ABS[20..29] count[30] pad[31]

struct Params {
  n : u32,        // vector pairs
  threads : u32,  // ACCUMULATE threads / REDUCE outputs
  src : u32,      // REDUCE / COLLAPSE: first source record
  dst : u32,      // REDUCE: first destination record
  count : u32,    // REDUCE: source records
  per : u32,      // REDUCE: records per thread
  settle : u32,   // SETTLE: entries
  pad : u32,
};

struct Ctl {
  uncertain : atomic<u32>,
  pad0 : u32, pad1 : u32, pad2 : u32,
  items : array<u32>,  // uncertain pair indices; SETTLE reads index | (weight << 31)
};

@group(0) @binding(0) var<storage, read> vecA : array<vec2<u32>>;
@group(0) @binding(1) var<storage, read> vecB : array<vec2<u32>>;
// phase holds f32 bits: a NaN (zero vector) is stored as its bit pattern, never computed.
@group(0) @binding(2) var<storage, read_write> phase : array<u32>;
@group(0) @binding(3) var<storage, read_write> weight : array<f32>;
@group(0) @binding(4) var<storage, read_write> accum : array<u32>;
@group(0) @binding(5) var<storage, read_write> rotB : array<vec2<f32>>;
@group(0) @binding(6) var<storage, read_write> ctl : Ctl;
@group(0) @binding(7) var<storage, read_write> result : array<u32>;
@group(1) @binding(0) var<uniform> P : Params;

fn item(gid : vec3<u32>, nwg : vec3<u32>) -> u32 {
  return gid.x + gid.y * (nwg.x * WG);
}

fn isZero(v : vec2<u32>) -> bool {
  return ((v.x | v.y) & 0x7fffffffu) == 0u;
}

// Unbiased exponent of the top bit of |component| (-1000 for ±0).
fn topExp(bits : u32) -> i32 {
  let e = (bits >> 23u) & 0xffu;
  let m = bits & 0x7fffffu;
  if (e != 0u) { return i32(e) - 127; }
  if (m == 0u) { return -1000; }
  return (31 - i32(countLeadingZeros(m))) - 149;
}

// component · 2^-k rebuilt from its bits (exact unless the result underflows).
fn scaled(bits : u32, k : i32) -> f32 {
  let e = (bits >> 23u) & 0xffu;
  var m = bits & 0x7fffffu;
  var ex : i32 = -149;
  if (e != 0u) { m = m | 0x800000u; ex = i32(e) - 150; }
  if (m == 0u) { return 0.0; }
  let v = ldexp(f32(m), max(ex - k, -200));
  return select(v, -v, (bits & 0x80000000u) != 0u);
}

// Scale by a power of two so the larger component lies in [1, 2): the angle is unchanged.
fn scaleVec(v : vec2<u32>) -> vec2<f32> {
  let k = max(topExp(v.x), topExp(v.y));
  return vec2<f32>(scaled(v.x, k), scaled(v.y, k));
}

fn atanUnit(t : f32) -> f32 {
  var x = t;
  var base = 0.0;
  if (t > 0.41421356) { x = (t - 1.0) / (t + 1.0); base = 0.78539816; }
  let z = x * x;
  var p = 8.05374449538e-2 * z - 1.38776856032e-1;
  p = p * z + 1.99777106478e-1;
  p = p * z - 3.33329491539e-1;
  p = p * z * x + x;
  return base + p;
}

// atan2(c, d) for c ≥ 0, in [0, π].
fn angleBetween(c : f32, d : f32) -> f32 {
  let ad = abs(d);
  var r : f32;
  if (c <= ad) {
    if (ad == 0.0) { r = 0.0; } else { r = atanUnit(c / ad); }
  } else {
    r = 1.5707963267948966 - atanUnit(ad / c);
  }
  if (d < 0.0) { r = PI - r; }
  return r;
}

// ROTATE: vecB scaled to [1,2) and rotated by the profile's rotation.
@compute @workgroup_size(64)
fn rotate(@builtin(global_invocation_id) gid : vec3<u32>, @builtin(num_workgroups) nwg : vec3<u32>) {
  let i = item(gid, nwg);
  if (i >= P.n) { return; }
  let b = vecB[i];
  if (isZero(b)) { rotB[i] = vec2<f32>(0.0, 0.0); return; }
  let s = scaleVec(b);
  rotB[i] = vec2<f32>(s.x * COS_ROT - s.y * SIN_ROT, s.x * SIN_ROT + s.y * COS_ROT);
}

// MEASURE: phase difference; NaN for a pair with a zero vector (as the CPU's acos(NaN)).
@compute @workgroup_size(64)
fn measure(@builtin(global_invocation_id) gid : vec3<u32>, @builtin(num_workgroups) nwg : vec3<u32>) {
  let i = item(gid, nwg);
  if (i >= P.n) { return; }
  let ab = vecA[i];
  if (isZero(ab) || isZero(vecB[i])) { phase[i] = 0x7fc00000u; return; }
  let a = scaleVec(ab);
  let b = rotB[i];
  let dotp = a.x * b.x + a.y * b.y;
  let cr = abs(a.x * b.y - a.y * b.x);
  phase[i] = bitcast<u32>(angleBetween(cr, dotp));
}

// ALIGN: weight 1 iff phase ≤ ε; undecidable pairs are queued for the CPU (weight 0 until settled).
@compute @workgroup_size(64)
fn align(@builtin(global_invocation_id) gid : vec3<u32>, @builtin(num_workgroups) nwg : vec3<u32>) {
  let i = item(gid, nwg);
  if (i >= P.n) { return; }
  let ab = vecA[i];
  if (isZero(ab) || isZero(vecB[i])) { weight[i] = 0.0; return; }
  let a = scaleVec(ab);
  let b = rotB[i];
  let dotp = a.x * b.x + a.y * b.y;
  let cr = abs(a.x * b.y - a.y * b.x);
  let g = SIN_EPS * dotp - COS_EPS * cr;
  let s = (abs(a.x) + abs(a.y)) * (abs(b.x) + abs(b.y));
  if (abs(g) <= TAU * s) {
    weight[i] = 0.0;
    let k = atomicAdd(&ctl.uncertain, 1u);
    ctl.items[k] = i;
  } else {
    weight[i] = select(0.0, 1.0, g > 0.0);
  }
}

// SUPPRESS (§11.1 as written): a rejected weight times SUPPRESS_K is still 0.
@compute @workgroup_size(64)
fn suppress(@builtin(global_invocation_id) gid : vec3<u32>, @builtin(num_workgroups) nwg : vec3<u32>) {
  let i = item(gid, nwg);
  if (i >= P.n) { return; }
  if (weight[i] == 0.0) {
    weight[i] *= SUPPRESS_K;
  }
}

// SETTLE: apply the CPU's decisions for the uncertain band.
@compute @workgroup_size(64)
fn settle(@builtin(global_invocation_id) gid : vec3<u32>, @builtin(num_workgroups) nwg : vec3<u32>) {
  let j = item(gid, nwg);
  if (j >= P.settle) { return; }
  let v = ctl.items[j];
  weight[v & 0x7fffffffu] = f32(v >> 31u);
}

// Add (or subtract) one f32, given by its bits, into the 320-bit integer at acc[base..base+10).
fn addBits(acc : ptr<function, array<u32, 32>>, base : u32, bits : u32, signed : bool) {
  let e = (bits >> 23u) & 0xffu;
  var m = bits & 0x7fffffu;
  if (e != 0u) { m = m | 0x800000u; }
  if (m == 0u) { return; }
  let p = max(e, 1u) - 1u;
  let li = p >> 5u;
  let off = p & 31u;
  let lo = m << off;
  var hi = 0u;
  if (off != 0u) { hi = m >> (32u - off); }
  var j = base + li;
  if (!signed || (bits & 0x80000000u) == 0u) {
    let s0 = (*acc)[j] + lo;
    var carry = select(0u, 1u, s0 < lo);
    (*acc)[j] = s0;
    j = j + 1u;
    let s1 = (*acc)[j] + hi;
    var c1 = select(0u, 1u, s1 < hi);
    let s2 = s1 + carry;
    c1 = c1 + select(0u, 1u, s2 < s1);
    (*acc)[j] = s2;
    carry = c1;
    j = j + 1u;
    loop {
      if (carry == 0u || j >= base + LIMBS) { break; }
      let t = (*acc)[j] + 1u;
      (*acc)[j] = t;
      carry = select(0u, 1u, t == 0u);
      j = j + 1u;
    }
  } else {
    let a0 = (*acc)[j];
    var borrow = select(0u, 1u, a0 < lo);
    (*acc)[j] = a0 - lo;
    j = j + 1u;
    let a1 = (*acc)[j];
    var b1 = select(0u, 1u, a1 < hi);
    let t1 = a1 - hi;
    b1 = b1 + select(0u, 1u, t1 < borrow);
    (*acc)[j] = t1 - borrow;
    borrow = b1;
    j = j + 1u;
    loop {
      if (borrow == 0u || j >= base + LIMBS) { break; }
      let t = (*acc)[j];
      (*acc)[j] = t - 1u;
      borrow = select(0u, 1u, t == 0u);
      j = j + 1u;
    }
  }
}

// ACCUMULATE: thread t sums pairs t, t+T, t+2T, … exactly into its own record.
@compute @workgroup_size(64)
fn accumulate(@builtin(global_invocation_id) gid : vec3<u32>, @builtin(num_workgroups) nwg : vec3<u32>) {
  let t = item(gid, nwg);
  if (t >= P.threads) { return; }
  var acc : array<u32, 32>;
  for (var k = 0u; k < REC; k = k + 1u) { acc[k] = 0u; }
  for (var i = t; i < P.n; i = i + P.threads) {
    if (weight[i] != 0.0) {
      let v = vecA[i];
      addBits(&acc, 0u, v.x, true);
      addBits(&acc, LIMBS, v.y, true);
      addBits(&acc, 2u * LIMBS, v.x & 0x7fffffffu, false);
      addBits(&acc, 2u * LIMBS, v.y & 0x7fffffffu, false);
      acc[30] = acc[30] + 1u;
    }
  }
  let o = t * REC;
  for (var k = 0u; k < REC; k = k + 1u) { accum[o + k] = acc[k]; }
}

// REDUCE: output record j = sum of source records [j·per, (j+1)·per). Integer addition mod 2^320.
@compute @workgroup_size(64)
fn reduce(@builtin(global_invocation_id) gid : vec3<u32>, @builtin(num_workgroups) nwg : vec3<u32>) {
  let j = item(gid, nwg);
  if (j >= P.threads) { return; }
  var acc : array<u32, 32>;
  for (var k = 0u; k < REC; k = k + 1u) { acc[k] = 0u; }
  let first = j * P.per;
  let last = min(first + P.per, P.count);
  for (var r = first; r < last; r = r + 1u) {
    let o = (P.src + r) * REC;
    for (var g = 0u; g < 3u; g = g + 1u) {
      var carry = 0u;
      for (var l = 0u; l < LIMBS; l = l + 1u) {
        let idx = g * LIMBS + l;
        let x = accum[o + idx];
        let s = acc[idx] + x;
        var c = select(0u, 1u, s < x);
        let s2 = s + carry;
        c = c + select(0u, 1u, s2 < s);
        acc[idx] = s2;
        carry = c;
      }
    }
    acc[30] = acc[30] + accum[o + 30u];
  }
  let d = (P.dst + j) * REC;
  for (var k = 0u; k < REC; k = k + 1u) { accum[d + k] = acc[k]; }
}

fn mul64(a : u32, b : u32) -> vec2<u32> {
  let a0 = a & 0xffffu; let a1 = a >> 16u;
  let b0 = b & 0xffffu; let b1 = b >> 16u;
  let p00 = a0 * b0; let p01 = a0 * b1; let p10 = a1 * b0; let p11 = a1 * b1;
  let mid = (p00 >> 16u) + (p01 & 0xffffu) + (p10 & 0xffffu);
  let lo = (p00 & 0xffffu) | (mid << 16u);
  let hi = p11 + (p01 >> 16u) + (p10 >> 16u) + (mid >> 16u);
  return vec2<u32>(lo, hi);
}

fn bitLen(m : ptr<function, array<u32, 10>>) -> u32 {
  for (var l = 9i; l >= 0i; l = l - 1i) {
    let v = (*m)[l];
    if (v != 0u) { return u32(l) * 32u + (32u - countLeadingZeros(v)); }
  }
  return 0u;
}

fn top30(m : ptr<function, array<u32, 10>>, s : u32) -> u32 {
  let li = s >> 5u;
  let off = s & 31u;
  var v = (*m)[li] >> off;
  if (off != 0u && li + 1u < LIMBS) { v = v | ((*m)[li + 1u] << (32u - off)); }
  return v & 0x3fffffffu;
}

// COLLAPSE: score = X / |(X, Y)| from the exact sums, integer-only; 0 for a zero accumulator.
@compute @workgroup_size(1)
fn collapse() {
  let o = P.src * REC;
  var mx : array<u32, 10>;
  var my : array<u32, 10>;
  let negX = (accum[o + 9u] & 0x80000000u) != 0u;
  let negY = (accum[o + 19u] & 0x80000000u) != 0u;
  var cx = 1u; var cy = 1u;
  for (var l = 0u; l < LIMBS; l = l + 1u) {
    var x = accum[o + l];
    var y = accum[o + LIMBS + l];
    if (negX) { x = ~x; let s = x + cx; cx = select(0u, 1u, s < x); x = s; }
    if (negY) { y = ~y; let s = y + cy; cy = select(0u, 1u, s < y); y = s; }
    mx[l] = x; my[l] = y;
  }
  for (var k = 0u; k < REC; k = k + 1u) { result[1u + k] = accum[o + k]; }
  let t = max(bitLen(&mx), bitLen(&my));
  if (t == 0u) { result[0] = 0u; return; }
  // Common shift leaving the larger magnitude with exactly 30 bits (left shift for tiny sums,
  // which then fit in limb 0).
  var x : u32;
  var y : u32;
  if (t >= 30u) {
    x = top30(&mx, t - 30u);
    y = top30(&my, t - 30u);
  } else {
    x = mx[0] << (30u - t);
    y = my[0] << (30u - t);
  }
  let q2 = mul64(x, x);
  let r2 = mul64(y, y);
  let ql = q2.x + r2.x;
  let qh = q2.y + r2.y + select(0u, 1u, ql < q2.x);
  var r = 0u;
  for (var b = 30i; b >= 0i; b = b - 1i) {
    let c = r | (1u << u32(b));
    let cc = mul64(c, c);
    if (cc.y < qh || (cc.y == qh && cc.x <= ql)) { r = c; }
  }
  var ip = 0u;
  if (x >= r) { ip = 1u; }
  var rem = x - ip * r;
  var frac = 0u;
  for (var k = 0u; k < 31u; k = k + 1u) {
    rem = rem << 1u;
    frac = frac << 1u;
    if (rem >= r) { rem = rem - r; frac = frac | 1u; }
  }
  let q = (ip << 31u) | frac;
  var v = 0.0;
  if (q != 0u) {
    let len = 32u - countLeadingZeros(q);
    if (len <= 24u) {
      v = ldexp(f32(q), -31);
    } else {
      let sh = len - 24u;
      var mm = q >> sh;
      let rb = q & ((1u << sh) - 1u);
      let half = 1u << (sh - 1u);
      if (rb > half || (rb == half && (mm & 1u) == 1u)) { mm = mm + 1u; }
      v = ldexp(f32(mm), i32(sh) - 31);
    }
  }
  if (negX) { v = -v; }
  result[0] = bitcast<u32>(v);
}
