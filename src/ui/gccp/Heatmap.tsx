import { useEffect, useRef } from 'react';

/** One row of cells per value, wrapped into a grid, on a canvas. NaN cells are hatched grey. */
export function Heatmap({ values, max, label, testId, diverging = false }: { values: ArrayLike<number>; max: number; label: string; testId?: string; diverging?: boolean }) {
  const ref = useRef<HTMLCanvasElement>(null);
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
      <canvas ref={ref} width={cols * cell} height={rows * cell} data-testid={testId} aria-label={`${label} heatmap, ${n} values`} />
      <figcaption className="muted small">{label} ({n})</figcaption>
    </figure>
  );
}
