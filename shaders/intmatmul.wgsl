// Exact int8 × int8 → i32 matrix product for MX2LM inference (issue 12; docs/laws.md
// MX2LM-INTMATMUL). Bit-identical to the CPU loop (src/gpu/intmatmul.ts cpuIntMatmulReference)
// because integer addition is exact and associative: any order of the partial sums gives the
// same i32 as long as none overflows, and the host refuses shapes where one could
// (|Σ| ≤ cols · 128 · 128 < 2^31 ⇔ cols ≤ 131,071).
//
// Packing. WGSL has no i8 storage type: int8 values travel 4 per u32, little-endian — byte j
// of a word (bits 8j..8j+7) is column 4k + j of the row, as two's complement. Each row of A
// (rows × cols) and of X (batch × cols) is padded with zero bytes to `words` = ⌈cols/4⌉ u32,
// so padded columns add 0·0 = 0. Unpacking: shift the byte to the top and shift back
// arithmetically (sign extension); or, when the adapter has the WGSL language feature
// packed_4x8_integer_dot_product, the host swaps the body of dot4_i8 for dot4I8Packed
// (the text between the two markers below) and prepends the `requires` directive.
//
// intmatmul: one invocation per output element, x = row r (workgroups of 64 rows), y = batch
// index b: out[b·rows + r] = Σ_k dot4_i8(A[r·words + k], X[b·words + k]). Bounds-checked:
// invocations outside rows × batch return before reading; `out` is the only writable binding
// and only indices < batch·rows are written.

struct Params {
  rows : u32,    // rows of A = outputs per batch item
  batch : u32,   // rows of X
  words : u32,   // u32 words per row of A and of X (⌈cols/4⌉)
  pad : u32,
};

@group(0) @binding(0) var<storage, read> a : array<u32>;
@group(0) @binding(1) var<storage, read> x : array<u32>;
@group(0) @binding(2) var<storage, read_write> out : array<i32>;
@group(0) @binding(3) var<uniform> P : Params;

// Σ_{j<4} i8(p, j) · i8(q, j) with i8(w, j) the sign-extended byte j of w.
fn dot4_i8(p : u32, q : u32) -> i32 {
  // @dot4-software-begin
  let p0 = bitcast<i32>(p << 24u) >> 24u;
  let p1 = bitcast<i32>(p << 16u) >> 24u;
  let p2 = bitcast<i32>(p << 8u) >> 24u;
  let p3 = bitcast<i32>(p) >> 24u;
  let q0 = bitcast<i32>(q << 24u) >> 24u;
  let q1 = bitcast<i32>(q << 16u) >> 24u;
  let q2 = bitcast<i32>(q << 8u) >> 24u;
  let q3 = bitcast<i32>(q) >> 24u;
  return p0 * q0 + p1 * q1 + p2 * q2 + p3 * q3;
  // @dot4-software-end
}

@compute @workgroup_size(64)
fn intmatmul(@builtin(global_invocation_id) gid : vec3<u32>) {
  let r = gid.x;
  let b = gid.y;
  if (r >= P.rows || b >= P.batch) {
    return;
  }
  let w = P.words;
  let ra = r * w;
  let rx = b * w;
  var acc = 0i;
  for (var k = 0u; k < w; k = k + 1u) {
    acc = acc + dot4_i8(a[ra + k], x[rx + k]);
  }
  out[b * P.rows + r] = acc;
}
