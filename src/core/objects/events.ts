/**
 * Lifecycle events (§15.9; docs/laws.md O-EVENTS). Event objects are deep-frozen before any
 * handler sees them, handlers get no reference to the object or the server, and a handler
 * that throws is counted and ignored: handlers cannot change state or the outcome.
 */
import { deepFreeze } from './json.ts';
import type { ErrorCategory, ObjectErrorCode, Phase } from './errors.ts';

export type ObjectEvent =
  | { type: 'object.resolved'; data: { id: string; hash: string } }
  | { type: 'object.loaded'; data: { id: string; hash: string; size: number } }
  | { type: 'object.verified'; data: { id: string; invariants: string[] } }
  | { type: 'object.projected'; data: { id: string; projection: string; latency: number | null } }
  | { type: 'object.error'; data: { id: string | null; error: { category: ErrorCategory; code: ObjectErrorCode; message: string }; phase: Phase | 'hook'; signal?: string; hook?: string } };

export type ObjectEventType = ObjectEvent['type'];
export const EVENT_TYPES: readonly ObjectEventType[] = ['object.resolved', 'object.loaded', 'object.verified', 'object.projected', 'object.error'];
export type Listener = (e: Readonly<ObjectEvent>) => void;

export class EventBus {
  private readonly listeners = new Set<Listener>();
  /** Handlers that threw (their errors are swallowed). */
  handlerErrors = 0;
  emitted = 0;

  on(l: Listener): () => void {
    this.listeners.add(l);
    return () => { this.listeners.delete(l); };
  }
  get size(): number { return this.listeners.size; }

  emit(e: ObjectEvent): void {
    const frozen = deepFreeze(structuredClone(e));
    this.emitted++;
    for (const l of [...this.listeners]) {
      try { l(frozen); } catch { this.handlerErrors++; }
    }
  }
}
