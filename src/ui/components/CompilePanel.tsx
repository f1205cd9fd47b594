import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { isAsxError } from '../../core/errors';
import { keyFingerprint, parseSeed, publicKeyOf } from '../../core/pack/sign';
import type { BuildRequest, BuildResponse } from '../../worker/buildProtocol';
import type { EditorMarker, StreamsEditorApi } from '../compile/StreamsEditor';
import { subscribeInbox, takeInbox } from '../inbox';
import { formatInt } from '../format';
import { readFileBytes } from '../lib/download';
import { lineCol, locatePath } from '../lib/jsonPath';
import { useWorkbenchStore } from '../StoreContext';

const StreamsEditor = lazy(() => import('../compile/StreamsEditor'));

export const STARTER = `{
  "streams": {
    "policy": [0.1, 0.4, 0.8, 0.6, 0.2, -0.1, -0.3, -0.2, 0.1, 0.5, 0.9, 0.7],
    "attention": [0.9, 0.7, 0.4, 0.1, -0.2, -0.4, -0.1, 0.3, 0.6, 0.8, 0.5, 0.2],
    "value": [0.0, 0.2, 0.3, 0.5, 0.4, 0.6, 0.7, 0.6, 0.8, 0.9, 0.7, 0.8]
  },
  "config": {
    "windows": 4,
    "a": "policy",
    "b": "attention"
  }
}
`;

let worker: Worker | null = null;
let nextId = 0;
const waiting = new Map<number, (r: BuildResponse) => void>();

function buildWorker(): Worker {
  if (!worker) {
    worker = new Worker(new URL('../../worker/build.worker.ts', import.meta.url), { type: 'module', name: 'asx-build' });
    worker.onmessage = (ev: MessageEvent<BuildResponse>) => {
      waiting.get(ev.data.id)?.(ev.data);
      waiting.delete(ev.data.id);
    };
  }
  return worker;
}

function build(text: string, seed?: Uint8Array): Promise<BuildResponse> {
  nextId += 1;
  const id = nextId;
  return new Promise((resolve) => {
    waiting.set(id, resolve);
    const req: BuildRequest = { id, text, seed };
    buildWorker().postMessage(req);
  });
}

interface Outcome { ok: boolean; text: string; code?: string; path?: string; where?: string }

