/**
 * The Gym's inputs from the local object server: each payload is fetched through the
 * browser's own object-server core (load → verify → project), so the bytes a run trains on
 * are the bytes whose SHA-256 the descriptor declares. Nothing unverified reaches the worker.
 */
import { parseDescriptor, type Descriptor } from '../../core/objects/descriptor';
import { BROWN_IDS, BROWN_TRAINED_WEIGHTS_ID } from '../../core/mx2lm/brown-ids';
import { rawProjectionOf } from '../objects/httpStore';
import { sessionFor, currentSession } from '../objects/session';

/** The bundled MX2LM Brown objects (written by `asx mx2lm build`, served by `npm start`). */
export const GYM_OBJECTS = {
  base: BROWN_IDS.weightsBase,
  trained: BROWN_TRAINED_WEIGHTS_ID,
  tokenizer: BROWN_IDS.tokenizer,
  train: BROWN_IDS.train,
  validation: BROWN_IDS.validation,
} as const;

export interface VerifiedPayload { id: string; hash: string; bytes: Uint8Array; descriptor: Descriptor }

export class GymInputError extends Error {
  constructor(readonly code: string, message: string, readonly id: string) { super(message); this.name = 'GymInputError'; }
}

function session() {
  return currentSession() ?? sessionFor(`${window.location.origin}/`);
}

export async function verifiedPayload(id: string): Promise<VerifiedPayload> {
  const s = session();
  const raw = await s.store.descriptor(id).catch((e: unknown) => { throw new GymInputError('resolution_error', `${id}: ${e instanceof Error ? e.message : String(e)}`, id); });
  if (!raw) throw new GymInputError('resolution_error', `${id} is not on the object server at ${s.base}`, id);
  const descriptor = parseDescriptor(raw, id);
  const projection = rawProjectionOf(descriptor);
  if (!projection) throw new GymInputError('projection_error', `${id} has no raw payload projection`, id);
  const r = await s.core.handle({ path: id, projection });
  if (!r.ok) throw new GymInputError(r.error.code, `${id}: ${r.error.message}`, id);
  if (!(r.body instanceof Uint8Array)) throw new GymInputError('load_error', `${id}: the payload is not held in memory`, id);
  return { id, hash: descriptor.hash, bytes: r.body, descriptor };
}
