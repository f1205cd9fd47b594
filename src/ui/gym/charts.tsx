/**
 * The Gym's live charts: loss/perplexity curves, per-tensor gradient norms, histograms and a
 * delta heatmap. Plain SVG (and one canvas) drawn from plain arrays; d3 only for scales. The
 * data arrive throttled from the training worker, so each render is a few hundred elements.
 */
import { useEffect, useMemo, useRef } from 'react';
import { scaleBand, scaleLinear, scaleLog } from 'd3';
import { chooseScale, lutFor, lutIndex, type HeatScale } from '../lib/color';
import { HeatLegend } from '../components/Heatmap';
import type { Histogram, TensorView } from './protocol';

export interface Series { name: string; color: string; points: ReadonlyArray<readonly [number, number]>; dashed?: boolean }

const W = 520;
const H = 200;
const M = { l: 52, r: 12, t: 10, b: 28 };

function fmt(v: number): string {
  if (v === 0) return '0';
  const a = Math.abs(v);
  if (a >= 1e4 || a < 1e-3) return v.toExponential(1);
  if (a >= 100) return v.toFixed(0);
  if (a >= 10) return v.toFixed(1);
  return Number(v.toPrecision(3)).toString();
}

/** Lines over a shared x (steps); log y when asked and every value is positive. */
export function LineChart({ series, xLabel, yLabel, log = false, testId }: { series: Series[]; xLabel: string; yLabel: string; log?: boolean; testId: string }) {
  const all = series.flatMap((s) => s.points);
  if (all.length === 0) {
    return <div className="gym-chart-empty muted small" data-testid={testId} data-points={0}>{yLabel}: no points yet</div>;
  }
  const xs = all.map((p) => p[0]);
  const ys = all.map((p) => p[1]).filter((y) => Number.isFinite(y));
  const x0 = Math.min(...xs);
  const x1 = Math.max(...xs, x0 + 1);
  let y0 = Math.min(...ys);
  let y1 = Math.max(...ys);
  if (y0 === y1) { y0 -= Math.abs(y0) * 0.05 + 1e-9; y1 += Math.abs(y1) * 0.05 + 1e-9; }
  const useLog = log && y0 > 0;
  const x = scaleLinear().domain([x0, x1]).range([M.l, W - M.r]);
  const y = (useLog ? scaleLog().domain([y0, y1]) : scaleLinear().domain([y0, y1]).nice()).range([H - M.b, M.t]);
  const yTicks = useLog ? y.ticks(4).filter((_, i, a) => a.length <= 6 || i % Math.ceil(a.length / 5) === 0) : y.ticks(4);
  return (
    <figure className="gym-chart" data-testid={testId} data-points={all.length}>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={`${yLabel} by ${xLabel}`}>
        {yTicks.map((t) => (
          <g key={`y${t}`}>
            <line x1={M.l} x2={W - M.r} y1={y(t)} y2={y(t)} className="grid" />
            <text x={M.l - 4} y={y(t)} className="tick" textAnchor="end" dominantBaseline="middle">{fmt(t)}</text>
          </g>
        ))}
        {x.ticks(5).map((t) => (
          <text key={`x${t}`} x={x(t)} y={H - M.b + 14} className="tick" textAnchor="middle">{fmt(t)}</text>
        ))}
        <text x={(M.l + W - M.r) / 2} y={H - 2} className="tick" textAnchor="middle">{xLabel}</text>
        {series.map((s) => {
          const pts = s.points.filter((p) => Number.isFinite(p[1]));
          if (pts.length === 0) return null;
          const d = pts.map((p, i) => `${i ? 'L' : 'M'}${x(p[0]).toFixed(1)} ${y(p[1]).toFixed(1)}`).join('');
          return (
            <g key={s.name}>
              <path d={d} fill="none" stroke={s.color} strokeWidth={1.5} strokeDasharray={s.dashed ? '4 3' : undefined} />
              {pts.length < 40 && pts.map((p) => <circle key={p[0]} cx={x(p[0])} cy={y(p[1])} r={2} fill={s.color} />)}
            </g>
          );
        })}
      </svg>
      <figcaption className="gym-legend small">
        <span className="muted">{yLabel}{useLog ? ' (log)' : ''}</span>
        {series.map((s) => {
          const last = s.points[s.points.length - 1];
          return (
            <span key={s.name} className="gym-legend-item">
              <span className="swatch" style={{ background: s.color }} />{s.name}{last ? <span className="mono"> {fmt(last[1])}</span> : null}
            </span>
          );
        })}
      </figcaption>
    </figure>
  );
}

