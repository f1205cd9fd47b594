/**
 * The inference object graph (§20.2; docs/laws.md MX2LM-INFER "objects"), resolved through the
 * project's Object Server core over any ObjectStore (a folder in the CLI, HTTP or a dropped folder
 * in the browser), every object verified by its lifecycle (hash, format, invariants, §16 legality):
 *
 *   profile    the request's `profile` (ai.inference.profile)
 *   tokenizer, vocab, weights, svg   named by the profile's `objects` (required)
 *   ngram      named by the profile's `objects` (optional, §20.2)
 *   reply      the ai.agent.reply object whose `profile_ref` is the profile, the first such id in
 *              the store's list (UTF-8 order)
 *
 * An object that is not there, or a required role the profile does not name, is
 * `inference_error.missing_object` naming it (checked before verification, so a profile whose
 * input is missing is reported as that missing object); an object that fails verification or
 * has the wrong type is `inference_error.illegal_object`.
 *
 * Pure: no DOM, no Node.
 */
import { AsxError } from '../errors.ts';
import { parseDescriptor, type Descriptor } from '../objects/descriptor.ts';
import { createObjectServer, type ObjectStore } from '../objects/server.ts';
import { wholeBytes } from '../objects/payload.ts';
import { aiTypeOf } from '../objects/ai/schemas.ts';
import { compareUtf8 } from '../bytes/utf8.ts';

export type Role = 'profile' | 'tokenizer' | 'vocab' | 'weights' | 'ngram' | 'svg' | 'reply';
export const ROLE_TYPES: Readonly<Record<Role, string>> = {
  profile: 'ai.inference.profile', tokenizer: 'ai.tokenizer', vocab: 'ai.vocab', weights: 'ai.model.weights',
  ngram: 'ai.brain.ngram', svg: 'ai.brain.svg-tensor', reply: 'ai.agent.reply',
};
export const REQUIRED_ROLES: readonly Role[] = ['tokenizer', 'vocab', 'weights', 'svg'];

export interface VerifiedObject { role: Role; id: string; hash: string; descriptor: Descriptor; bytes: Uint8Array }

function missing(what: string): AsxError {
  return new AsxError('inference_error.missing_object', `missing object: ${what} (§20.2)`, { path: what });
}

async function storeDescriptor(store: ObjectStore, id: string): Promise<Descriptor | null> {
  let got;
  try { got = await store.descriptor(id); } catch { return null; }
  if (got === null) return null;
  const raw = got instanceof Uint8Array ? got : await got.read(0, got.size);
  try { return parseDescriptor(raw, id); } catch (e) {
    throw new AsxError('inference_error.illegal_object', `${id}: the descriptor does not parse: ${(e as Error).message}`, { path: id });
  }
}

/** The profile's `objects` member, read from the store's bytes (before verification). */
async function profileRefs(store: ObjectStore, d: Descriptor): Promise<Record<string, unknown>> {
  const p = await store.payload(d.hash, d);
  if (!p) throw missing(`the payload of ${d.id}`);
  try {
    const v = JSON.parse(new TextDecoder().decode(await wholeBytes(p, d.id, 'load'))) as { objects?: unknown };
    return v.objects && typeof v.objects === 'object' && !Array.isArray(v.objects) ? v.objects as Record<string, unknown> : {};
  } catch { return {}; }
}

/** Resolve and verify the object graph of `profileId`. */
export async function resolveInferenceObjects(store: ObjectStore, profileId: string): Promise<Map<Role, VerifiedObject>> {
  const pd = await storeDescriptor(store, profileId);
  if (!pd) throw missing(`profile ${profileId}`);
  const refs = await profileRefs(store, pd);
  const ids = new Map<Role, string>([['profile', profileId]]);
  for (const role of ['tokenizer', 'vocab', 'weights', 'ngram', 'svg'] as const) {
    const id = refs[role];
    if (typeof id === 'string') {
      if (!(await storeDescriptor(store, id))) throw missing(`${ROLE_TYPES[role]} ${id}`);
      ids.set(role, id);
    } else if (REQUIRED_ROLES.includes(role)) throw missing(`${ROLE_TYPES[role]} (the profile names none)`);
  }
  let replyId: string | null = null;
  if (store.list) {
    for (const id of [...(await store.list())].sort(compareUtf8)) {
      const d = await storeDescriptor(store, id).catch(() => null);
      if (d && aiTypeOf(d) === 'ai.agent.reply' && (d as unknown as { profile_ref?: unknown }).profile_ref === profileId) { replyId = id; break; }
    }
  }
  if (!replyId) throw missing(`ai.agent.reply with profile_ref ${profileId}`);
  ids.set('reply', replyId);

  const server = createObjectServer({ store });
  server.on(() => {}); // the `auditable` invariant needs a listener; events are not part of the reply
  const out = new Map<Role, VerifiedObject>();
  for (const [role, id] of ids) {
    const v = await server.verify({ path: id });
    if (!v.ok) {
      if (v.error.code === 'not_found') throw missing(`${ROLE_TYPES[role]} ${id}`);
      throw new AsxError('inference_error.illegal_object', `${id}: ${v.error.code}: ${v.error.message}`, { path: id });
    }
    const d = v.object.descriptor;
    if (aiTypeOf(d) !== ROLE_TYPES[role]) throw new AsxError('inference_error.illegal_object', `${id} is ${aiTypeOf(d) ?? 'not an AI object'}, the ${role} must be ${ROLE_TYPES[role]}`, { path: id });
    out.set(role, { role, id, hash: d.hash, descriptor: d, bytes: await wholeBytes(v.object.payload, id, 'verify') });
  }
  return out;
}
