/**
 * One entry point for the AI object family (§16; docs/laws.md AI-LEGALITY):
 * `checkAiObject({ descriptor, payload, resolve })` → `{ ok, type, findings }`. Order: the
 * object.v1 + §16 schema (a schema finding ends the check: the rest assumes the shape), the
 * §16.1 global invariants, then the type's payload legality. References (`vocab_ref`, a
 * profile's objects) are resolved through `resolve`, which returns the referenced object's
 * descriptor and payload bytes (hash-verified by the caller) or null; a referenced vocab must
 * itself be legal. Never throws for bad input.
 */
import type { Finding, LegalityResult } from './findings.ts';
import { aiTypeOf, type AiType } from './schemas.ts';
import { globalFindings, schemaFindings } from './global.ts';
import { checkVocab, type VocabTable } from './vocab.ts';
import { checkTokenizer } from './tokenizer.ts';
import { checkWeights } from './weights.ts';
import { checkNgram } from './ngram.ts';
import { checkSvgBrain } from './svg-brain.ts';
import { checkProfile, PROFILE_OBJECT_TYPES, type ResolvedTypes } from './profile.ts';
import { checkReply } from './reply.ts';
import { isObject, readJsonPayload } from './payload-json.ts';
import type { ByteSource } from '../../bytes/source.ts';
import { SAFETENSORS_MAX_HEADER } from '../../tensors/safetensors.ts';

/** Largest payload a legality check reads whole (weights read only their header). */
export const AI_WHOLE_PAYLOAD_MAX = 256 << 20;

/** A referenced object: its descriptor, and its payload bytes on demand (hash-checked by the resolver; null when unreadable). */
export interface ResolvedObject { descriptor: unknown; payload(): Promise<Uint8Array | null> }
export type AiResolver = (id: string) => Promise<ResolvedObject | null>;

export interface AiCheckInput {
  descriptor: unknown;
  /** The payload bytes, or a source read by range (weights: the header only). */
  payload: Uint8Array | ByteSource;
  resolve?: AiResolver;
}

const SCXQ2_MAGIC = [0x53, 0x43, 0x58, 0x51, 0x32, 0x53];

/**
 * The bytes a check reads: the whole payload (≤ AI_WHOLE_PAYLOAD_MAX), or for weights in a
 * source the 8-byte length and the header; null for an SVG-tensor brain stored as an SCXQ2
 * envelope (its canonical SVG is legality-checked by hook.scxq2.legality.svg-tensor when a
 * projection inflates it, O-HOOKS). A finding when the payload cannot be read.
 */
async function payloadFor(type: AiType, p: Uint8Array | ByteSource): Promise<{ bytes: Uint8Array; size: number } | null | Finding> {
  const size = p instanceof Uint8Array ? p.length : p.size;
  const read = async (off: number, n: number) => (p instanceof Uint8Array ? p.subarray(off, off + n) : p.read(off, n));
  try {
    if (type === 'ai.brain.svg-tensor' && size >= 6) {
      const head = await read(0, 6);
      if (SCXQ2_MAGIC.every((b, i) => head[i] === b)) return null;
    }
    if (type === 'ai.model.weights' && !(p instanceof Uint8Array) && size >= 8) {
      const lenBytes = await read(0, 8);
      const dv = new DataView(lenBytes.buffer, lenBytes.byteOffset, 8);
      const n = dv.getUint32(4, true) * 2 ** 32 + dv.getUint32(0, true);
      const head = await read(0, Math.min(size, 8 + Math.min(n, SAFETENSORS_MAX_HEADER + 1)));
      return { bytes: head, size };
    }
    if (size > AI_WHOLE_PAYLOAD_MAX) return { code: 'ai.payload_too_large', message: `the payload is ${size} bytes; legality checks read at most ${AI_WHOLE_PAYLOAD_MAX}`, path: 'payload$' };
    return { bytes: await read(0, size), size };
  } catch {
    return { code: 'ai.payload_unreadable', message: 'the payload could not be read', path: 'payload$' };
  }
}

export type AiLegalityResult = LegalityResult & { type: AiType | null };

type VocabRef = VocabTable | { missing: 'unresolved' | 'wrong_type' | 'illegal'; detail?: string };

