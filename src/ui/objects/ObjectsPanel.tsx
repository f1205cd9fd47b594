/**
 * The Objects tab (issue 10): browse an object server (by default the one `npm start` runs
 * beside the workbench), and for each object run the lawful lifecycle in the browser —
 * resolve → load → verify → project — showing the descriptor, every verification step and
 * the verdict, each projection rendered (and compared byte for byte with what the server
 * itself sends), the server's live events next to the browser's own, and "Open" to hand a
 * verified payload to its face (pack, SVG, lane streams, safetensors). Descriptors can be
 * edited in monaco against the object.v1 schema and re-verified without touching the server.
 */
import { lazy, Suspense, useCallback, useEffect, useMemo, useState, useSyncExternalStore } from 'react';
import { parseDescriptor, type Descriptor } from '../../core/objects/descriptor';
import { ObjectError } from '../../core/objects/errors';
import { createObjectServer, type ObjectResponse } from '../../core/objects/server';
import type { VerifyStep } from '../../core/objects/verify';
import { sha256 } from '../../core/hash/sha256';
import { toHex } from '../../core/bytes/hex';
import { sniffHead, sniffJsonText, SNIFF_HEAD_BYTES, type FileKind } from '../../core/sniff';
import { formatBytes, formatInt } from '../format';
import { routeFiles } from '../router';
import { useWorkbenchStore } from '../StoreContext';
import { idPath, overlayStore, rawProjectionOf } from './httpStore';
import { addModel } from '../tensors/store';
import { currentSession, normalizeBase, sessionFor, type ObjectsSession } from './session';
import './objects.css';

const DescriptorEditor = lazy(() => import('./DescriptorEditor'));

interface Problem { code: string; message: string; path?: string; status?: number }

function problemOf(e: unknown): Problem {
  if (e instanceof ObjectError) return { code: e.code, message: e.message, path: e.path, status: e.status };
  return { code: 'internal', message: e instanceof Error ? e.message : String(e) };
}

function ProblemCard({ p, title }: { p: Problem; title: string }) {
  return (
    <div className="error-card" role="alert" data-testid="objects-error" data-code={p.code}>
      <div className="error-head"><span className="error-code">{p.code}</span><span className="error-title">{title}</span></div>
      <p className="error-message">{p.message}</p>
      {p.path && <p className="muted small">at <code>{p.path}</code></p>}
    </div>
  );
}

const FACE_LABEL: Partial<Record<FileKind, string>> = { pack: 'Inspect', svg: 'SVG', scxq2: 'SVG', streams: 'Compile', safetensors: 'Tensors', fold: 'Gym', 'fold-json': 'Gym' };

function kindOf(bytes: Uint8Array): FileKind {
  const k = sniffHead(bytes.subarray(0, SNIFF_HEAD_BYTES));
  if (k !== 'json') return k;
  return sniffJsonText(new TextDecoder().decode(bytes));
}

/** Declared safetensors (media type or semantics); the core also sniffs, but the button needs to know before reading. */
function isSafetensors(d: Descriptor): boolean {
  const m = d.payload.mime ?? '';
  return m === 'application/vnd.safetensors' || m === 'application/x-safetensors' || d.payload.semantics === 'safetensors';
}

/** Declared weights.v2c-bin pack (media type or semantics). */
function isPack(d: Descriptor): boolean {
  return d.payload.mime === 'application/vnd.asx.weights-v2c' || d.payload.semantics === 'weights.v2c-bin';
}

function fileNameOf(d: Descriptor): string {
  const loc = typeof d.payload.location === 'string' ? d.payload.location.split('/').pop() : undefined;
  return loc && loc !== '.' && loc !== '..' ? loc : d.id.split('/').pop() ?? 'payload';
}

function bodyBytes(r: ObjectResponse & { ok: true }): Uint8Array | null {
  return r.body instanceof Uint8Array ? r.body : null;
}

function hexHead(b: Uint8Array, n = 64): string {
  return Array.from(b.subarray(0, n), (x) => x.toString(16).padStart(2, '0')).join(' ');
}

function useSession(): [ObjectsSession | null, (base: string) => void] {
  const [s, set] = useState<ObjectsSession | null>(() => currentSession());
  const connect = useCallback((base: string) => { set(sessionFor(base)); }, []);
  return [s, connect];
}

