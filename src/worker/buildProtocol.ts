/** Messages between the compile panel and the build worker (plain, structured-clonable). */
export interface BuildRequest {
  id: number;
  /** The lane-streams document as typed (JSON text). */
  text: string;
  /** Optional 32-byte Ed25519 seed to sign the result. */
  seed?: Uint8Array;
}

export interface BuildSuccess {
  id: number;
  ok: true;
  bytes: Uint8Array;
  dims: number;
  lanes: number;
  ms: number;
}

export interface BuildFailure {
  id: number;
  ok: false;
  code: string;
  message: string;
  /** JSON path into the document (`$.streams.policy[3]`) when the core gives one. */
  path?: string;
  /** Character offset in the text for JSON syntax errors. */
  offset?: number;
}

export type BuildResponse = BuildSuccess | BuildFailure;
