/**
 * Object Server errors (§15.12, §19.10; docs/laws.md O-ERRORS). One class, a closed code
 * union, each code in exactly one §15.12 category with a fixed HTTP status. The JSON shape is
 * the spec's `{ error: { category, code, message, object_id, phase } }` plus `path` (a JSON
 * path into the descriptor, never a file path) where one helps. No stack, no store paths, no
 * internal state: messages are written here from fixed templates and the request's own id.
 */
export type ErrorCategory = 'resolution_error' | 'load_error' | 'verification_error' | 'projection_error' | 'authority_error';
export type Phase = 'resolve' | 'load' | 'verify' | 'project';

/** Every code, its category and HTTP status. The union below is derived from this table. */
export const OBJECT_ERROR_CODES = {
  // resolution_error 404
  invalid_id: ['resolution_error', 404],
  not_found: ['resolution_error', 404],
  version_not_found: ['resolution_error', 404],
  hash_not_found: ['resolution_error', 404],
  // load_error 500 (payload_unavailable: 503)
  descriptor_too_large: ['load_error', 500],
  descriptor_too_deep: ['load_error', 500],
  descriptor_too_many_keys: ['load_error', 500],
  bad_json: ['load_error', 500],
  invalid_descriptor: ['load_error', 500],
  descriptor_unavailable: ['load_error', 503],
  payload_unavailable: ['load_error', 503],
  payload_too_large: ['load_error', 500],
  bad_payload: ['load_error', 500],
  missing_lane: ['load_error', 500],
  // verification_error 422
  size_mismatch: ['verification_error', 422],
  hash_mismatch: ['verification_error', 422],
  invariant_violation: ['verification_error', 422],
  unknown_invariant: ['verification_error', 422],
  forbidden_pattern: ['verification_error', 422],
  integrity_violation: ['verification_error', 422],
  illegal_tensor: ['verification_error', 422],
  // projection_error 500
  no_projection: ['projection_error', 500],
  projection_not_found: ['projection_error', 500],
  projection_unavailable: ['projection_error', 500],
  unsupported_projection_type: ['projection_error', 500],
  bad_reference: ['projection_error', 500],
  reference_not_found: ['projection_error', 500],
  round_trip_failure: ['projection_error', 500],
  // authority_error 403
  authority_exceeded: ['authority_error', 403],
  capability_required: ['authority_error', 403],
} as const satisfies Record<string, readonly [ErrorCategory, number]>;

export type ObjectErrorCode = keyof typeof OBJECT_ERROR_CODES;

export interface ObjectErrorJson {
  error: { category: ErrorCategory; code: ObjectErrorCode; message: string; object_id: string | null; phase: Phase; path?: string };
}

export class ObjectError extends Error {
  readonly code: ObjectErrorCode;
  readonly category: ErrorCategory;
  readonly status: number;
  readonly phase: Phase;
  readonly objectId: string | null;
  /** JSON path into the descriptor or payload (`$.payload.hash`), when the error has one. */
  readonly path?: string;
  constructor(code: ObjectErrorCode, message: string, phase: Phase, objectId: string | null = null, path?: string) {
    super(message);
    this.name = 'ObjectError';
    this.code = code;
    const [category, status] = OBJECT_ERROR_CODES[code];
    this.category = category;
    this.status = status;
    this.phase = phase;
    this.objectId = objectId;
    if (path !== undefined) this.path = path;
  }
  /** The §15.12 response body. Only these fields: nothing internal. */
  toJSON(): ObjectErrorJson {
    const e: ObjectErrorJson['error'] = { category: this.category, code: this.code, message: this.message, object_id: this.objectId, phase: this.phase };
    if (this.path !== undefined) e.path = this.path;
    return { error: e };
  }
  /** The same error attributed to an object id / phase (ids are learnt after parsing). */
  withContext(objectId: string | null, phase?: Phase): ObjectError {
    return new ObjectError(this.code, this.message, phase ?? this.phase, objectId, this.path);
  }
  /** §19.10 dotted name, e.g. `verification_error.integrity_violation`. */
  get surface(): string { return `${this.category}.${this.code}`; }
}

export function isObjectError(e: unknown): e is ObjectError {
  return e instanceof ObjectError;
}

/**
 * §15.6 names the load failures with their own signals; `object.error` carries the one that
 * applies as `signal` (O-EVENTS).
 */
export function loadSignal(code: ObjectErrorCode): 'object.not_found' | 'object.invalid' | 'object.corrupted' | 'object.unavailable' | null {
  switch (code) {
    case 'not_found': case 'version_not_found': case 'hash_not_found': return 'object.not_found';
    case 'descriptor_too_large': case 'descriptor_too_deep': case 'descriptor_too_many_keys': case 'bad_json': case 'invalid_descriptor': return 'object.invalid';
    case 'size_mismatch': case 'hash_mismatch': case 'integrity_violation': return 'object.corrupted';
    case 'payload_unavailable': case 'descriptor_unavailable': return 'object.unavailable';
    default: return null;
  }
}
