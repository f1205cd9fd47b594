// Batch SHA-256 (FIPS 180-4) for pack leaf hashing and merkle levels (issue 9).
// Bit-identical to src/core/hash/sha256.ts: integer arithmetic only (u32 wrap-around).
//
// Byte order. Storage buffers are arrays of u32 read on a little-endian host view, so the
// byte at address b is (data[b >> 2] >> ((b & 3) * 8)) & 0xff. SHA-256 reads its message
// as big-endian words and writes its digest as big-endian words: loads are byte-swapped
// after alignment, and every digest word is byte-swapped before it is stored, so the
// host sees the digest bytes in order.
//
// leaf_hash:    N equal-length messages, contiguous from byte 0 of `msgs` (message i at
//               byte i·length, any alignment), one thread per message → N × 32 bytes.
//               The host pads `msgs` by 8 zero bytes so an unaligned load never reads past
//               the end (the extra bytes are masked off).
// merkle_level: one level of the pack merkle tree (addendum 5): node i of the next level
//               is sha256(left ‖ right) of nodes 2i and 2i+1, the last node paired with
//               itself when the level is odd. Nodes live in one buffer; a level reads
//               nodes [src, src+n) and writes [dst, dst+⌈n/2⌉) (non-overlapping).

struct LeafParams {
  count : u32,   // messages in this dispatch
  length : u32,  // bytes per message
  pad0 : u32,
  pad1 : u32,
};

struct LevelParams {
  n : u32,       // nodes on the input level
  src : u32,     // first input node (in 32-byte nodes)
  dst : u32,     // first output node
  pad : u32,
};

@group(0) @binding(0) var<storage, read> msgs : array<u32>;
@group(0) @binding(1) var<storage, read_write> digests : array<u32>;
@group(0) @binding(2) var<uniform> LP : LeafParams;

@group(0) @binding(3) var<storage, read_write> nodes : array<u32>;
@group(1) @binding(0) var<uniform> MP : LevelParams;

const K = array<u32, 64>(
  0x428a2f98u, 0x71374491u, 0xb5c0fbcfu, 0xe9b5dba5u, 0x3956c25bu, 0x59f111f1u, 0x923f82a4u, 0xab1c5ed5u,
  0xd807aa98u, 0x12835b01u, 0x243185beu, 0x550c7dc3u, 0x72be5d74u, 0x80deb1feu, 0x9bdc06a7u, 0xc19bf174u,
  0xe49b69c1u, 0xefbe4786u, 0x0fc19dc6u, 0x240ca1ccu, 0x2de92c6fu, 0x4a7484aau, 0x5cb0a9dcu, 0x76f988dau,
  0x983e5152u, 0xa831c66du, 0xb00327c8u, 0xbf597fc7u, 0xc6e00bf3u, 0xd5a79147u, 0x06ca6351u, 0x14292967u,
  0x27b70a85u, 0x2e1b2138u, 0x4d2c6dfcu, 0x53380d13u, 0x650a7354u, 0x766a0abbu, 0x81c2c92eu, 0x92722c85u,
  0xa2bfe8a1u, 0xa81a664bu, 0xc24b8b70u, 0xc76c51a3u, 0xd192e819u, 0xd6990624u, 0xf40e3585u, 0x106aa070u,
  0x19a4c116u, 0x1e376c08u, 0x2748774cu, 0x34b0bcb5u, 0x391c0cb3u, 0x4ed8aa4au, 0x5b9cca4fu, 0x682e6ff3u,
  0x748f82eeu, 0x78a5636fu, 0x84c87814u, 0x8cc70208u, 0x90befffau, 0xa4506cebu, 0xbef9a3f7u, 0xc67178f2u,
);

const H0 = array<u32, 8>(
  0x6a09e667u, 0xbb67ae85u, 0x3c6ef372u, 0xa54ff53au, 0x510e527fu, 0x9b05688cu, 0x1f83d9abu, 0x5be0cd19u,
);

fn rotr(x : u32, n : u32) -> u32 {
  return (x >> n) | (x << (32u - n));
}

fn bswap(x : u32) -> u32 {
  return (x << 24u) | ((x & 0xff00u) << 8u) | ((x >> 8u) & 0xff00u) | (x >> 24u);
}