export default function ObjectsPanel() {
  const [session, connect] = useSession();
  const [url, setUrl] = useState(() => session?.base ?? `${window.location.origin}/`);
  const [urlError, setUrlError] = useState<string | null>(null);
  const [ids, setIds] = useState<string[] | null>(null);
  const [listError, setListError] = useState<Problem | null>(null);
  const [loading, setLoading] = useState(false);
  const [filter, setFilter] = useState('');
  const [selected, setSelected] = useState<string | null>(null);

  const load = useCallback(async (s: ObjectsSession) => {
    setLoading(true);
    setListError(null);
    try {
      const list = await s.store.list();
      // The event stream is opened only once the URL has answered as an object server.
      s.connectEvents();
      setIds(list);
      setSelected((cur) => (cur && list.includes(cur) ? cur : list[0] ?? null));
    } catch (e) {
      setIds(null);
      setSelected(null);
      setListError(problemOf(e));
    } finally {
      setLoading(false);
    }
  }, []);

  useEffect(() => {
    // First visit: connect to this origin (npm start serves the demo store here).
    if (!session) { connect(url); return; }
    void load(session);
  }, [session, connect, load]); // url: only the first visit reads it

  const submit = (e: React.FormEvent) => {
    e.preventDefault();
    const base = normalizeBase(url);
    if (!base) { setUrlError('Enter an http:// or https:// URL, e.g. http://127.0.0.1:5174/'); return; }
    setUrlError(null);
    setUrl(base);
    if (session?.base === base) void load(session);
    else connect(base);
  };

  const shown = useMemo(() => {
    if (!ids) return [];
    const f = filter.trim().toLowerCase();
    return f ? ids.filter((i) => i.toLowerCase().includes(f)) : ids;
  }, [ids, filter]);

  return (
    <div className="objp">
      <form className="objp-bar panel" onSubmit={submit}>
        <label className="objp-url">
          <span className="muted small">Object server</span>
          <input data-testid="objects-url" className="input mono" value={url} onChange={(e) => setUrl(e.target.value)} spellCheck={false} aria-label="Object server URL" />
        </label>
        <button type="submit" className="btn btn-primary btn-small" data-testid="objects-connect">{session && normalizeBase(url) === session.base ? 'Refresh' : 'Connect'}</button>
        {session && <LiveBadge session={session} />}
        {session && <CacheFigures session={session} connected={ids !== null} />}
        {urlError && <span className="bad small" role="alert">{urlError}</span>}
      </form>
      {listError && <ProblemCard p={listError} title="Could not list the server's objects" />}
      <div className="objp-grid">
        <section className="panel objp-list" aria-label="Objects">
          <div className="panel-head">
            <h3>Objects</h3>
            <span className="muted small" data-testid="objects-count">{ids ? `${formatInt(shown.length)} of ${formatInt(ids.length)}` : loading ? 'loading…' : '—'}</span>
          </div>
          <input className="input objp-filter" placeholder="Filter ids" value={filter} onChange={(e) => setFilter(e.target.value)} data-testid="objects-filter" aria-label="Filter objects" />
          <ul className="objp-ids" role="listbox" aria-label="Object ids">
            {shown.map((id) => (
              <li key={id}>
                <button type="button" role="option" aria-selected={id === selected} className={`objp-id${id === selected ? ' on' : ''}`} data-testid="object-item" data-id={id} onClick={() => setSelected(id)} title={id}>
                  <span className="muted">object://</span>{id.slice('object://'.length)}
                </button>
              </li>
            ))}
          </ul>
        </section>
        <div className="objp-main">
          {session && selected ? <ObjectDetail key={`${session.base} ${selected}`} session={session} id={selected} /> : <p className="panel-empty">{ids && ids.length === 0 ? 'This server holds no objects.' : 'Select an object.'}</p>}
        </div>
        {session && <EventsLog session={session} />}
      </div>
    </div>
  );
}

function LiveBadge({ session }: { session: ObjectsSession }) {
  const snap = useSyncExternalStore(session.subscribe, session.getSnapshot);
  const label = { off: 'events off', connecting: 'connecting…', live: 'live events', retrying: 'events: reconnecting…' }[snap.live];
  return <span className={`objp-live ${snap.live}`} data-testid="objects-live" data-state={snap.live}>● {label}</span>;
}

