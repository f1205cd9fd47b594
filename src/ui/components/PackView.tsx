import { formatBytes, formatHex, formatInt, percent } from '../format';
import type { OpenFile, PackSummary } from '../store';
import { ManifestView } from './ManifestView';

function Fact({ label, value, sub, testId, hint }: { label: string; value: string; sub?: string; testId: string; hint?: string }) {
  return (
    <div className="fact" title={hint}>
      <dt>{label}</dt>
      <dd data-testid={testId}>
        {value}
        {sub && <span className="fact-sub">{sub}</span>}
      </dd>
    </div>
  );
}

function flagNames(pack: PackSummary): string {
  // Which optional sections the reader found; the core decides what the bits mean.
  const optional = pack.sections.map((s) => s.name).filter((n) => !['HEADER', 'DICT', 'INDEX', 'DATA'].includes(n));
  return optional.length ? optional.join(' · ') : 'no optional sections';
}

export function PackView({ file, pack }: { file: OpenFile; pack: PackSummary }) {
  const h = pack.header;
  return (
    <div className="pack-view" data-testid="pack-view" data-file={file.name}>
      <header className="view-head">
        <h2 className="view-title">{file.name}</h2>
        {pack.schema && <span className="tag">{pack.schema}</span>}
        <span className="tag" title="header version field">format {formatHex(h.version, 4)}</span>
      </header>
      <dl className="facts">
        <Fact label="Dims" value={formatInt(h.dims)} testId="fact-dims" />
        <Fact label="Lanes" value={formatInt(h.laneCount)} testId="fact-lanes" />
        <Fact label="Flags" value={formatHex(h.flags)} sub={flagNames(pack)} testId="fact-flags" />
        <Fact label="File size" value={formatBytes(pack.fileSize).split(' (')[0]} sub={`${formatInt(pack.fileSize)} bytes`} testId="fact-size" />
        <Fact
          label="Bytes read"
          value={`${formatInt(pack.bytesRead)} B`}
          sub={`of ${formatInt(pack.fileSize)} (${percent(pack.bytesRead, pack.fileSize)})`}
          testId="fact-bytes-read"
          hint="Opening reads the header, DICT, INDEX and tail sections; lane DATA is read on demand."
        />
      </dl>
      <div className="columns">
        <section className="panel sections">
          <header className="panel-head"><h3>Sections</h3></header>
          <table className="table" data-testid="sections-table">
            <thead>
              <tr><th>Section</th><th className="num">Offset</th><th className="num">Length</th></tr>
            </thead>
            <tbody>
              {pack.sections.map((s) => (
                <tr key={`${s.name}@${s.offset}`}>
                  <td>{s.name}</td>
                  <td className="num mono">{formatInt(s.offset)}</td>
                  <td className="num mono">{formatInt(s.length)}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <header className="panel-head"><h3>Lanes</h3><span className="muted small">{formatInt(pack.laneIds.length)} in symbol order</span></header>
          <ol className="lane-list mono" start={0}>
            {pack.laneIds.slice(0, 200).map((id, i) => <li key={i}>{id}</li>)}
            {pack.laneIds.length > 200 && <li className="muted">… {formatInt(pack.laneIds.length - 200)} more</li>}
          </ol>
        </section>
        <ManifestView json={pack.manifestJson} />
      </div>
    </div>
  );
}
