import { scaleBand, scaleLinear } from 'd3';
import { useEffect, useMemo, useState } from 'react';
import { fromHex, toHex } from '../../core/bytes/hex';
import { isAsxError } from '../../core/errors';
import { sha256Pair } from '../../core/hash/sha256';
import { merkleProof, verifyProof, type MerkleProof, type ProofCheck } from '../../core/pack/merkle';
import { leafHashes, type Lane } from '../../core/pack/read';
import { downloadBlob } from '../lib/download';
import { proofFileName } from '../lib/lanes';
import { getLane, verifyLaneFresh, type PackHandle } from '../packRegistry';

interface VerifyState { state: 'idle' | 'running' | 'ok' | 'failed'; message?: string; code?: string; offset?: number }

export function LaneDetail({ handle, lane }: { handle: PackHandle; lane: number | null }) {
  const [data, setData] = useState<Lane | null>(null);
  const [loadError, setLoadError] = useState<{ code: string; message: string; offset?: number } | null>(null);
  const [verify, setVerify] = useState<VerifyState>({ state: 'idle' });
  const [proof, setProof] = useState<{ proof: MerkleProof; check: ProofCheck; root: string } | null>(null);
  const [mode, setMode] = useState<'bars' | 'line'>('bars');

  useEffect(() => {
    if (lane === null) return;
    let live = true;
    getLane(handle.id, lane).then(
      (l) => { if (live) setData(l); },
      (e: unknown) => {
        if (!live) return;
        setLoadError(isAsxError(e) ? { code: e.code, message: e.message, offset: e.where.offset } : { code: 'internal', message: String(e) });
      },
    );
    return () => { live = false; };
  }, [handle, lane]);

  if (lane === null) {
    return (
      <aside className="panel lane-detail" data-testid="lane-detail-empty">
        <header className="panel-head"><h3>Lane</h3></header>
        <p className="muted pad">Click a row of the heatmap (or use ↑ ↓) to inspect a lane: its values, leaf hash and merkle proof.</p>
      </aside>
    );
  }
  const r = handle.reader;
  const id = r.ids[lane];
  const sym = r.symOf(lane);
  const laneOffset = lane * r.laneBytes;
  const rootHex = r.merkleRoot ? toHex(r.merkleRoot) : null;

  const runVerify = async () => {
    setVerify({ state: 'running' });
    try {
      const fresh = await verifyLaneFresh(handle.id, lane);
      setVerify({ state: 'ok', message: `read ${fresh.payload.length} bytes at offset ${r.dataStart + laneOffset}, SHA-256 matches the INDEX leaf hash` });
    } catch (e) {
      if (isAsxError(e)) setVerify({ state: 'failed', code: e.code, message: e.message, offset: e.where.offset });
      else setVerify({ state: 'failed', code: 'internal', message: String(e) });
    }
  };
  const runProof = () => {
    const p = merkleProof(leafHashes(r), lane, sym);
    const full: MerkleProof = { ...p, lane_id: id, leaf_index: lane, leaf_count: r.header.laneCount };
    setProof({ proof: full, check: rootHex ? verifyProof(full, rootHex) : { ok: false, code: 'bad_proof', message: 'the pack has no MERKLE root' }, root: rootHex ?? '' });
  };
  const exportProof = () => {
    if (!proof) return;
    const doc = { ...proof.proof, merkle_root: proof.root };
    // Named after the lane id (what the user knows the lane by), made safe for a file name.
    downloadBlob(JSON.stringify(doc, null, 2) + '\n', proofFileName(id, sym), 'application/json');
  };

  return (
    <aside className="panel lane-detail" data-testid="lane-detail" data-lane={id}>
      <header className="panel-head">
        <h3 className="mono ellipsis" title={id}>{id}</h3>
        <span className="tag">{sym}</span>
        {data && <span className="tag">{data.cls}</span>}
      </header>
      <div className="pad">
        {loadError && (
          <div className="issue" data-testid="lane-error"><span className="error-code">{loadError.code}</span> {loadError.message}{loadError.offset !== undefined && <> at byte <span className="mono">{loadError.offset}</span></>}</div>
        )}
        {data && (
          <>
            <div className="row gap">
              <span className="muted small">scale {data.scale.toPrecision(6)} · {data.W.length} dims · DATA offset {r.dataStart + laneOffset}</span>
              <span className="grow" />
              <span className="seg" role="group" aria-label="Plot style">
                <button type="button" className={`btn btn-small${mode === 'bars' ? ' on' : ''}`} onClick={() => setMode('bars')}>bars</button>
                <button type="button" className={`btn btn-small${mode === 'line' ? ' on' : ''}`} onClick={() => setMode('line')}>line</button>
              </span>
            </div>
            <LanePlot values={data.W} mode={mode} />
          </>
        )}
        <dl className="kv">
          <dt>Leaf hash</dt>
          <dd className="mono hash" data-testid="leaf-hash">{toHex(r.leafHashOf(lane))}</dd>
          <dt>Merkle root</dt>
          <dd className="mono hash">{rootHex ?? '— (no MERKLE section)'}</dd>
        </dl>
        <div className="row gap">
          <button type="button" className="btn" onClick={() => void runVerify()} data-testid="verify-lane" disabled={verify.state === 'running'}>Verify lane</button>
          <button type="button" className="btn" onClick={runProof} data-testid="proof-lane" disabled={!rootHex}>Merkle proof</button>
          {proof && <button type="button" className="btn" onClick={exportProof} data-testid="export-proof">Export proof JSON</button>}
        </div>
        {verify.state !== 'idle' && (
          <p className={`verdict ${verify.state}`} data-testid="lane-verify" data-state={verify.state}>
            {verify.state === 'running' && 'Reading and hashing this lane…'}
            {verify.state === 'ok' && <>✓ Lane verified: {verify.message}</>}
            {verify.state === 'failed' && <><span className="error-code">{verify.code}</span> {verify.message}{verify.offset !== undefined && <> (byte <span className="mono" data-testid="lane-verify-offset">{verify.offset}</span>)</>}</>}
          </p>
        )}
        {proof && (
          <div data-testid="proof">
            <p className={`verdict ${proof.check.ok ? 'ok' : 'failed'}`} data-testid="proof-state" data-ok={proof.check.ok ? 'true' : 'false'}>
              {proof.check.ok ? `✓ Inclusion proof verified: ${proof.proof.path.length} steps lead to the pack's MERKLE root` : `✗ ${proof.check.code}: ${proof.check.message}`}
            </p>
            <MerklePath proof={proof.proof} root={proof.root} />
          </div>
        )}
      </div>
    </aside>
  );
}