/** Horizontal bars: one value per named row (gradient norm per tensor). */
export function NamedBars({ rows, testId, unit }: { rows: Array<{ name: string; value: number }>; testId: string; unit: string }) {
  if (rows.length === 0) return <div className="gym-chart-empty muted small" data-testid={testId}>no values yet</div>;
  const rowH = 18;
  const labelW = 150;
  const h = rows.length * rowH + 20;
  const max = Math.max(...rows.map((r) => r.value), 1e-12);
  const x = scaleLinear().domain([0, max]).range([labelW, W - 70]).nice();
  const y = scaleBand<string>().domain(rows.map((r) => r.name)).range([0, rows.length * rowH]).padding(0.2);
  return (
    <svg viewBox={`0 0 ${W} ${h}`} width="100%" className="bars" data-testid={testId} role="img" aria-label={`${unit} per tensor`}>
      {rows.map((r) => (
        <g key={r.name} data-name={r.name} data-value={r.value}>
          <text x={labelW - 6} y={y(r.name)! + y.bandwidth() / 2} className="tick label" textAnchor="end" dominantBaseline="middle">{r.name}</text>
          <rect x={labelW} y={y(r.name)} width={Math.max(1, x(r.value) - labelW)} height={y.bandwidth()} fill="#4f9dff" />
          <text x={x(r.value) + 4} y={y(r.name)! + y.bandwidth() / 2} className="tick" dominantBaseline="middle">{fmt(r.value)}</text>
        </g>
      ))}
      <text x={labelW} y={h - 4} className="tick">{unit}</text>
    </svg>
  );
}

/** A histogram of equal-width bins over [lo, hi]; counts on a square-root axis so tails show. */
export function HistogramChart({ h, label, color, testId }: { h: Histogram | null; label: string; color: string; testId: string }) {
  if (!h || h.counts.length === 0) return <div className="gym-chart-empty muted small" data-testid={testId}>{label}: no values yet</div>;
  const n = h.counts.length;
  const max = Math.max(...h.counts, 1);
  const bw = (W - M.l - M.r) / n;
  const y = (c: number) => (H - M.b) - (Math.sqrt(c) / Math.sqrt(max)) * (H - M.b - M.t);
  const total = h.counts.reduce((a, b) => a + b, 0);
  return (
    <figure className="gym-chart" data-testid={testId} data-total={total}>
      <svg viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={`${label} histogram`}>
        {h.counts.map((c, i) => (c > 0 ? <rect key={i} x={M.l + i * bw} y={y(c)} width={Math.max(0.5, bw - 0.5)} height={H - M.b - y(c)} fill={color} /> : null))}
        <line x1={M.l} x2={W - M.r} y1={H - M.b} y2={H - M.b} className="grid" />
        <text x={M.l} y={H - M.b + 14} className="tick">{fmt(h.lo)}</text>
        <text x={W - M.r} y={H - M.b + 14} className="tick" textAnchor="end">{fmt(h.hi)}</text>
        <text x={(M.l + W - M.r) / 2} y={H - 2} className="tick" textAnchor="middle">{label}</text>
        <text x={M.l - 4} y={M.t + 6} className="tick" textAnchor="end">{max.toLocaleString('en-US')}</text>
      </svg>
      <figcaption className="gym-legend small muted">{total.toLocaleString('en-US')} values, {n} bins, √count axis</figcaption>
    </figure>
  );
}

/** A downsampled tensor (rows × cols cells) on a diverging scale centred on 0. */
export function TensorHeat({ view, testId }: { view: TensorView; testId: string }) {
  const ref = useRef<HTMLCanvasElement>(null);
  const scale: HeatScale = useMemo(() => chooseScale({ min: Math.min(view.lo, -Math.abs(view.hi)), max: Math.max(view.hi, Math.abs(view.lo)) }), [view.lo, view.hi]);
  useEffect(() => {
    const c = ref.current;
    if (!c) return;
    c.width = view.cols;
    c.height = view.rows;
    const ctx = c.getContext('2d');
    if (!ctx) return;
    const img = ctx.createImageData(view.cols, view.rows);
    const words = new Uint32Array(img.data.buffer);
    const lut = lutFor(scale.kind);
    for (let i = 0; i < view.values.length; i++) words[i] = lut[lutIndex(view.values[i], scale)];
    ctx.putImageData(img, 0, 0);
  }, [view, scale]);
  return (
    <figure className="gym-heat" data-testid={testId} data-name={view.name}>
      <canvas ref={ref} className="gym-heat-canvas" style={{ aspectRatio: `${view.cols} / ${view.rows}` }} />
      <HeatLegend scale={scale} pending={false} label={view.name} testId={`${testId}-legend`} />
    </figure>
  );
}
