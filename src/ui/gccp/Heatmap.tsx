/**
 * A π-GCCP heatmap (data from heat.ts, computed in the lab's worker) drawn pixel per cell
 * and scaled up, with its legend: the colour scale, its range and what a cell is.
 */
import { useEffect, useRef } from 'react';
import { colour, EMPTY_RGB, gradientCss, heatPixels, PHASE_MAX, UNDEFINED_RGB, type Heat } from './heat';

const fmt = (n: number) => n.toLocaleString('en-US');
const rgb = (c: readonly number[]) => `rgb(${c.join(' ')})`;
/** Displayed width of a heatmap, CSS pixels. */
const WIDTH = 256;

function Swatch({ c, label }: { c: readonly number[]; label: string }) {
  return <span className="gccp-swatch"><i style={{ background: rgb(c) }} />{label}</span>;
}

function Legend({ h, epsilon }: { h: Heat; epsilon?: number }) {
  const undefinedNote = h.nan > 0 && <Swatch c={h.mode === 'density' ? EMPTY_RGB : UNDEFINED_RGB} label={h.mode === 'density' ? 'no pairs' : `undefined (zero vector): ${fmt(h.nan)}`} />;
  if (h.mode === 'density') {
    return (
      <div className="gccp-legend" data-testid="gccp-legend" data-mode="density">
        <div className="gccp-scale" style={{ background: gradientCss() }} />
        <div className="gccp-ticks"><span>1</span><span>{fmt(h.maxCount)} pairs per bin (log scale)</span></div>
        <div>x: pairs 1–{fmt(h.n)} in {fmt(h.cols)} bins of {fmt(h.per)} · y: phase 0 (bottom) to π rad (top) in {h.rows} bins</div>
        <div><Swatch c={EMPTY_RGB} label="no pairs" />{h.nan > 0 && <> · {fmt(h.nan)} pairs with an undefined phase (zero vector) not shown</>}</div>
      </div>
    );
  }
  if (h.kind === 'phase') {
    return (
      <div className="gccp-legend" data-testid="gccp-legend" data-mode="cells">
        <div className="gccp-scale" style={{ background: gradientCss() }}>
          {epsilon !== undefined && epsilon > 0 && epsilon < PHASE_MAX && <i className="gccp-eps" style={{ left: `${(100 * epsilon) / PHASE_MAX}%` }} title={`ε = ${epsilon}`} />}
        </div>
        <div className="gccp-ticks"><span>0</span><span>π/2</span><span>π rad</span></div>
        <div>one cell per pair, {fmt(h.n)} pairs in rows of {h.cols}{epsilon !== undefined ? ` · white tick: ε = ${epsilon}` : ''}</div>
        {undefinedNote && <div>{undefinedNote}</div>}
      </div>
    );
  }
  if (h.mode === 'mean') {
    return (
      <div className="gccp-legend" data-testid="gccp-legend" data-mode="mean">
        <div className="gccp-scale" style={{ background: gradientCss() }} />
        <div className="gccp-ticks"><span>0</span><span>0.5</span><span>1</span></div>
        <div>mean weight per bin of {fmt(h.per)} pairs (= fraction aligned), {fmt(h.bins)} bins in rows of {h.cols} · aligned: {fmt(h.ones)} of {fmt(h.n)} ({((100 * h.ones) / Math.max(1, h.n - h.nan)).toFixed(1)}%)</div>
        {undefinedNote && <div>{undefinedNote}</div>}
      </div>
    );
  }
  return (
    <div className="gccp-legend" data-testid="gccp-legend" data-mode="cells">
      <div><Swatch c={colour(0)} label="0 rejected" /> <Swatch c={colour(1)} label="1 aligned" /></div>
      <div>one cell per pair, {fmt(h.n)} pairs in rows of {h.cols} · aligned: {fmt(h.ones)} ({((100 * h.ones) / Math.max(1, h.n - h.nan)).toFixed(1)}%)</div>
      {undefinedNote && <div>{undefinedNote}</div>}
    </div>
  );
}

export function Heatmap({ heat, label, testId, epsilon }: { heat: Heat; label: string; testId?: string; epsilon?: number }) {
  const ref = useRef<HTMLCanvasElement>(null);
  useEffect(() => {
    const c = ref.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    ctx.putImageData(new ImageData(heatPixels(heat) as Uint8ClampedArray<ArrayBuffer>, heat.cols, heat.rows), 0, 0);
  }, [heat]);
  const cell = heat.mode === 'density' ? WIDTH / heat.cols : Math.max(2, Math.min(12, Math.floor(WIDTH / heat.cols)));
  const tall = heat.mode === 'density' ? 3 : cell;
  const what = heat.mode === 'density' ? `density of ${fmt(heat.n)} values` : heat.mode === 'mean' ? `${fmt(heat.n)} values, mean per bin of ${fmt(heat.per)}` : `${fmt(heat.n)} values`;
  return (
    <figure className="gccp-heat" data-testid={testId} data-mode={heat.mode} data-n={heat.n}>
      <figcaption className="small"><b>{label}</b> <span className="muted">({what})</span></figcaption>
      <canvas ref={ref} width={heat.cols} height={heat.rows} style={{ width: heat.cols * cell, height: heat.rows * tall }} aria-label={`${label} heatmap, ${what}`} />
      <Legend h={heat} epsilon={heat.kind === 'phase' ? epsilon : undefined} />
    </figure>
  );
}
