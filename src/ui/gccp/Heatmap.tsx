import { useEffect, useMemo, useRef } from 'react';

/** One row of cells per value, wrapped into a grid, on a canvas. NaN cells are hatched grey. */
const MAX_CELLS = 64 * 128;

/** Average runs of values into at most MAX_CELLS cells (NaN only if a whole run is NaN). */
function bucket(values: ArrayLike<number>): { cells: ArrayLike<number>; per: number } {
  if (values.length <= MAX_CELLS) return { cells: values, per: 1 };
  const per = Math.ceil(values.length / MAX_CELLS);
  const out = new Float64Array(Math.ceil(values.length / per));
  for (let c = 0; c < out.length; c++) {
    let s = 0, k = 0;
    for (let i = c * per; i < Math.min(values.length, (c + 1) * per); i++) if (!Number.isNaN(values[i])) { s += values[i]; k++; }
    out[c] = k ? s / k : NaN;
  }
  return { cells: out, per };
}

export function Heatmap({ values: raw, max, label, testId, diverging = false }: { values: ArrayLike<number>; max: number; label: string; testId?: string; diverging?: boolean }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const { cells: values, per } = useMemo(() => bucket(raw), [raw]);
  const n = values.length;
  const cols = Math.max(1, Math.min(64, Math.ceil(Math.sqrt(n * 2))));
  const rows = Math.max(1, Math.ceil(n / cols));
  const cell = Math.max(2, Math.min(12, Math.floor(256 / cols)));
  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    ctx.clearRect(0, 0, c.width, c.height);
    for (let i = 0; i < n; i++) {
      const v = values[i];
      const x = (i % cols) * cell, y = Math.floor(i / cols) * cell;
      if (Number.isNaN(v)) { ctx.fillStyle = '#555'; ctx.fillRect(x, y, cell, cell); ctx.fillStyle = '#222'; ctx.fillRect(x, y, cell / 2, cell / 2); continue; }
      const t = Math.max(0, Math.min(1, v / max));
      ctx.fillStyle = diverging ? `hsl(${210 - 210 * t}, 70%, ${25 + 35 * t}%)` : `hsl(${240 - 240 * t}, 80%, ${15 + 45 * t}%)`;
      ctx.fillRect(x, y, cell, cell);
    }
  }, [values, max, n, cols, cell, diverging]);
  return (
    <figure className="gccp-heat">
      <canvas ref={ref} width={cols * cell} height={rows * cell} data-testid={testId} aria-label={`${label} heatmap, ${raw.length} values`} />
      <figcaption className="muted small">{label} ({raw.length}{per > 1 ? `, ${per} per cell` : ''})</figcaption>
    </figure>
  );
}
