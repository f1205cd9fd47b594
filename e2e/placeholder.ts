/**
 * A small, valid weights.v2c-bin pack built with the core encoder, served by the fixture
 * only while the build has no bundled demos. Deterministic: same bytes every run.
 */
import { encodePack, type LaneInput } from '../src/core/pack/write.ts';

export const PLACEHOLDER_FILE = 'placeholder-e2e.v2c.bin';
export const PLACEHOLDER_DIMS = 16;

export function placeholderPack(): Uint8Array {
  const ids = ['policy@weight', 'reward@bias', 'temporal@decay', 'value@gain', 'x@interaction'];
  const lanes: LaneInput[] = ids.map((id, k) => ({
    id,
    W: Array.from({ length: PLACEHOLDER_DIMS }, (_, i) => Math.sin((k + 1) * (i + 1)) * 0.5),
  }));
  return encodePack(lanes, PLACEHOLDER_DIMS).bytes;
}

/** A larger pack (DATA dominates the file) for checking that opening stays lazy. */
export function bigPack(opts: { lanes: number; dims: number; signKey?: Uint8Array }): Uint8Array {
  const lanes: LaneInput[] = Array.from({ length: opts.lanes }, (_, k) => ({
    id: `lane${String(k).padStart(4, '0')}@weight`,
    W: Array.from({ length: opts.dims }, (_, i) => Math.cos((k + 1) * 0.37 + i * 0.11) * 0.8),
  }));
  return encodePack(lanes, opts.dims, { signKey: opts.signKey }).bytes;
}
