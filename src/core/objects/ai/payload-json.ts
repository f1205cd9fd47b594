/** JSON payloads of AI objects, parsed with the bounded parser (O-PARSE), as a finding on failure. */
import { parsePayloadJson, type Json } from '../json.ts';
import { ObjectError } from '../errors.ts';
import type { Finding } from './findings.ts';

export function readJsonPayload(bytes: Uint8Array, code: string): { value: Json } | { finding: Finding } {
  try { return { value: parsePayloadJson(bytes) }; } catch (e) {
    const why = e instanceof ObjectError ? e.message : 'not JSON';
    return { finding: { code, message: `the payload is not valid JSON: ${why}`, path: e instanceof ObjectError && e.path ? `payload${e.path}` : 'payload$' } };
  }
}

export function isObject(v: unknown): v is Record<string, Json> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}
