/**
 * The bundled demo object store (`npm run demo` → `demo-objects/`, served by `npm start`):
 * every demo artifact as a governed object.v1 (issue 10; docs/laws.md O-DEMO). Packs, lane
 * streams, an SVG-tensor and its SCXQ2 envelope, each with projections a user can try in the
 * Objects tab (`default`, a summary, the raw payload as a `binary` projection for opening it
 * in its face). Deterministic: the same sources give the same store bytes.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { demoFiles, demoStreams } from '../core/pack/demo.ts';
import { importSvg } from '../core/svg/canonical.ts';
import { encodeScxq2 } from '../core/scxq2/envelope.ts';
import { demoSafetensors } from '../core/tensors/demo.ts';
import { SAFETENSORS_MIME } from '../core/objects/payload.ts';
import type { StoreEntry } from '../server/storeWriter.ts';
import { demoFold, DEMO_FOLD_ID, FOLD_BUNDLE_MIME } from './demo-fold.ts';
import { buildDemoAiObjects } from './demo-ai-objects.ts';

const INVARIANTS = ['immutable_payload', 'no_execution', 'projection_only', 'no_side_effects', 'deterministic', 'auditable'];

/** The raw payload as a binary projection: what "Open in its face" reads. */
const RAW = { type: 'binary', source: '@payload', encoding: 'raw' } as const;

function base(id: string, name: string, payload: Record<string, unknown>, projections: Record<string, unknown>, description: string): StoreEntry['descriptor'] {
  return {
    $schema: 'object://schema/object.v1',
    id,
    payload,
    authority: 'none',
    executable: false,
    identity: { name, version: '1.0.0' },
    projections,
    invariants: INVARIANTS,
    events: { on_load: ['log'], on_verify: ['audit'], on_project: ['audit'] },
    description,
  };
}

/** MDI icons used for the SVG-tensor demo (Apache-2.0, from @mdi/svg). */
export const DEMO_ICONS = ['atom', 'graph-outline'] as const;

function mdiSvg(name: string): string {
  const req = createRequire(import.meta.url);
  return readFileSync(req.resolve(`@mdi/svg/svg/${name}.svg`), 'utf8');
}

