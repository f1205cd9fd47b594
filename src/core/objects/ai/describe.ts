/**
 * An `ai.*` object's descriptor as the project's builders write them (the demo set, AI-DEMO,
 * and the Brown set, MX2LM-OBJECTS): the §16 `$schema` and type, the payload's hash and size,
 * authority none, an identity from the id, the type's own members, invariants and projections.
 */
import { payloadHash } from '../server.ts';
import { schemaUri, type AiType } from './schemas.ts';

export interface AiPayloadFields { type: 'json' | 'binary'; mime: string; location: string }

export function aiDescriptor(type: AiType, id: string, payload: Uint8Array, p: AiPayloadFields, invariants: string[], extra: Record<string, unknown>, projections: Record<string, unknown>, description?: string): Record<string, unknown> {
  return {
    $schema: schemaUri(type),
    type,
    id,
    hash: payloadHash(payload),
    payload: { ...p, size: payload.length },
    authority: 'none',
    identity: { name: id.slice('object://'.length).replace(/\//g, '.'), version: '1.0.0' },
    ...extra,
    invariants,
    projections,
    ...(description !== undefined ? { description } : {}),
  };
}