export function CompilePanel() {
  const store = useWorkbenchStore();
  // The editor owns the text; this ref only holds it until the editor has mounted.
  const pendingText = useRef(STARTER);
  const [loadedFrom, setLoadedFrom] = useState<string | null>(null);
  const [marker, setMarker] = useState<EditorMarker | null>(null);
  const [outcome, setOutcome] = useState<Outcome | null>(null);
  const [busy, setBusy] = useState(false);
  const [name, setName] = useState('compiled');
  const [seed, setSeed] = useState<{ seed: Uint8Array; fp: string } | null>(null);
  const api = useRef<StreamsEditorApi | null>(null);
  const keyInput = useRef<HTMLInputElement>(null);
  const counter = useRef(0);
  const badChars = [...new Set(name.replace(/[A-Za-z0-9_.-]/g, ''))];

  const currentText = () => api.current?.getValue() ?? pendingText.current;
  const setText = (t: string) => {
    pendingText.current = t;
    api.current?.setValue(t);
  };

  // Lane-streams files dropped anywhere (or picked) are routed here by the window's router.
  useEffect(() => {
    const take = () => {
      const items = takeInbox('compile');
      const last = items[items.length - 1];
      if (!last) return;
      void last.file.text().then((t) => {
        setText(t);
        setLoadedFrom(last.name);
        setOutcome(null);
        setMarker(null);
        const base = last.name.replace(/\.json$/i, '').replace(/\.streams$/i, '').replace(/[^A-Za-z0-9_.-]/g, '_');
        if (base) setName(base);
      });
    };
    take();
    return subscribeInbox('compile', take);
  }, []);

  const run = async () => {
    if (badChars.length > 0) return;
    const text = currentText();
    setBusy(true);
    setOutcome(null);
    setMarker(null);
    const res = await build(text, seed?.seed);
    setBusy(false);
    if (!res.ok) {
      let range = res.path ? locatePath(text, res.path) : null;
      if (!range && res.offset !== undefined) range = { start: res.offset, end: res.offset + 1 };
      const where = range ? `line ${lineCol(text, range.start).line}, column ${lineCol(text, range.start).column}` : undefined;
      setOutcome({ ok: false, text: res.message, code: res.code, path: res.path, where });
      if (range) setMarker({ ...range, message: `${res.code}: ${res.message}` });
      return;
    }
    counter.current += 1;
    const file = `${name || 'compiled'}${counter.current > 1 ? `-${counter.current}` : ''}.v2c.bin`;
    setOutcome({ ok: true, text: `Built ${file}: ${res.lanes} lanes × ${res.dims} dims, ${formatInt(res.bytes.length)} bytes in ${res.ms.toFixed(0)} ms${seed ? `, signed by ${seed.fp}` : ''}` });
    await store.getState().openFile(new Blob([res.bytes as BlobPart]), file, 'unsaved');
    store.getState().setPanel('overview');
  };

  const loadDemo = async () => {
    try {
      const res = await fetch(new URL('demo/demo-streams-a.json', new URL(import.meta.env.BASE_URL, window.location.href)));
      if (!res.ok) throw new Error(`HTTP ${res.status}`);
      const t = await res.text();
      setText(t);
      setLoadedFrom('demo-streams-a.json');
    } catch (e) {
      setOutcome({ ok: false, code: 'io_error', text: `Could not load the demo streams: ${e instanceof Error ? e.message : String(e)}` });
    }
  };
  const loadKey = async (f: File) => {
    try {
      const s = parseSeed(await readFileBytes(f));
      setSeed({ seed: s, fp: keyFingerprint(publicKeyOf(s)) });
    } catch (e) {
      setOutcome({ ok: false, code: isAsxError(e) ? e.code : 'bad_key', text: e instanceof Error ? e.message : String(e) });
    }
  };

  return (
    <div className="compile" data-testid="compile-panel">
      <header className="view-head">
        <h2 className="view-title">Compile lane streams</h2>
        <span className="muted small">JSON schema: live validation and completion (Ctrl+Space). The build runs in a Web Worker.</span>
        <span className="grow" />
        <button type="button" className="btn btn-small" onClick={() => void loadDemo()} data-testid="compile-load-demo">Load demo streams</button>
        <button type="button" className="btn btn-small" onClick={() => { setText(STARTER); setLoadedFrom(null); }}>Reset</button>
      </header>
      <div className="compile-bar">
        <label className="small">Name <input className="input" value={name} onChange={(e) => setName(e.target.value)} data-testid="compile-name" aria-invalid={badChars.length > 0} aria-describedby="compile-name-hint" /></label>
        {badChars.length > 0 && (
          <span className="text-error small" id="compile-name-hint" data-testid="compile-name-error">
            Not allowed in a pack name: {badChars.map((c) => (c === ' ' ? 'space' : `“${c}”`)).join(' ')} (use letters, digits, _ . -)
          </span>
        )}
        {loadedFrom && <span className="muted small" data-testid="compile-loaded">from {loadedFrom}</span>}
        <button type="button" className="btn btn-small" onClick={() => keyInput.current?.click()}>{seed ? `Sign: ${seed.fp}` : 'Sign with key file…'}</button>
        <input ref={keyInput} type="file" hidden data-testid="compile-key-input" onChange={(e) => { const f = e.currentTarget.files?.[0]; e.currentTarget.value = ''; if (f) void loadKey(f); }} />
        <span className="grow" />
        <button type="button" className="btn btn-primary" onClick={() => void run()} disabled={busy || badChars.length > 0} data-testid="compile-run">{busy ? 'Building…' : 'Compile → open pack'}</button>
      </div>
      {outcome && (
        <div className={`verdict ${outcome.ok ? 'ok' : 'failed'}`} data-testid="compile-result" data-ok={outcome.ok ? 'true' : 'false'}>
          {outcome.ok ? outcome.text : (
            <>
              <span className="error-code" data-testid="compile-error-code">{outcome.code}</span> {outcome.text}
              {outcome.path && <> at <span className="mono" data-testid="compile-error-path">{outcome.path}</span></>}
              {outcome.where && <span className="muted"> ({outcome.where})</span>}
            </>
          )}
        </div>
      )}
      <div className="editor-box" data-testid="editor-box">
        <Suspense fallback={<div className="muted pad">Loading editor…</div>}>
          <StreamsEditor initialValue={pendingText.current} marker={marker} onReady={(a) => {
            api.current = a;
            // Text loaded while the editor was still loading (a routed file, the demo).
            if (a.getValue() !== pendingText.current) a.setValue(pendingText.current);
          }} />
        </Suspense>
      </div>
    </div>
  );
}