interface ServerStats { cache: { payloads: { hits: number; misses: number }; projections: { hits: number; misses: number } }; events: number }

function isServerStats(v: unknown): v is ServerStats {
  const c = (v as { cache?: { payloads?: { hits?: unknown }; projections?: { hits?: unknown } } })?.cache;
  return typeof c?.payloads?.hits === 'number' && typeof c?.projections?.hits === 'number';
}

function CacheFigures({ session, connected }: { session: ObjectsSession; connected: boolean }) {
  const snap = useSyncExternalStore(session.subscribe, session.getSnapshot); // re-render on every event
  const s = session.core.stats();
  const [server, setServer] = useState<ServerStats | null>(null);
  const serverEvents = snap.events.filter((r) => r.source === 'server').length;
  // The server's own §15.6 counters (GET /stats on asx serve), refreshed as its events arrive.
  useEffect(() => {
    if (!connected) { setServer(null); return; }
    let live = true;
    const t = setTimeout(() => {
      void fetch(session.store.url('stats'), { cache: 'no-store' })
        .then(async (r) => (r.ok ? (await r.json()) as unknown : null))
        .then((v) => { if (live) setServer(isServerStats(v) ? v : null); })
        .catch(() => { if (live) setServer(null); });
    }, 250);
    return () => { live = false; clearTimeout(t); };
  }, [session, connected, serverEvents]);
  return (
    <span className="muted small objp-cache" data-testid="objects-cache" title="§15.6 caches: descriptors by id, payloads by hash, projections by id + name">
      browser cache: payloads {s.payloads.hits} hit / {s.payloads.misses} miss · projections {s.projections.hits} / {s.projections.misses} · {formatBytes(session.store.bytesReceived)} received
      {server && <span data-testid="objects-server-cache"> · server cache: payloads {server.cache.payloads.hits} / {server.cache.payloads.misses} · projections {server.cache.projections.hits} / {server.cache.projections.misses} · {formatInt(server.events)} events</span>}
    </span>
  );
}

interface Inspection {
  text: string | null;
  descriptor: Descriptor | null;
  descriptorProblem: Problem | null;
  steps: VerifyStep[];
  verdict: { ok: true } | { ok: false; problem: Problem } | null;
  unavailable?: string;
}

async function inspect(session: ObjectsSession, id: string): Promise<Inspection> {
  let text: string | null = null;
  let descriptor: Descriptor | null = null;
  let descriptorProblem: Problem | null = null;
  try {
    const bytes = await session.store.descriptor(id);
    if (bytes) {
      text = new TextDecoder().decode(bytes);
      try { descriptor = parseDescriptor(bytes, id); } catch (e) { descriptorProblem = problemOf(e); }
    } else descriptorProblem = { code: 'not_found', message: 'the server has no descriptor for this id' };
  } catch (e) { descriptorProblem = problemOf(e); }
  const v = await session.core.verify({ path: id });
  return {
    text, descriptor, descriptorProblem, steps: v.steps,
    verdict: v.ok ? { ok: true } : { ok: false, problem: problemOf(v.error) },
    unavailable: session.store.unavailable.get(id),
  };
}

function Verdict({ v, testid = 'object-verdict' }: { v: Inspection['verdict']; testid?: string }) {
  if (!v) return <span className="badge" data-testid={testid} data-state="checking">verifying…</span>;
  return v.ok
    ? <span className="badge objp-ok" data-testid={testid} data-state="verified">verified in this browser</span>
    : <span className="badge objp-bad" data-testid={testid} data-state="failed" title={v.problem.message}>failed: {v.problem.code}</span>;
}

function Steps({ steps }: { steps: VerifyStep[] }) {
  if (steps.length === 0) return null;
  return (
    <ol className="objp-steps" data-testid="object-steps">
      {steps.map((s, i) => (
        <li key={i} className={s.ok ? 'ok' : 'bad'} data-testid="object-step" data-check={s.check} data-ok={s.ok}>
          <span className="objp-step-mark">{s.ok ? '✓' : '✗'}</span> <b>{s.check}</b>{s.detail ? <span className="muted"> — {s.detail}</span> : null}
        </li>
      ))}
    </ol>
  );
}

