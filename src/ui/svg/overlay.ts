/**
 * The map overlay: every primitive's edges coloured by its weight magnitude (blue low →
 * red high) and the nodes as dots, in the render box's coordinates. Drawn by the worker
 * into an OffscreenCanvas (a 60,000-path file has ~240,000 nodes), and by the page only for
 * the few edges a selected violation highlights.
 */
import type { GpuBuffers } from '../../core/svg/webgpu';
import { META_HEADER_WORDS, META_ELEMENT_WORDS } from '../../core/svg/webgpu';

type Ctx2D = CanvasRenderingContext2D | OffscreenCanvasRenderingContext2D;

export interface OverlayGeometry { box: number; X: (x: number) => number; Y: (y: number) => number }

/** The <img>'s object-fit: contain of width×height in the box, then the viewBox inside it. */
export function overlayGeometry(viewBox: readonly number[], width: number, height: number, box: number): OverlayGeometry {
  const s1 = Math.min(box / width, box / height);
  const rw = width * s1, rh = height * s1;
  const s2 = Math.min(rw / viewBox[2], rh / viewBox[3]);
  const ox = (box - rw) / 2 + (rw - viewBox[2] * s2) / 2, oy = (box - rh) / 2 + (rh - viewBox[3] * s2) / 2;
  return { box, X: (x) => ox + (x - viewBox[0]) * s2, Y: (y) => oy + (y - viewBox[1]) * s2 };
}

function elementEdges(ctx: Ctx2D, b: GpuBuffers, g: OverlayGeometry, k: number): void {
  const n = b.nodeBuffer, e = b.edgeBuffer, m = b.metaBuffer;
  const o = META_HEADER_WORDS + META_ELEMENT_WORDS * k;
  for (let j = m[o + 4]; j < m[o + 4] + m[o + 5]; j++) {
    ctx.moveTo(g.X(n[4 * e[2 * j]]), g.Y(n[4 * e[2 * j] + 1]));
    ctx.lineTo(g.X(n[4 * e[2 * j + 1]]), g.Y(n[4 * e[2 * j + 1] + 1]));
  }
}

export function drawOverlay(ctx: Ctx2D, b: GpuBuffers, g: OverlayGeometry): void {
  ctx.clearRect(0, 0, g.box, g.box);
  const n = b.nodeBuffer, w = b.weightBuffer, m = b.metaBuffer;
  let maxW = 0;
  for (let i = 0; i < w.length; i += 3) maxW = Math.max(maxW, w[i]);
  const elements = (m.length - META_HEADER_WORDS) / META_ELEMENT_WORDS;
  // one path per colour bucket (32 hues) instead of one stroke per element
  const buckets: number[][] = Array.from({ length: 32 }, () => []);
  let prim = 0;
  for (let k = 0; k < elements; k++) {
    const kind = (m[META_HEADER_WORDS + META_ELEMENT_WORDS * k] >> 8) & 15;
    if (kind < 2) continue;
    const t = maxW > 0 ? w[3 * prim] / maxW : 0;
    prim++;
    buckets[Math.min(31, Math.floor(t * 32))].push(k);
  }
  ctx.lineWidth = 1.5;
  buckets.forEach((ks, i) => {
    if (!ks.length) return;
    ctx.strokeStyle = `hsl(${220 - 200 * ((i + 0.5) / 32)} 90% 60%)`;
    ctx.beginPath();
    for (const k of ks) elementEdges(ctx, b, g, k);
    ctx.stroke();
  });
  ctx.fillStyle = '#ffd54f';
  const count = n.length / 4;
  if (count > 2000) {
    // many nodes: 1.6 px squares (arcs cost ~20× more and are invisible at this size)
    for (let i = 0; i < n.length; i += 4) ctx.fillRect(g.X(n[i]) - 0.8, g.Y(n[i + 1]) - 0.8, 1.6, 1.6);
  } else {
    for (let i = 0; i < n.length; i += 4) { ctx.beginPath(); ctx.arc(g.X(n[i]), g.Y(n[i + 1]), 1.8, 0, 2 * Math.PI); ctx.fill(); }
  }
}

/** Elements linked from a selected violation: thick magenta edges (a group: its primitives). */
export function drawHighlight(ctx: Ctx2D, b: GpuBuffers, g: OverlayGeometry, highlight: Iterable<number>): void {
  ctx.clearRect(0, 0, g.box, g.box);
  ctx.strokeStyle = '#ff2bd6';
  ctx.lineWidth = 4;
  ctx.beginPath();
  for (const k of highlight) elementEdges(ctx, b, g, k);
  ctx.stroke();
}