export async function demoObjectEntries(): Promise<StoreEntry[]> {
  const entries: StoreEntry[] = [];
  const packNames: Record<string, string> = { 'demo-5kb.v2c.bin': 'demo-5kb', 'demo-5kb-b.v2c.bin': 'demo-5kb-b', 'demo-wide.v2c.bin': 'demo-wide' };
  for (const f of demoFiles()) {
    const name = packNames[f.file];
    if (!name) continue;
    const id = `object://demo/packs/${name}`;
    entries.push({
      id,
      payload: f.bytes,
      descriptor: base(id, name, { type: 'binary', mime: 'application/vnd.asx.weights-v2c', location: `./${f.file}`, encoding: 'raw', semantics: 'weights.v2c-bin' }, {
        default: { type: 'json', emit: { lanes: '@payload.lane_ids', merkle_root: '@payload.merkle_root', header: '@payload.header', hash: '@meta.hash' } },
        manifest: { type: 'json', emit: '@payload.manifest' },
        lane_policy: { type: 'json', emit: '@payload.lanes.policy' },
        payload: RAW,
      }, f.title),
    });
  }
  for (const v of ['a', 'b'] as const) {
    const id = `object://demo/streams/${v}`;
    const bytes = new TextEncoder().encode(`${JSON.stringify(demoStreams(v), null, 1)}\n`);
    entries.push({
      id,
      payload: bytes,
      descriptor: base(id, `streams-${v}`, { type: 'json', mime: 'application/json', location: `./demo-streams-${v}.json`, encoding: 'utf-8', semantics: 'asx.lane-streams' }, {
        default: { type: 'json', emit: '@payload' },
        summary: { type: 'json', emit: { streams: '@payload.streams', id: '@meta.id' } },
        http: { type: 'http-response', status: 200, headers: { 'Content-Type': 'application/json' }, body: '@payload' },
        payload: RAW,
      }, `Lane-streams document ${v.toUpperCase()} (compiles to demo pack ${v.toUpperCase()})`),
    });
  }
  for (const icon of DEMO_ICONS) {
    const tensor = importSvg(mdiSvg(icon));
    const svgId = `object://demo/svg/${icon}`;
    entries.push({
      id: svgId,
      payload: tensor.bytes,
      // Served as an opaque type, never image/svg+xml: a browser must not render it as a live document.
      descriptor: base(svgId, icon, { type: 'binary', mime: 'application/vnd.asx.svg-tensor', location: `./${icon}.svg`, encoding: 'raw', semantics: 'svg-tensor (canonical)' }, {
        default: RAW,
        payload: RAW,
      }, `MDI icon "${icon}" imported as a canonical SVG-tensor`),
    });
    const envId = `object://demo/scxq2/${icon}`;
    entries.push({
      id: envId,
      payload: encodeScxq2(tensor.model, tensor.hash),
      descriptor: base(envId, `${icon}-scxq2`, { type: 'binary', mime: 'application/vnd.asx.scxq2', location: `./${icon}.scxq2`, encoding: 'raw', semantics: 'scxq2 envelope' }, {
        default: { type: 'json', emit: { global_root: '@payload.global_root', canonical_hash: '@payload.canonical_hash', toc: '@payload.toc' } },
        svg: { type: 'json', emit: { canonical_svg: '@payload.canonical_svg' } },
        payload: RAW,
      }, `SCXQ2 envelope of the "${icon}" SVG-tensor (lanes merkle-proven)`),
    });
  }
  for (const f of demoSafetensors()) {
    const name = f.file.replace(/\.safetensors$/, '');
    const id = `object://demo/tensors/${name}`;
    entries.push({
      id,
      payload: f.bytes,
      descriptor: base(id, name, { type: 'binary', mime: SAFETENSORS_MIME, location: `./${f.file}`, encoding: 'raw', semantics: 'safetensors' }, {
        default: { type: 'json', emit: { metadata: '@payload.metadata', tensors: '@payload.tensors' } },
        bias: { type: 'json', emit: '@payload.tensor["model.layers.0.mlp.up_proj.bias"]' },
        payload: RAW,
      }, f.title),
    });
  }
  // The MX2LM demo family (§16): vocab, tokenizer, weights, n-gram and SVG brains, profile,
  // reply. Served by a host that always listens to its events, so `auditable` holds here too.
  const ai = await buildDemoAiObjects();
  for (const o of ai) {
    const inv = (o.descriptor.invariants as unknown[] | undefined) ?? [];
    entries.push({ id: o.id, payload: o.payload, descriptor: { ...o.descriptor, invariants: inv.includes('auditable') ? inv : [...inv, 'auditable'] } });
  }
  // A fold the gym trained on the demo model (O-FOLD-OBJECT): verified entry by entry on load.
  const fold = await demoFold(ai);
  entries.push({
    id: DEMO_FOLD_ID,
    payload: fold.bytes,
    descriptor: base(DEMO_FOLD_ID, 'mx2lm-demo-v1', { type: 'binary', mime: FOLD_BUNDLE_MIME, location: './mx2lm_demo_v1.fold', encoding: 'raw', semantics: 'mx2gym.fold-bundle' }, {
      default: { type: 'json', emit: { fold: '@payload.fold', bundle_hash: '@payload.bundle_hash' } },
      entries: { type: 'json', emit: '@payload.entries' },
      payload: RAW,
    }, `Fold mx2lm_demo_v1: the gym's training of the MX2LM demo model (validation perplexity ${fold.validPpl[0].toFixed(2)} → ${fold.validPpl[1].toFixed(2)}), deltas as int8 §2 records`),
  });
  return entries;
}