function ObjectDetail({ session, id }: { session: ObjectsSession; id: string }) {
  const [ins, setIns] = useState<Inspection | null>(null);
  const [editing, setEditing] = useState(false);
  const run = useCallback((fresh: boolean) => {
    setIns(null);
    if (fresh) {
      // "Re-verify" means fetch and hash again: drop what the browser's cache holds for it.
      session.core.invalidate(id);
      const h = ins?.descriptor?.hash;
      if (h) session.core.cache.payloads.delete(h);
    }
    void inspect(session, id).then(setIns);
  }, [session, id, ins]);
  useEffect(() => { run(false); }, [session, id]); // not on `run`: it changes with every result
  const d = ins?.descriptor ?? null;
  return (
    <div className="objp-detail" data-testid="object-detail" data-id={id}>
      <section className="panel">
        <div className="panel-head">
          <h3 className="mono objp-title">{id}</h3>
          <span className="grow" />
          <Verdict v={ins?.verdict ?? null} />
          <button type="button" className="btn btn-small" onClick={() => run(true)} data-testid="object-reverify" title="Fetch and verify again">Re-verify</button>
        </div>
        {d && (
          <dl className="objp-facts">
            <dt>hash</dt><dd className="mono" data-testid="object-hash">{d.hash}</dd>
            <dt>payload</dt><dd>{d.payload.type}{d.payload.mime ? ` · ${d.payload.mime}` : ''}{typeof d.payload.size === 'number' ? ` · ${formatBytes(d.payload.size)}` : ''}</dd>
            <dt>authority</dt><dd>{d.authority ?? 'none'}{d.executable ? ' · executable' : ''}</dd>
            <dt>invariants</dt><dd>{(d.invariants ?? []).map((x) => (typeof x === 'string' ? x : x.name)).join(', ') || '—'}</dd>
            {typeof (d as { description?: unknown }).description === 'string' && <><dt>about</dt><dd>{String((d as { description?: unknown }).description)}</dd></>}
          </dl>
        )}
        {ins?.descriptorProblem && <ProblemCard p={ins.descriptorProblem} title="The descriptor is not a valid object.v1" />}
        {ins && !ins.verdict?.ok && ins.verdict && <ProblemCard p={ins.verdict.problem} title="Verification failed: no projection is made" />}
        {ins?.unavailable && <p className="muted small pad" data-testid="object-unavailable">{ins.unavailable}</p>}
        <div className="pad"><Steps steps={ins?.steps ?? []} /></div>
      </section>
      {d && ins?.verdict?.ok && <Projections session={session} d={d} />}
      <section className="panel objp-desc">
        <div className="panel-head">
          <h3>Descriptor</h3>
          <span className="grow" />
          <button type="button" className={`btn btn-small${editing ? ' on' : ''}`} onClick={() => setEditing(!editing)} data-testid="object-edit" disabled={ins?.text == null}>{editing ? 'Close editor' : 'Edit'}</button>
        </div>
        {editing && ins?.text != null
          ? <DescriptorWorkbench session={session} id={id} original={ins.text} />
          : <pre className="objp-pre" data-testid="object-descriptor">{ins?.text ?? (ins ? '—' : 'loading…')}</pre>}
      </section>
    </div>
  );
}

