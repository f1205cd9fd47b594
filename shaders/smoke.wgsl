// Smoke kernel: doubles every u32 in place (wrapping modulo 2^32, as WGSL u32 arithmetic does).
// Exact integer arithmetic, so the read-back must equal the CPU result bit for bit.

@group(0) @binding(0) var<storage, read_write> data: array<u32>;

@compute @workgroup_size(64)
fn main(@builtin(global_invocation_id) gid: vec3<u32>) {
  let i = gid.x;
  if (i >= arrayLength(&data)) {
    return;
  }
  data[i] = data[i] * 2u;
}
