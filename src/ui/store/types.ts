import type { PayloadRef } from '../lib/httpSource';
import type { Integrity } from './integritySlice';

/**
 * UI-side shapes. The store holds plain data only (no core objects, no Blobs kept
 * after loading), so it can be inspected, serialized for tests and compared.
 */

/** Error shown to people: a stable code, a sentence, where. Never a stack trace. */
export interface UiError {
  code: string;
  message: string;
  offset?: number;
  path?: string;
  file: string;
  /** Bytes the reader had read when it gave up (a non-pack is recognised from its first bytes). */
  bytesRead?: number;
}

export interface PackSection {
  name: string;
  offset: number;
  length: number;
}

export interface PackHeaderFacts {
  version: number;
  flags: number;
  dims: number;
  laneCount: number;
  dictBytes: number;
  indexBytes: number;
  dataBytes: number;
  merkleBytes: number;
  sigBytes: number;
}

/** What the workbench shows about an opened pack (built by the loader from core output). */
export interface PackSummary {
  header: PackHeaderFacts;
  sections: PackSection[];
  laneIds: string[];
  fileSize: number;
  bytesRead: number;
  /**
   * Canonical manifest JSON text, exactly as the core wrote it. Built right after the
   * inspector is first shown (undefined until then), so a large pack appears sooner.
   */
  manifestJson?: string;
  /** Manifest `schema` field when present. */
  schema?: string;
  /** Key of the live reader in the pack registry (lanes decode through it). */
  handle?: string;
}

export type OpenFileStatus = 'loading' | 'ready' | 'error';

export interface OpenFile {
  id: string;
  /** Identity used to focus a file opened twice (see fileKey); undefined = always new. */
  key?: string;
  name: string;
  size: number;
  /** Where it came from: a bundled demo or the user's disk. */
  /** `remote`: a payload on an object server, read by HTTP Range (the Objects tab). */
  origin: 'demo' | 'local' | 'unsaved' | 'remote';
  status: OpenFileStatus;
  pack?: PackSummary;
  error?: UiError;
  /** Signature, root and DATA checks of a ready pack: one state every badge shows. */
  integrity?: Integrity;
}

export interface DemoEntry {
  file: string;
  title: string;
}

/** Loads and summarizes a pack; throws anything, the store turns it into a UiError. */
export type PackLoader = (blob: PayloadRef, name: string) => Promise<PackSummary>;

/** Turns whatever a loader threw into a UiError. */
export type ErrorMapper = (error: unknown, file: string) => UiError;

/** Fetches a bundled asset path (relative to the app base) as bytes. */
export type AssetFetcher = (path: string) => Promise<Response>;