function Projections({ session, d }: { session: ObjectsSession; d: Descriptor }) {
  const store = useWorkbenchStore();
  const names = Object.keys(d.projections ?? {});
  const [name, setName] = useState<string>(() => (names.includes('default') ? 'default' : names[0] ?? ''));
  const [res, setRes] = useState<ObjectResponse | null>(null);
  const [match, setMatch] = useState<'same' | 'differs' | 'error' | null>(null);
  const raw = rawProjectionOf(d);
  const [opening, setOpening] = useState<string | null>(null);

  useEffect(() => {
    let live = true;
    setRes(null);
    setMatch(null);
    void (async () => {
      const r = await session.core.handle({ path: d.id, projection: name });
      if (!live) return;
      setRes(r);
      // The server's own answer for the same request, compared byte for byte.
      try {
        const s = await fetch(session.store.url(`objects/${d.id.slice('object://'.length)}?projection=${encodeURIComponent(name)}`), { cache: 'no-store' });
        const sb = new Uint8Array(await s.arrayBuffer());
        const mine = r.ok ? bodyBytes(r) : r.body;
        if (live) setMatch(mine && s.status === r.status && toHex(sha256(sb)) === toHex(sha256(mine)) ? 'same' : 'differs');
      } catch { if (live) setMatch('error'); }
    })();
    return () => { live = false; };
  }, [session, d, name]);

  const open = async () => {
    if (!raw) return;
    const r = await session.core.handle({ path: d.id, projection: raw });
    if (!r.ok) { setOpening(`${r.error.code}: ${r.error.message}`); return; }
    const bytes = bodyBytes(r);
    if (!bytes) { setOpening('the payload is not held in memory'); return; }
    setOpening(null);
    await routeFiles(store, [{ file: new File([bytes as Uint8Array<ArrayBuffer>], fileNameOf(d)), name: fileNameOf(d) }]);
  };

  /**
   * safetensors of any size: the Tensors face reads it by HTTP Range from the server (only the
   * header and the tensors looked at), each response pinned to the verified hash by If-Range/ETag.
   */
  const rangeKind = isSafetensors(d) ? 'safetensors' : isPack(d) ? 'pack' : null;
  const byRange = raw && typeof d.payload.size === 'number' && rangeKind ? raw : null;
  const openByRange = () => {
    if (!byRange || typeof d.payload.size !== 'number') return;
    const url = session.store.url(`objects/${idPath(d.id)}?projection=${encodeURIComponent(byRange)}`);
    const remote = { kind: 'http' as const, url, etag: `"${d.hash}"`, size: d.payload.size };
    if (rangeKind === 'safetensors') {
      void addModel({ ...remote, name: fileNameOf(d) });
      store.getState().setPanel('tensors');
    } else {
      store.getState().setPanel('overview');
      void store.getState().openFile(remote, fileNameOf(d), 'remote');
    }
  };

  const ok = res?.ok ? res : null;
  const bytes = ok ? bodyBytes(ok) : null;
  const rawKind = useMemo(() => (ok && name === raw && bytes ? kindOf(bytes) : null), [ok, name, raw, bytes]);
  return (
    <section className="panel" data-testid="object-projections">
      <div className="panel-head">
        <h3>Projections</h3>
        <div className="objp-pnames" role="tablist">
          {names.map((n) => (
            <button key={n} type="button" role="tab" aria-selected={n === name} className={`btn btn-small${n === name ? ' on' : ''}`} onClick={() => setName(n)} data-testid={`projection-${n}`}>{n}</button>
          ))}
        </div>
        <span className="grow" />
        {byRange && <button type="button" className="btn btn-small" onClick={openByRange} data-testid="object-open-range" title="Open in its tab reading only what is shown (header, index, the lanes or tensors you look at) by HTTP Range from the server, which verified the payload">Open by range</button>}
        {raw && <button type="button" className="btn btn-primary btn-small" onClick={() => void open()} data-testid="object-open" title="Verify the payload here and open it in the tab for its type">Open payload</button>}
      </div>
      <div className="pad">
        {opening && <p className="bad small" role="alert">{opening}</p>}
        {!res && <p className="muted">projecting…</p>}
        {res && !res.ok && <ProblemCard p={problemOf(res.error)} title={`Projection ${name} failed`} />}
        {ok && (
          <>
            <p className="muted small" data-testid="projection-meta">
              {ok.status} · {ok.headers['Content-Type'] ?? '—'} · {bytes ? `${formatInt(bytes.length)} bytes · sha256 ${toHex(sha256(bytes)).slice(0, 16)}…` : 'streamed'}
              {' · '}
              <span data-testid="projection-match" data-state={match ?? 'pending'} className={match === 'same' ? 'ok' : match ? 'bad' : ''}>
                {match === 'same' ? 'the server sent identical bytes' : match === 'differs' ? 'the server sent different bytes' : match === 'error' ? 'could not ask the server' : 'comparing with the server…'}
              </span>
            </p>
            {ok.value !== undefined
              ? <pre className="objp-pre" data-testid="projection-body">{JSON.stringify(ok.value, null, 2).slice(0, 200_000)}</pre>
              : bytes && (
                <div data-testid="projection-body">
                  <p className="small">{formatBytes(bytes.length)} binary{rawKind && rawKind !== 'unknown' ? ` · looks like ${rawKind}` : ''}{rawKind && FACE_LABEL[rawKind] ? ` · “Open payload” shows it in ${FACE_LABEL[rawKind]}` : ''}</p>
                  <pre className="objp-pre mono small">{hexHead(bytes)}{bytes.length > 64 ? ' …' : ''}</pre>
                </div>
              )}
          </>
        )}
      </div>
    </section>
  );
}