/** Above this many dims the plot draws one min–max column per bucket of dims, not one bar per dim. */
const PLOT_MAX_BARS = 512;

/** Per bucket of consecutive dims: its first and last dim and the min and max value. */
function envelope(values: Float64Array, buckets: number): Array<{ from: number; to: number; lo: number; hi: number }> {
  const out = [];
  for (let b = 0; b < buckets; b++) {
    const from = Math.floor((b * values.length) / buckets);
    const to = Math.max(from, Math.floor(((b + 1) * values.length) / buckets) - 1);
    let lo = Infinity;
    let hi = -Infinity;
    for (let i = from; i <= to; i++) { const v = values[i]; if (v < lo) lo = v; if (v > hi) hi = v; }
    out.push({ from, to, lo, hi });
  }
  return out;
}

function LanePlot({ values, mode }: { values: Float64Array; mode: 'bars' | 'line' }) {
  const W = 340;
  const H = 150;
  const m = { l: 40, r: 8, t: 8, b: 20 };
  let ext = 1e-9;
  for (let i = 0; i < values.length; i++) ext = Math.max(ext, Math.abs(values[i]));
  const y = scaleLinear().domain([-ext, ext]).range([H - m.b, m.t]).nice();
  const ticks = y.ticks(4);
  // Wide lanes (up to 65,535 dims) as a min–max envelope: a few hundred elements, not one per dim.
  const cols = values.length > PLOT_MAX_BARS ? envelope(values, W - m.l - m.r) : Array.from(values, (v, i) => ({ from: i, to: i, lo: v, hi: v }));
  const x = scaleBand<number>().domain(cols.map((_, i) => i)).range([m.l, W - m.r]).padding(values.length > PLOT_MAX_BARS ? 0 : 0.15);
  const mid = (i: number) => (x(i)! + x.bandwidth() / 2).toFixed(1);
  const line = cols.length === values.length
    ? cols.map((c, i) => `${i ? 'L' : 'M'}${mid(i)},${y(c.lo).toFixed(1)}`).join('')
    : cols.map((c, i) => `${i ? 'L' : 'M'}${mid(i)},${y(c.hi).toFixed(1)}L${mid(i)},${y(c.lo).toFixed(1)}`).join('');
  const label = (c: { from: number; to: number; lo: number; hi: number }) =>
    c.from === c.to ? `dim ${c.from}: ${c.lo.toPrecision(6)}` : `dims ${c.from}–${c.to}: ${c.lo.toPrecision(6)} … ${c.hi.toPrecision(6)}`;
  return (
    <svg className="plot" viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label={cols.length === values.length ? 'Lane values' : `Lane values, min and max of each of ${cols.length} groups of dims`} data-testid="lane-plot" data-columns={cols.length}>
      {ticks.map((t) => (
        <g key={t}>
          <line x1={m.l} x2={W - m.r} y1={y(t)} y2={y(t)} className={t === 0 ? 'axis-zero' : 'grid'} />
          <text x={m.l - 4} y={y(t)} className="tick" textAnchor="end" dominantBaseline="middle">{t}</text>
        </g>
      ))}
      {mode === 'bars'
        ? cols.map((c, i) => {
            const top = y(Math.max(c.hi, 0));
            const bottom = y(Math.min(c.lo, 0));
            return (
              <rect key={i} x={x(i)} width={Math.max(0.6, x.bandwidth())} y={top} height={Math.max(0.5, bottom - top)} className={c.hi + c.lo >= 0 ? 'bar-pos' : 'bar-neg'}>
                <title>{label(c)}</title>
              </rect>
            );
          })
        : <path d={line} className="plot-line" />}
      <text x={m.l} y={H - 6} className="tick" textAnchor="start">0</text>
      <text x={W - m.r} y={H - 6} className="tick" textAnchor="end">{values.length - 1}</text>
    </svg>
  );
}

