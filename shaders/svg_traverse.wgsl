// SVG-tensor traversal (§20.7): current node set → outgoing edges → weighted accumulation
// → next node set. Integer arithmetic only (u32 masses, Q16 edge coefficients, integer
// atomics), so every thread order gives the same bits and the CPU mirror
// (src/core/gccp/traverse.ts) matches exactly. Buffers follow §17.2: edges {from, to};
// the coefficient buffer is the quantized projection of the Weight buffer (laws-gccp).

struct Params {
  nodeCount : u32,
  edgeCount : u32,
  step : u32,
  pad : u32,
};

@group(0) @binding(0) var<storage, read> edges : array<vec2<u32>>;
@group(0) @binding(1) var<storage, read> coef : array<u32>;
@group(0) @binding(2) var<storage, read> outDegree : array<u32>;
@group(0) @binding(3) var<storage, read> cur : array<u32>;
@group(0) @binding(4) var<storage, read_write> next : array<atomic<u32>>;
@group(0) @binding(5) var<storage, read_write> flow : array<u32>;
@group(1) @binding(0) var<uniform> P : Params;

// ⌊m · q / 65536⌋ for q ≤ 65536, exactly, in u32.
fn mulQ16(m : u32, q : u32) -> u32 {
  return (m >> 16u) * q + (((m & 0xffffu) * q) >> 16u);
}

@compute @workgroup_size(64)
fn step_edges(@builtin(global_invocation_id) gid : vec3<u32>, @builtin(num_workgroups) nwg : vec3<u32>) {
  let e = gid.x + gid.y * nwg.x * 64u;
  if (e >= P.edgeCount) { return; }
  let ed = edges[e];
  let f = mulQ16(cur[ed.x], coef[e]);
  flow[P.step * P.edgeCount + e] = f;
  if (f != 0u) { atomicAdd(&next[ed.y], f); }
}

// A node without outgoing edges keeps its mass (absorbing).
@compute @workgroup_size(64)
fn step_sinks(@builtin(global_invocation_id) gid : vec3<u32>, @builtin(num_workgroups) nwg : vec3<u32>) {
  let i = gid.x + gid.y * nwg.x * 64u;
  if (i >= P.nodeCount) { return; }
  let m = cur[i];
  if (outDegree[i] == 0u && m != 0u) { atomicAdd(&next[i], m); }
}