/** Edit a descriptor in monaco, check it against object.v1 and verify it against the payload, locally. */
function DescriptorWorkbench({ session, id, original }: { session: ObjectsSession; id: string; original: string }) {
  const [text, setText] = useState(original);
  const [check, setCheck] = useState<{ problem: Problem | null; steps: VerifyStep[]; verdict: Inspection['verdict'] } | null>(null);
  const [getText, setGetText] = useState<(() => string) | null>(null);
  const current = () => (getText ? getText() : text);
  const verifyEdited = async () => {
    const t = current();
    setText(t);
    const bytes = new TextEncoder().encode(t);
    let problem: Problem | null = null;
    try { parseDescriptor(bytes, id); } catch (e) { problem = problemOf(e); }
    // A throwaway lifecycle over the server's payloads and this text: nothing is sent anywhere.
    const core = createObjectServer({ store: overlayStore(session.store, id, bytes) });
    core.on(() => {}); // the editor listens, so `auditable` is judged as it is on the server
    const v = await core.verify({ path: id });
    setCheck({ problem, steps: v.steps, verdict: v.ok ? { ok: true } : { ok: false, problem: problemOf(v.error) } });
  };
  const download = () => {
    const blob = new Blob([current()], { type: 'application/json' });
    const a = document.createElement('a');
    a.href = URL.createObjectURL(blob);
    a.download = `${id.split('/').pop() ?? 'descriptor'}.json`;
    a.click();
    setTimeout(() => URL.revokeObjectURL(a.href), 1000);
  };
  return (
    <div className="objp-editor-wrap">
      <div className="objp-editor" data-testid="descriptor-editor">
        <Suspense fallback={<p className="muted pad">Loading editor…</p>}>
          <DescriptorEditor initialValue={original} onReady={(get) => setGetText(() => get)} />
        </Suspense>
      </div>
      <div className="row gap pad">
        <button type="button" className="btn btn-primary btn-small" onClick={() => void verifyEdited()} data-testid="descriptor-verify">Check &amp; verify edited</button>
        <button type="button" className="btn btn-small" onClick={download} data-testid="descriptor-download">Download</button>
        <span className="muted small">Checked against object.v1 and the server's payload here; the server is never changed.</span>
      </div>
      {check && (
        <div className="pad" data-testid="descriptor-check">
          {check.problem ? <ProblemCard p={check.problem} title="The edited descriptor is not valid" /> : <p className="ok small">valid object.v1</p>}
          <Verdict v={check.verdict} testid="descriptor-verdict" />
          <Steps steps={check.steps} />
        </div>
      )}
    </div>
  );
}

function EventsLog({ session }: { session: ObjectsSession }) {
  const snap = useSyncExternalStore(session.subscribe, session.getSnapshot);
  const [source, setSource] = useState<'all' | 'server' | 'browser'>('all');
  const rows = snap.events.filter((r) => source === 'all' || r.source === source).slice(-120).reverse();
  return (
    <section className="panel objp-events" aria-label="Events">
      <div className="panel-head">
        <h3>Events</h3>
        <span className="grow" />
        {(['all', 'server', 'browser'] as const).map((s) => (
          <button key={s} type="button" className={`btn btn-small${source === s ? ' on' : ''}`} onClick={() => setSource(s)} data-testid={`events-${s}`}>{s}</button>
        ))}
      </div>
      <ol className="objp-evlist" data-testid="objects-events">
        {rows.map((r) => (
          <li key={r.seq} data-testid="object-event" data-source={r.source} data-type={r.type} className={r.type === 'object.error' ? 'bad' : ''}>
            <span className={`objp-src ${r.source}`}>{r.source}</span> <b>{r.type.replace('object.', '')}</b> <span className="mono small objp-evdata" title={JSON.stringify(r.data)}>{JSON.stringify(r.data)}</span>
          </li>
        ))}
        {rows.length === 0 && <li className="muted small">No events yet.</li>}
      </ol>
    </section>
  );
}
