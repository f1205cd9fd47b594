import { useEffect, useState } from 'react';
import { formatInt } from '../format';
import { touch, type PackHandle } from '../packRegistry';
import type { PackSection } from '../store';

export const SECTION_COLORS: Record<string, string> = {
  HEADER: '#8a94a3',
  DICT: '#4f9dff',
  INDEX: '#b48cff',
  DATA: '#3fb27f',
  QSCALE: '#e0a43a',
  AUDIT: '#f2b872',
  MERKLE: '#4fd1c5',
  SIGNATURE: '#f0686a',
};

/** Sections drawn to scale (with a minimum width so tiny ones stay clickable). */
export function SectionMap({ sections, fileSize, handle }: { sections: PackSection[]; fileSize: number; handle?: PackHandle }) {
  const [open, setOpen] = useState<PackSection | null>(null);
  const min = 0.6; // percent
  const raw = sections.map((s) => Math.max(min, (100 * s.length) / Math.max(1, fileSize)));
  const total = raw.reduce((a, b) => a + b, 0);
  return (
    <section className="panel" data-testid="section-map">
      <header className="panel-head"><h3>Section map</h3><span className="muted small">to scale · click a section for its bytes</span></header>
      <div className="secmap" role="list">
        {sections.map((s, i) => (
          <button
            key={s.name}
            type="button"
            role="listitem"
            className={`secmap-cell${open?.name === s.name ? ' on' : ''}`}
            style={{ width: `${(raw[i] / total) * 100}%`, background: SECTION_COLORS[s.name] ?? '#666' }}
            onClick={() => setOpen(open?.name === s.name ? null : s)}
            title={`${s.name}: bytes ${s.offset}–${s.offset + s.length - 1} (${formatInt(s.length)} B, ${((100 * s.length) / fileSize).toFixed(2)}%)`}
            data-testid={`section-${s.name}`}
          />
        ))}
      </div>
      <div className="secmap-legend">
        {sections.map((s) => (
          <span key={s.name} className="small"><span className="swatch" style={{ background: SECTION_COLORS[s.name] }} />{s.name} <span className="muted mono">{formatInt(s.length)} B</span></span>
        ))}
      </div>
      <table className="table" data-testid="sections-table">
        <thead>
          <tr><th>Section</th><th className="num">Offset</th><th className="num">Length</th><th /></tr>
        </thead>
        <tbody>
          {sections.map((s) => (
            <tr key={`${s.name}@${s.offset}`} className={open?.name === s.name ? 'sel' : undefined}>
              <td><span className="swatch" style={{ background: SECTION_COLORS[s.name] }} />{s.name}</td>
              <td className="num mono">{formatInt(s.offset)}</td>
              <td className="num mono">{formatInt(s.length)}</td>
              <td className="num"><button type="button" className="link" onClick={() => setOpen(s)} disabled={!handle}>hex</button></td>
            </tr>
          ))}
        </tbody>
      </table>
      {open && handle && <HexView key={open.name} section={open} handle={handle} onClose={() => setOpen(null)} />}
    </section>
  );
}

const PAGE = 512;
/** Every offset in the hex view is hexadecimal (8 digits); the ruler says so. */
const hex8 = (n: number) => n.toString(16).padStart(8, '0');
const HEX_RULER = `offset(h) ${Array.from({ length: 16 }, (_, i) => i.toString(16).padStart(2, '0')).join(' ')}  ascii`;

/** Hex dump of one section, a page at a time (only that page is read from the file). */
export function HexView({ section, handle, onClose }: { section: PackSection; handle: PackHandle; onClose: () => void }) {
  const [page, setPage] = useState(0);
  const [bytes, setBytes] = useState<Uint8Array | null>(null);
  const [err, setErr] = useState<string | null>(null);
  const pages = Math.max(1, Math.ceil(section.length / PAGE));
  useEffect(() => {
    let live = true;
    const off = section.offset + page * PAGE;
    const len = Math.min(PAGE, section.length - page * PAGE);
    if (len <= 0) return;
    handle.reader.source.read(off, len).then(
      (b) => { if (live) { setBytes(b.slice()); setErr(null); touch(handle.id); } },
      (e: unknown) => { if (live) setErr(e instanceof Error ? e.message : String(e)); },
    );
    return () => { live = false; };
  }, [section, page, handle]);
  const rows: string[] = [];
  if (bytes) {
    for (let i = 0; i < bytes.length; i += 16) {
      const chunk = bytes.subarray(i, i + 16);
      const hex = Array.from(chunk, (b) => b.toString(16).padStart(2, '0')).join(' ').padEnd(47, ' ');
      const ascii = Array.from(chunk, (b) => (b >= 32 && b < 127 ? String.fromCharCode(b) : '·')).join('');
      rows.push(`${hex8(section.offset + page * PAGE + i)}  ${hex}  ${ascii}`);
    }
  }
  return (
    <div className="hexview" data-testid="hex-view" data-section={section.name}>
      <header className="panel-head">
        <h3>{section.name} bytes</h3>
        <span className="small mono" data-testid="hex-range">0x{hex8(section.offset)}–0x{hex8(section.offset + section.length - 1)}</span>
        <span className="muted small">(bytes {formatInt(section.offset)}–{formatInt(section.offset + section.length - 1)} in decimal)</span>
        <span className="grow" />
        {pages > 1 && (
          <span className="row gap">
            <button type="button" className="btn btn-small" disabled={page === 0} onClick={() => setPage(page - 1)}>‹</button>
            <span className="small mono">{page + 1}/{pages}</span>
            <button type="button" className="btn btn-small" disabled={page >= pages - 1} onClick={() => setPage(page + 1)}>›</button>
          </span>
        )}
        <button type="button" className="btn btn-small" onClick={onClose} aria-label="Close hex view">×</button>
      </header>
      {err ? <p className="text-error pad">{err}</p> : <pre className="hex mono">{rows.length ? `${HEX_RULER}\n${rows.join('\n')}` : 'empty section'}</pre>}
    </div>
  );
}
