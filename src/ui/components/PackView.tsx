import { formatBytes, formatHex, formatInt, percent } from '../format';
import { usePackHandle } from '../hooks';
import { downloadPack } from '../lib/download';
import type { OpenFile, PackSummary } from '../store';
import { IntegrityBanner } from './Integrity';
import { ManifestView } from './ManifestView';
import { AuditCharts, QscaleTable } from './QuantCharts';
import { SectionMap } from './SectionMap';

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

/** Live "bytes read" of a pack: grows as lanes are decoded. */
export function useBytesRead(pack: PackSummary): number {
  const { handle } = usePackHandle(pack.handle);
  return handle ? handle.counter.bytesRead : pack.bytesRead;
}

export function PackHead({ file, pack }: { file: OpenFile; pack: PackSummary }) {
  const { handle } = usePackHandle(pack.handle);
  return (
    <header className="view-head">
      <h2 className="view-title">{file.name}</h2>
      {file.origin === 'unsaved' && <span className="tag tag-warn" data-testid="unsaved-tag">unsaved</span>}
      {pack.schema && <span className="tag">{pack.schema}</span>}
      <span className="tag" title="header version field">format {formatHex(pack.header.version, 4)}</span>
      <span className="grow" />
      {handle && (
        <button type="button" className={`btn btn-small${file.origin === 'unsaved' ? ' btn-primary' : ''}`} data-testid="download-pack" onClick={() => void downloadPack(handle.blob, file.name.endsWith('.bin') ? file.name : `${file.name}.v2c.bin`)}>
          Download .v2c.bin
        </button>
      )}
    </header>
  );
}

export function PackView({ file, pack }: { file: OpenFile; pack: PackSummary }) {
  const h = pack.header;
  const { handle } = usePackHandle(pack.handle);
  const bytesRead = useBytesRead(pack);
  return (
    <div className="pack-view" data-testid="pack-view" data-file={file.name}>
      <PackHead file={file} pack={pack} />
      <dl className="facts">
        <Fact label="Dims" value={formatInt(h.dims)} testId="fact-dims" />
        <Fact label="Lanes" value={formatInt(h.laneCount)} testId="fact-lanes" />
        <Fact label="Flags" value={formatHex(h.flags)} sub={flagNames(pack)} testId="fact-flags" />
        <Fact label="File size" value={formatBytes(pack.fileSize).split(' (')[0]} sub={`${formatInt(pack.fileSize)} bytes`} testId="fact-size" />
        <Fact
          label="Bytes read"
          value={`${formatInt(bytesRead)} B`}
          sub={`of ${formatInt(pack.fileSize)} (${percent(bytesRead, pack.fileSize)})`}
          testId="fact-bytes-read"
          hint="Opening reads the header, DICT, INDEX and tail sections; lane DATA is read on demand."
        />
      </dl>
      <IntegrityBanner file={file} />
      <SectionMap sections={pack.sections} fileSize={pack.fileSize} handle={handle} />
      <div className="grid2">
        {handle && <QscaleTable handle={handle} />}
        {handle && <AuditCharts handle={handle} />}
      </div>
      {pack.manifestJson !== undefined ? (
        <ManifestView json={pack.manifestJson} fileName={file.name} />
      ) : (
        <section className="panel manifest" data-testid="manifest-pending">
          <header className="panel-head"><h3>Manifest</h3></header>
          <p className="muted pad small">Building the manifest from header, DICT, INDEX and tail sections…</p>
        </section>
      )}
    </div>
  );
}
