/**
 * Upload an SVG-tensor's buffers to a WebGPU device (§17.2 binding constraints: STORAGE,
 * COPY_SRC, COPY_DST only — never MAP_WRITE or INDIRECT), copy them to MAP_READ staging
 * buffers and check every byte came back identical. The device is created for this check
 * and destroyed afterwards.
 */
import type { GpuBuffers } from '../../core/svg/webgpu';

const USAGE_MAP_READ = 0x0001;
const USAGE_COPY_SRC = 0x0004;
const USAGE_COPY_DST = 0x0008;
const USAGE_STORAGE = 0x0080;
const MAP_MODE_READ = 0x0001;

export interface GpuUploadResult { ok: boolean; adapter: string; bytes: number; buffers: number; message: string }

const NAMES = ['nodeBuffer', 'edgeBuffer', 'weightBuffer', 'metaBuffer', 'opBuffer', 'valueBuffer', 'idBuffer'] as const;

export async function gpuRoundTrip(b: GpuBuffers): Promise<GpuUploadResult> {
  const gpu = (navigator as Navigator & { gpu?: GPU }).gpu;
  if (!gpu) return { ok: false, adapter: '', bytes: 0, buffers: 0, message: 'WebGPU is not available in this browser' };
  const adapter = await gpu.requestAdapter();
  if (!adapter) return { ok: false, adapter: '', bytes: 0, buffers: 0, message: 'no WebGPU adapter' };
  const info = adapter.info;
  const label = [info?.vendor, info?.architecture || info?.device].filter(Boolean).join(' ') || 'adapter';
  const device = await adapter.requestDevice();
  try {
    let bytes = 0;
    const bad: string[] = [];
    const pairs = NAMES.map((name) => {
      const data = new Uint8Array(b[name].buffer, b[name].byteOffset, b[name].byteLength);
      const size = Math.max(4, Math.ceil(data.byteLength / 4) * 4);
      const padded = new Uint8Array(size);
      padded.set(data);
      const gpuBuf = device.createBuffer({ size, usage: USAGE_STORAGE | USAGE_COPY_DST | USAGE_COPY_SRC, label: `svg-tensor ${name}` });
      device.queue.writeBuffer(gpuBuf, 0, padded);
      const staging = device.createBuffer({ size, usage: USAGE_MAP_READ | USAGE_COPY_DST });
      bytes += data.byteLength;
      return { name, data, size, gpuBuf, staging };
    });
    const enc = device.createCommandEncoder();
    for (const p of pairs) enc.copyBufferToBuffer(p.gpuBuf, 0, p.staging, 0, p.size);
    device.queue.submit([enc.finish()]);
    for (const p of pairs) {
      await p.staging.mapAsync(MAP_MODE_READ);
      const back = new Uint8Array(p.staging.getMappedRange().slice(0));
      p.staging.unmap();
      for (let i = 0; i < p.data.length; i++) if (back[i] !== p.data[i]) { bad.push(p.name); break; }
      p.gpuBuf.destroy();
      p.staging.destroy();
    }
    return {
      ok: bad.length === 0, adapter: label, bytes, buffers: pairs.length,
      message: bad.length ? `read back differs in ${bad.join(', ')}` : `${pairs.length} buffers, ${bytes.toLocaleString('en-US')} bytes uploaded (STORAGE | COPY_SRC | COPY_DST) and read back identical`,
    };
  } finally {
    device.destroy();
  }
}
