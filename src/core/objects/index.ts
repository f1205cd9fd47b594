/**
 * The pure Object Server core (§15, §19; docs/laws.md "Object laws"). Hosts build an
 * ObjectServer over an ObjectStore and call `handle(request)`; the phase functions are
 * exported for tools that run one phase (the Objects tab shows verification steps).
 */
export { ObjectError, OBJECT_ERROR_CODES, isObjectError, loadSignal, type ObjectErrorCode, type ErrorCategory, type Phase, type ObjectErrorJson } from './errors.ts';
export { resolveRef, normalizeId, isCanonicalId, locationProblem, isHashString, type ObjectRef } from './identity.ts';
export { DESCRIPTOR_LIMITS, PAYLOAD_JSON_LIMITS, parseDescriptorJson, parsePayloadJson, type JsonLimits, type Json } from './json.ts';
export { validate, type Schema, type SchemaIssue } from './schema.ts';
export { OBJECT_V1_SCHEMA, OBJECT_V1_SCHEMA_ID, BUILTIN_INVARIANTS, AUTHORITY_LEVELS, ASSERTION_NODES_MAX, parseDescriptor, descriptorIssues, authorityOf, objectTypeOf, type Descriptor, type ProjectionSpec, type CustomInvariant, type Assertion, type Authority } from './descriptor.ts';
export { parseRefText, isRef, META_KEYS, type Ref, type MetaKey } from './reference.ts';
export { hashPayload, HASH_CHUNK_BYTES, WHOLE_PAYLOAD_MAX, type PayloadInput, type PayloadFormat } from './payload.ts';
export { verifyObject, checkAuthority, builtinInvariant, OPERATION_AUTHORITY, OBSERVATIONAL_BINDINGS, isVerified, type Operation, type VerifyResult, type VerifyStep, type VerifiedObject, type InvariantCheck, type InvariantContext } from './verify.ts';
export { selectProjection, projectObject, projectionMediaType, parseAccept, PROJECTION_TYPES, type ProjectedResponse, type ProjectionRequest } from './project.ts';
export { EventBus, EVENT_TYPES, type ObjectEvent, type ObjectEventType, type Listener } from './events.ts';
export { ObjectCache, DEFAULT_CACHE_LIMITS, type CacheStats, type CacheLimits } from './cache.ts';
export { ObjectServer, createObjectServer, MemoryStore, payloadHash, CORE_HOOKS, type ObjectStore, type ObjectRequest, type ObjectResponse, type ObjectServerOptions } from './server.ts';