const short = (h: string) => `${h.slice(0, 8)}…${h.slice(-4)}`;

/** The inclusion proof as a path from the leaf (bottom) to the root (top), siblings beside it. */
function MerklePath({ proof, root }: { proof: MerkleProof; root: string }) {
  const nodes = useMemo(() => {
    const out: Array<{ hash: string; sibling?: string; dir?: 0 | 1 }> = [];
    let h = fromHex(proof.leaf_hash)!;
    for (const step of proof.path) {
      const sib = fromHex(step.sibling_hash)!;
      out.push({ hash: toHex(h), sibling: step.sibling_hash, dir: step.dir });
      h = step.dir === 0 ? sha256Pair(h, sib) : sha256Pair(sib, h);
    }
    out.push({ hash: toHex(h) });
    return out;
  }, [proof]);
  const rowH = 40;
  const W = 340;
  const H = nodes.length * rowH + 8;
  const boxW = 120;
  const cx = W / 2;
  return (
    <svg className="merkle" viewBox={`0 0 ${W} ${H}`} width="100%" role="img" aria-label="Merkle path from leaf to root" data-testid="merkle-path">
      {nodes.map((n, k) => {
        const yy = H - (k + 1) * rowH + 6; // level k from the bottom
        const isRoot = k === nodes.length - 1;
        const onLeft = n.dir === 1; // sibling on the left → our node on the right
        const nodeX = isRoot ? cx - boxW / 2 : onLeft ? cx + 6 : cx - boxW - 6;
        const sibX = onLeft ? cx - boxW - 6 : cx + 6;
        const parentY = yy - rowH + 24;
        return (
          <g key={k}>
            {!isRoot && (
              <>
                <line x1={nodeX + boxW / 2} y1={yy} x2={cx} y2={parentY} className="m-edge path" />
                <line x1={sibX + boxW / 2} y1={yy} x2={cx} y2={parentY} className="m-edge" />
                <rect x={sibX} y={yy} width={boxW} height={22} rx={3} className="m-sib" />
                <text x={sibX + boxW / 2} y={yy + 14} className="m-text" textAnchor="middle">{short(n.sibling!)}<title>{`sibling (${n.dir === 0 ? 'right' : 'left'}): ${n.sibling}`}</title></text>
              </>
            )}
            <rect x={nodeX} y={yy} width={boxW} height={22} rx={3} className={isRoot ? (n.hash === root ? 'm-root ok' : 'm-root bad') : k === 0 ? 'm-leaf' : 'm-node'} />
            <text x={nodeX + boxW / 2} y={yy + 14} className="m-text strong" textAnchor="middle">{isRoot ? `root ${short(n.hash)}` : k === 0 ? `leaf ${short(n.hash)}` : short(n.hash)}<title>{n.hash}</title></text>
          </g>
        );
      })}
    </svg>
  );
}
