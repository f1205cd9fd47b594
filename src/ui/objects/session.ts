/**
 * The Objects tab's connection, kept while the user visits other tabs: one object server
 * URL, the browser's own lifecycle over it (core ObjectServer over HttpObjectStore, with its
 * cache and events), and the server's live event stream (Server-Sent Events). Plain module
 * state with a subscribe function, read by the panel through useSyncExternalStore.
 */
import { createObjectServer, type ObjectServer } from '../../core/objects/server';
import { EVENT_TYPES, type ObjectEvent } from '../../core/objects/events';
import { HttpObjectStore } from './httpStore';

export interface EventRow {
  seq: number;
  /** `server`: from the server's /events stream; `browser`: the workbench's own lifecycle. */
  source: 'server' | 'browser';
  type: string;
  data: unknown;
}

export type LiveState = 'off' | 'connecting' | 'live' | 'retrying';

export interface SessionSnapshot {
  base: string;
  events: readonly EventRow[];
  live: LiveState;
  version: number;
}

export const EVENT_ROWS_MAX = 300;

export class ObjectsSession {
  readonly store: HttpObjectStore;
  readonly core: ObjectServer;
  private es: EventSource | null = null;
  private rows: EventRow[] = [];
  private seq = 0;
  private live: LiveState = 'off';
  private snap: SessionSnapshot;
  private readonly listeners = new Set<() => void>();

  constructor(readonly base: string) {
    this.store = new HttpObjectStore(base);
    // The clock feeds only event latency: every bundled object is `deterministic`, so
    // @meta.projected_at stays null (O-META) and projections are byte-stable.
    this.core = createObjectServer({ store: this.store, clock: () => Date.now() });
    this.core.on((e: Readonly<ObjectEvent>) => this.push('browser', e.type, e.data));
    this.snap = this.snapshot();
  }

  private snapshot(): SessionSnapshot {
    return { base: this.base, events: this.rows, live: this.live, version: this.seq };
  }

  private changed(): void {
    this.snap = this.snapshot();
    for (const l of this.listeners) l();
  }

  push(source: EventRow['source'], type: string, data: unknown): void {
    this.seq += 1;
    this.rows = [...this.rows.slice(-(EVENT_ROWS_MAX - 1)), { seq: this.seq, source, type, data }];
    this.changed();
  }

  subscribe = (fn: () => void): (() => void) => {
    this.listeners.add(fn);
    return () => { this.listeners.delete(fn); };
  };

  getSnapshot = (): SessionSnapshot => this.snap;

  /** Open the server's event stream (EventSource reconnects by itself, per the server's `retry`). */
  connectEvents(): void {
    if (this.es || typeof EventSource === 'undefined') return;
    this.live = 'connecting';
    const es = new EventSource(this.store.url('events'));
    this.es = es;
    es.onopen = () => { this.live = 'live'; this.changed(); };
    es.onerror = () => { this.live = es.readyState === EventSource.CLOSED ? 'off' : 'retrying'; this.changed(); };
    for (const t of EVENT_TYPES) {
      es.addEventListener(t, (m) => {
        let data: unknown = null;
        try { data = JSON.parse((m as MessageEvent<string>).data); } catch { data = null; }
        this.push('server', t, data);
      });
    }
    this.changed();
  }

  close(): void {
    this.es?.close();
    this.es = null;
    this.live = 'off';
    this.changed();
  }
}

let current: ObjectsSession | null = null;

/** The session for `base`, replacing (and closing) one for another URL. */
export function sessionFor(base: string): ObjectsSession {
  if (current?.base === base) return current;
  current?.close();
  current = new ObjectsSession(base);
  return current;
}

export function currentSession(): ObjectsSession | null { return current; }

/** The URL typed by the user, normalized to `http(s)://host[:port]/…/`; null when it is not one. */
export function normalizeBase(input: string): string | null {
  let u: URL;
  try { u = new URL(input.trim()); } catch { return null; }
  if (u.protocol !== 'http:' && u.protocol !== 'https:') return null;
  if (u.username || u.password) return null;
  const path = u.pathname.endsWith('/') ? u.pathname : `${u.pathname}/`;
  return `${u.origin}${path}`;
}