async function resolveVocab(ref: unknown, resolve: AiResolver | undefined): Promise<VocabRef> {
  if (typeof ref !== 'string') return { missing: 'unresolved', detail: 'no vocab_ref' };
  if (!resolve) return { missing: 'unresolved', detail: `${ref}: no resolver was given` };
  let r: ResolvedObject | null;
  try { r = await resolve(ref); } catch { r = null; }
  if (!r) return { missing: 'unresolved', detail: `${ref} does not resolve` };
  const t = isObject(r.descriptor) ? aiTypeOf(r.descriptor) : null;
  if (t !== 'ai.vocab') return { missing: 'wrong_type', detail: `${ref} is ${t ?? 'not an AI object'}, not ai.vocab` };
  let bytes: Uint8Array | null;
  try { bytes = await r.payload(); } catch { bytes = null; }
  if (!bytes) return { missing: 'unresolved', detail: `${ref}: its payload is unavailable` };
  const v = checkVocab(r.descriptor as { size?: unknown }, bytes);
  if (!v.ok || !v.table) return { missing: 'illegal', detail: `${ref} is not a legal vocab (${v.findings[0]?.code ?? 'unreadable'})` };
  return v.table;
}

/** Schema, global invariants and payload legality of one AI object. */
export async function checkAiObject(input: AiCheckInput): Promise<AiLegalityResult> {
  const d = input.descriptor;
  const type = isObject(d) ? aiTypeOf(d) : null;
  if (!type) return { ok: false, type: null, findings: [{ code: 'ai.not_ai_object', message: 'the descriptor names no ai.*.v1 schema or type', path: '$' }] };
  const schema = schemaFindings(d, type);
  if (schema.length) return { ok: false, type, findings: schema };
  const findings: Finding[] = [...globalFindings(d)];
  const dd = d as Record<string, unknown>;
  const got = await payloadFor(type, input.payload);
  if (got === null) return { ok: findings.length === 0, type, findings };
  if (!('bytes' in got)) return { ok: false, type, findings: [...findings, got] };
  const bytes = got.bytes;
  let r: LegalityResult;
  try {
    switch (type) {
      case 'ai.vocab': r = checkVocab(dd, bytes); break;
      case 'ai.tokenizer': r = checkTokenizer(dd, bytes, { vocab: await resolveVocab(dd.vocab_ref, input.resolve) }); break;
      case 'ai.model.weights': r = checkWeights(dd, bytes, got.size); break;
      case 'ai.brain.ngram': r = checkNgram(dd, bytes, dd.vocab_ref !== undefined ? { vocab: await resolveVocab(dd.vocab_ref, input.resolve) } : {}); break;
      case 'ai.brain.svg-tensor': r = checkSvgBrain(dd, bytes); break;
      case 'ai.agent.reply': r = checkReply(dd, bytes, dd.vocab_ref !== undefined ? await resolveVocab(dd.vocab_ref, input.resolve) : undefined); break;
      case 'ai.inference.profile': {
        let resolved: ResolvedTypes | undefined;
        if (input.resolve) {
          const j = readJsonPayload(bytes, 'profile.bad_payload');
          const objs = 'value' in j && isObject(j.value) && isObject(j.value.objects) ? j.value.objects : {};
          const types: Record<string, ReturnType<typeof aiTypeOf> | 'other' | null> = {};
          for (const [k, id] of Object.entries(objs)) {
            if (!(k in PROFILE_OBJECT_TYPES) || typeof id !== 'string') continue;
            let o: ResolvedObject | null;
            try { o = await input.resolve(id); } catch { o = null; }
            types[k] = o ? (isObject(o.descriptor) ? aiTypeOf(o.descriptor) ?? 'other' : 'other') : null;
          }
          resolved = types as ResolvedTypes;
        }
        r = checkProfile(dd, bytes, resolved);
        break;
      }
    }
  } catch (e) {
    // A defect in a check, not a property of the object: reported, never thrown.
    r = { ok: false, findings: [{ code: 'ai.check_failed', message: `the ${type} check failed: ${e instanceof Error ? e.message.slice(0, 200) : 'unknown error'}` }] };
  }
  findings.push(...r.findings);
  return { ok: findings.length === 0, type, findings };
}
