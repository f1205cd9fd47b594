/**
 * Typed errors callers can branch on (DESIGN addendum 8). Every error has a stable
 * `code` from a closed union, a human sentence, and where it happened: a byte offset
 * for binary input, a JSON path or field name for documents.
 */
export type AsxErrorCode =
  // π-GCCP (issue 5; docs/laws.md)
  | 'bad_profile'
  | 'bad_vectors'
  | 'no_gpu'
  | 'gpu_error'
  | 'conformance_failed'
  // weights.v2c-bin (addendum 8)
  | 'bad_magic'
  | 'bad_version'
  | 'truncated'
  | 'section_overflow'
  | 'unknown_flags'
  | 'bad_dict'
  | 'bad_index'
  | 'bad_lane'
  | 'bad_qscale'
  | 'bad_audit'
  | 'leaf_mismatch'
  | 'root_mismatch'
  | 'bad_signature'
  | 'unsigned'
  | 'no_such_lane'
  | 'bad_proof'
  // documents and arguments
  | 'bad_json'
  | 'bad_input'
  | 'too_many_lanes'
  | 'incompatible'
  | 'bad_key'
  | 'io_error'
  | 'cancelled'
  | 'usage'
  // SVG-tensors and SCXQ2 envelopes (issue 4; docs/laws.md)
  | 'xml_syntax'
  | 'xml_entity'
  | 'xml_limit'
  | 'svg_import'
  | 'illegal_tensor'
  | 'scxq2_range'
  | 'bad_envelope'
  | 'integrity_violation'
  | 'missing_lane'
  | 'round_trip_failure'
  // safetensors (docs/laws.md L-SAFETENSORS)
  | 'bad_safetensors'
  // folds (issue 11; docs/laws.md F-QREC, F-FOLD, F-BUNDLE)
  | 'bad_qrecord'
  | 'hash_mismatch'
  | 'bad_fold'
  | 'bad_ref'
  | 'bad_bundle'
  // fold application, merges (issue 11; docs/laws.md G-FOLD-APPLY)
  | 'shape_mismatch'
  | 'missing_layer'
  | 'non_finite'
  | 'interaction_cycle'
  // exact inference (issue 12; docs/laws.md MX2LM-INFER)
  | 'inference_error.missing_object'
  | 'inference_error.bad_request'
  | 'inference_error.illegal_object'
  | 'inference_error.unrecognized_file';

export interface AsxErrorLocation {
  /** Byte offset in the file the error refers to. */
  offset?: number;
  /** JSON path (`$.streams.policy[3]`) or field name. */
  path?: string;
  /** File name, when known. */
  file?: string;
}

export class AsxError extends Error {
  readonly code: AsxErrorCode;
  readonly where: AsxErrorLocation;
  constructor(code: AsxErrorCode, message: string, where: AsxErrorLocation = {}) {
    super(message);
    this.name = 'AsxError';
    this.code = code;
    this.where = where;
  }
  /** One line for people: `code: message (at byte 36)`. */
  describe(): string {
    const parts: string[] = [];
    if (this.where.file) parts.push(this.where.file);
    if (this.where.offset !== undefined) parts.push(`byte ${this.where.offset}`);
    if (this.where.path) parts.push(this.where.path);
    return `${this.code}: ${this.message}${parts.length ? ` (at ${parts.join(', ')})` : ''}`;
  }
}

export function isAsxError(e: unknown): e is AsxError {
  return e instanceof AsxError;
}