// One compression of the 16 big-endian message words `w` into the state `h`.
fn compress(h : array<u32, 8>, m : array<u32, 16>) -> array<u32, 8> {
  var w = m;
  var a = h[0]; var b = h[1]; var c = h[2]; var d = h[3];
  var e = h[4]; var f = h[5]; var g = h[6]; var hh = h[7];
  for (var t = 0u; t < 64u; t++) {
    var wt : u32;
    if (t < 16u) {
      wt = w[t];
    } else {
      let w15 = w[(t + 1u) & 15u];
      let w2 = w[(t + 14u) & 15u];
      let s0 = rotr(w15, 7u) ^ rotr(w15, 18u) ^ (w15 >> 3u);
      let s1 = rotr(w2, 17u) ^ rotr(w2, 19u) ^ (w2 >> 10u);
      wt = w[t & 15u] + s0 + w[(t + 9u) & 15u] + s1;
      w[t & 15u] = wt;
    }
    let S1 = rotr(e, 6u) ^ rotr(e, 11u) ^ rotr(e, 25u);
    let ch = (e & f) ^ (~e & g);
    let t1 = hh + S1 + ch + K[t] + wt;
    let S0 = rotr(a, 2u) ^ rotr(a, 13u) ^ rotr(a, 22u);
    let maj = (a & b) ^ (a & c) ^ (b & c);
    let t2 = S0 + maj;
    hh = g; g = f; f = e; e = d + t1;
    d = c; c = b; b = a; a = t1 + t2;
  }
  return array<u32, 8>(h[0] + a, h[1] + b, h[2] + c, h[3] + d, h[4] + e, h[5] + f, h[6] + g, h[7] + hh);
}

// Big-endian u32 from the 4 bytes at byte address `o` of `msgs` (any alignment).
fn load_be(o : u32) -> u32 {
  let i = o >> 2u;
  let sh = (o & 3u) * 8u;
  let lo = msgs[i];
  if (sh == 0u) { return bswap(lo); }
  let hi = msgs[i + 1u];
  return bswap((lo >> sh) | (hi << (32u - sh)));
}

// Word at byte `p` of the padded message that starts at `base` and has `len` bytes:
// message bytes, then 0x80, then zeros (the length words are set by the caller).
fn msg_word(base : u32, p : u32, len : u32) -> u32 {
  if (p + 4u <= len) { return load_be(base + p); }
  if (p < len) {
    let keep = len - p;  // 1, 2 or 3 message bytes, in the high bytes of the word
    let w = load_be(base + p) & (0xffffffffu << (32u - keep * 8u));
    return w | (0x80u << (24u - keep * 8u));
  }
  if (p == len) { return 0x80000000u; }
  return 0u;
}

// Invocations per workgroup of leaf_hash: 64, or fewer for a handful of long messages so
// that they spread over more workgroups (cores, on a software adapter).
override LEAF_WG : u32 = 64u;

fn flat_id(gid : vec3<u32>, nwg : vec3<u32>, wg : u32) -> u32 {
  return gid.x + gid.y * nwg.x * wg;
}

@compute @workgroup_size(LEAF_WG)
fn leaf_hash(@builtin(global_invocation_id) gid : vec3<u32>, @builtin(num_workgroups) nwg : vec3<u32>) {
  let i = flat_id(gid, nwg, LEAF_WG);
  if (i >= LP.count) { return; }
  let len = LP.length;
  let base = i * len;
  let blocks = (len + 8u) / 64u + 1u;  // ⌈(len + 9) / 64⌉
  var h = H0;
  for (var k = 0u; k < blocks; k++) {
    let p0 = k * 64u;
    var m : array<u32, 16>;
    if (p0 + 64u <= len) {
      for (var j = 0u; j < 16u; j++) { m[j] = load_be(base + p0 + j * 4u); }
    } else {
      for (var j = 0u; j < 16u; j++) { m[j] = msg_word(base, p0 + j * 4u, len); }
      if (k + 1u == blocks) {
        m[14] = len >> 29u;   // bit length, high word
        m[15] = len << 3u;    // bit length, low word
      }
    }
    h = compress(h, m);
  }
  for (var j = 0u; j < 8u; j++) { digests[i * 8u + j] = bswap(h[j]); }
}

@compute @workgroup_size(64)
fn merkle_level(@builtin(global_invocation_id) gid : vec3<u32>, @builtin(num_workgroups) nwg : vec3<u32>) {
  let i = flat_id(gid, nwg, 64u);
  let outs = (MP.n + 1u) / 2u;
  if (i >= outs) { return; }
  let l = MP.src + 2u * i;
  var r = l + 1u;
  if (2u * i + 1u >= MP.n) { r = l; }  // odd level: the last node pairs with itself
  var m : array<u32, 16>;
  for (var j = 0u; j < 8u; j++) {
    m[j] = bswap(nodes[l * 8u + j]);
    m[j + 8u] = bswap(nodes[r * 8u + j]);
  }
  var h = compress(H0, m);
  // The 64-byte message fills block 1; block 2 is padding only: 0x80, zeros, 512 bits.
  var pad = array<u32, 16>(0x80000000u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 0u, 512u);
  h = compress(h, pad);
  let o = (MP.dst + i) * 8u;
  for (var j = 0u; j < 8u; j++) { nodes[o + j] = bswap(h[j]); }
}
