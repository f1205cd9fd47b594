import { scaleBand, scaleLinear } from 'd3';
import { CLASS_ORDER, CLASS_QSCALE } from '../../core/pack/classes';
import { CLASS_COLORS } from '../lib/color';
import type { PackHandle } from '../packRegistry';
import { auditAxis, formatShare } from '../lib/auditScale';
import { formatInt } from '../format';

/** QSCALE per class: canonical initial scale vs the stored (tuned) float32. */
export function QscaleTable({ handle }: { handle: PackHandle }) {
  const r = handle.reader;
  if (!r.hasQscale) {
    return (
      <section className="panel" data-testid="qscale">
        <header className="panel-head"><h3>QSCALE</h3></header>
        <p className="muted pad small">No QSCALE section: every class quantizes with scale 1.</p>
      </section>
    );
  }
  const max = Math.max(...CLASS_ORDER.map((c) => Math.max(CLASS_QSCALE[c], r.scales[c])));
  const x = scaleLinear().domain([0, max * 1.05]).range([0, 100]);
  return (
    <section className="panel" data-testid="qscale">
      <header className="panel-head"><h3>QSCALE</h3><span className="muted small">initial (canonical) vs stored (auto-tuned)</span></header>
      <table className="table">
        <thead><tr><th>Class</th><th className="num">Initial</th><th className="num">Stored</th><th className="num">Δ</th><th style={{ width: '40%' }} /></tr></thead>
        <tbody>
          {CLASS_ORDER.map((c) => {
            const init = CLASS_QSCALE[c];
            const cur = r.scales[c];
            const d = cur / Math.fround(init) - 1;
            return (
              <tr key={c} data-testid={`qscale-${c}`}>
                <td><span className="swatch" style={{ background: CLASS_COLORS[c] }} />{c}</td>
                <td className="num mono">{init}</td>
                <td className="num mono">{Number(cur.toPrecision(7))}</td>
                <td className={`num mono ${Math.abs(d) < 1e-7 ? 'muted' : d > 0 ? 'up' : 'down'}`}>{Math.abs(d) < 1e-7 ? '—' : `${d > 0 ? '+' : ''}${(d * 100).toFixed(1)}%`}</td>
                <td>
                  <div className="dual-bar" title={`initial ${init}, stored ${cur}`}>
                    <span className="bar-init" style={{ width: `${x(init)}%` }} />
                    <span className="bar-cur" style={{ width: `${x(cur)}%`, background: CLASS_COLORS[c] }} />
                  </div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/** Saturation audit: clipped fraction per class (and per audited lane) as bar charts. */
export function AuditCharts({ handle }: { handle: PackHandle }) {
  const a = handle.reader.audit;
  if (!a) {
    return (
      <section className="panel" data-testid="audit">
        <header className="panel-head"><h3>Saturation audit</h3></header>
        <p className="muted pad small">No AUDIT section.</p>
      </section>
    );
  }
  const classRows = CLASS_ORDER.map((c) => ({ key: c, label: c, total: a.classes[c].total, clipped: a.classes[c].clipped, color: CLASS_COLORS[c] }));
  const laneRows = a.lanes.map((l) => {
    const i = handle.reader.find(l.sym);
    return { key: l.sym, label: `${l.sym} ${i >= 0 ? handle.reader.ids[i] : ''}`, total: l.total, clipped: l.clipped, color: '#4f9dff' };
  });
  const axis = auditAxis([...classRows, ...laneRows]);
  if (axis.kind === 'none') {
    return (
      <section className="panel" data-testid="audit">
        <header className="panel-head"><h3>Saturation audit</h3><span className="muted small">share of samples with |w·s| ≥ 1 (clipped)</span></header>
        <p className="pad small" data-testid="audit-none">
          No clipping: none of the {formatInt(axis.samples)} audited samples ({classRows.filter((r) => r.total > 0).map((r) => `${r.label} ${formatInt(r.total)}`).join(', ') || 'no class has samples'}{laneRows.length > 0 ? `; ${laneRows.length} lanes audited` : ''}) reached |w·s| ≥ 1.
        </p>
      </section>
    );
  }
  return (
    <section className="panel" data-testid="audit">
      <header className="panel-head"><h3>Saturation audit</h3><span className="muted small">share of samples with |w·s| ≥ 1 (clipped)</span></header>
      <div className="pad">
        <h4 className="sub">Per class</h4>
        <Bars rows={classRows} testId="audit-classes" max={axis.max} />
        {laneRows.length > 0 && (
          <>
            <h4 className="sub">Per lane ({laneRows.length} audited)</h4>
            <Bars rows={laneRows} testId="audit-lanes" max={axis.max} />
          </>
        )}
      </div>
    </section>
  );
}

function Bars({ rows, testId, max }: { rows: Array<{ key: string; label: string; total: number; clipped: number; color: string }>; testId: string; max: number }) {
  const rowH = 18;
  const W = 520;
  const labelW = 190;
  const H = rows.length * rowH + 22;
  const x = scaleLinear().domain([0, max]).range([labelW, W - 60]).nice();
  const y = scaleBand<string>().domain(rows.map((r) => r.key)).range([0, rows.length * rowH]).padding(0.2);
  return (
    <svg viewBox={`0 0 ${W} ${H}`} width="100%" className="bars" data-testid={testId} role="img" aria-label="Clipped share bar chart">
      {x.ticks(4).map((t) => (
        <g key={t}>
          <line x1={x(t)} x2={x(t)} y1={0} y2={rows.length * rowH} className="grid" />
          <text x={x(t)} y={H - 6} className="tick" textAnchor="middle">{formatShare(t)}</text>
        </g>
      ))}
      {rows.map((r) => {
        const ratio = r.total ? r.clipped / r.total : 0;
        return (
          <g key={r.key}>
            <text x={labelW - 6} y={y(r.key)! + y.bandwidth() / 2} className="tick label" textAnchor="end" dominantBaseline="middle">{r.label.length > 30 ? `${r.label.slice(0, 29)}…` : r.label}</text>
            <rect x={labelW} y={y(r.key)} width={Math.max(r.total ? 1 : 0, x(ratio) - labelW)} height={y.bandwidth()} fill={r.color} opacity={r.total ? 0.9 : 0.2} />
            <text x={Math.max(x(ratio), labelW) + 4} y={y(r.key)! + y.bandwidth() / 2} className="tick" dominantBaseline="middle">{r.total ? `${r.clipped}/${r.total}` : 'no samples'}</text>
          </g>
        );
      })}
    </svg>
  );
}
