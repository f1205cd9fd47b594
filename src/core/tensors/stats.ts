/**
 * Statistics, histograms and tensor-by-tensor diffs of safetensors tensors, computed in bounded
 * chunks (default 4 MiB of raw bytes): a multi-GB tensor is never held whole (docs/laws.md
 * L-SAFETENSORS).
 *
 * Over the finite elements (NaN and ±Inf are counted, not averaged): min, max, mean and the
 * population standard deviation (ddof = 0, numpy's default; chunk moments merged with Chan et
 * al.'s parallel update). The histogram has `bins` equal-width bins over [min, max] (the last
 * bin closed); it needs min and max first, so a tensor larger than one chunk is read twice.
 * I64/U64 also give exact `exactMin`/`exactMax` (decimal strings) and `unsafe`, the count of
 * elements beyond ±2^53 whose viewing value is rounded.
 */
import { AsxError } from '../errors.ts';
import { decodeInto, type BigIntExtent } from './dtypes.ts';
import { DEFAULT_CHUNK_BYTES, DTYPE_BYTES, type Dtype, type SafetensorsReader, type TensorInfo } from './safetensors.ts';

export interface TensorStats {
  name: string;
  dtype: Dtype;
  shape: number[];
  elements: number;
  finite: number;
  nan: number;
  posInf: number;
  negInf: number;
  zeros: number;
  /** Over finite elements; null when there are none. */
  min: number | null;
  max: number | null;
  mean: number | null;
  std: number | null;
  /** I64/U64 only: exact extremes and the count of elements beyond ±2^53. */
  exactMin?: string | null;
  exactMax?: string | null;
  unsafe?: number;
  histogram: { bins: number; lo: number; hi: number; counts: number[] } | null;
}

export type ChunkedTensors = Pick<SafetensorsReader, 'info' | 'chunks' | 'view'>;

export interface StatsOptions { bins?: number; chunkBytes?: number }

export const MAX_BINS = 4096;

/** Bin of a finite v in [lo, hi] (scaled by ½ so hi − lo cannot overflow). */
function binOf(v: number, lo: number, hi: number, bins: number): number {
  const w = hi / 2 - lo / 2;
  if (!(w > 0)) return 0;
  const k = Math.floor(((v / 2 - lo / 2) / w) * bins);
  return k < 0 ? 0 : k >= bins ? bins - 1 : k;
}

export async function tensorStats(r: ChunkedTensors, name: string, opts: StatsOptions = {}): Promise<TensorStats> {
  const bins = opts.bins ?? 64;
  if (!Number.isSafeInteger(bins) || bins < 1 || bins > MAX_BINS) throw new AsxError('bad_input', `bins must be an integer in 1..${MAX_BINS}, got ${bins}`, { path: 'bins' });
  const chunkBytes = opts.chunkBytes ?? DEFAULT_CHUNK_BYTES;
  const t: TensorInfo = r.info(name);
  const size = DTYPE_BYTES[t.dtype];
  const elements = (t.end - t.begin) / size;
  const big = t.dtype === 'I64' || t.dtype === 'U64';
  const extent: BigIntExtent | undefined = big ? { min: null, max: null, unsafe: 0 } : undefined;
  const buf = new Float64Array(Math.min(elements, Math.max(1, Math.floor(chunkBytes / size))));
  let nan = 0, posInf = 0, negInf = 0, zeros = 0, finite = 0;
  let min = Infinity, max = -Infinity, mean = 0, m2 = 0;
  const single = elements * size <= chunkBytes;
  let kept: Float64Array | null = null;
  for await (const { bytes } of r.chunks(name, chunkBytes)) {
    const n = decodeInto(bytes, t.dtype, buf, extent);
    let cn = 0, csum = 0;
    for (let i = 0; i < n; i++) {
      const v = buf[i];
      if (v !== v) { nan++; continue; }
      if (v === Infinity) { posInf++; continue; }
      if (v === -Infinity) { negInf++; continue; }
      if (v === 0) zeros++;
      if (v < min) min = v;
      if (v > max) max = v;
      cn++;
      csum += v;
    }
    if (cn === 0) continue;
    const cmean = csum / cn;
    let cm2 = 0;
    for (let i = 0; i < n; i++) { const v = buf[i]; if (v - v === 0) { const d = v - cmean; cm2 += d * d; } }
    const tot = finite + cn;
    const delta = cmean - mean;
    mean += (delta * cn) / tot;
    m2 += cm2 + ((delta * delta * finite) / tot) * cn;
    finite = tot;
    if (single) kept = buf.subarray(0, n);
  }
  let histogram: TensorStats['histogram'] = null;
  if (finite > 0) {
    const counts = new Array<number>(bins).fill(0);
    const add = (vals: Float64Array) => { for (let i = 0; i < vals.length; i++) { const v = vals[i]; if (v - v === 0) counts[binOf(v, min, max, bins)]++; } };
    if (kept) add(kept);
    else for await (const { bytes } of r.chunks(name, chunkBytes)) add(buf.subarray(0, decodeInto(bytes, t.dtype, buf)));
    histogram = { bins, lo: min, hi: max, counts };
  }
  const out: TensorStats = {
    name, dtype: t.dtype, shape: t.shape, elements, finite, nan, posInf, negInf, zeros,
    min: finite ? min : null, max: finite ? max : null, mean: finite ? mean : null, std: finite ? Math.sqrt(m2 / finite) : null,
    histogram,
  };
  if (extent) { out.exactMin = extent.min === null ? null : String(extent.min); out.exactMax = extent.max === null ? null : String(extent.max); out.unsafe = extent.unsafe; }
  return out;
}

export interface TensorDiff {
  name: string;
  /** cos(A, B) over the viewing values; null when a norm is 0 or a value is not finite. */
  cosine: number | null;
  /** ‖B − A‖ / ‖A‖; null when ‖A‖ = 0 (or a value is not finite). */
  relDiff: number | null;
  /** max |B − A|. */
  maxAbs: number | null;
  /** Elements whose values differ (NaN vs NaN counts as equal). */
  differing: number;
  dtypeA: Dtype;
  dtypeB: Dtype;
}

/** Two tensors of the same shape (dtypes may differ), compared element by element in chunks. */
export async function diffTensor(a: ChunkedTensors, b: ChunkedTensors, name: string, chunkBytes = DEFAULT_CHUNK_BYTES): Promise<TensorDiff> {
  const ta = a.info(name);
  const tb = b.info(name);
  const n = (ta.end - ta.begin) / DTYPE_BYTES[ta.dtype];
  if (n !== (tb.end - tb.begin) / DTYPE_BYTES[tb.dtype]) throw new AsxError('bad_input', `tensor ${JSON.stringify(name)} has ${n} elements in A and a different count in B`, { path: `$[${JSON.stringify(name)}]` });
  const step = Math.max(1, Math.floor(chunkBytes / Math.max(DTYPE_BYTES[ta.dtype], DTYPE_BYTES[tb.dtype])));
  let dot = 0, na = 0, nb = 0, nd = 0, maxAbs = 0, differing = 0, bad = false;
  for (let at = 0; at < n; at += step) {
    const c = Math.min(step, n - at);
    const [va, vb] = await Promise.all([a.view(name, at, c), b.view(name, at, c)]);
    for (let i = 0; i < c; i++) {
      const x = va[i], y = vb[i];
      if (x !== y && !(x !== x && y !== y)) differing++;
      if (!(x - x === 0 && y - y === 0)) { bad = true; continue; }
      dot += x * y; na += x * x; nb += y * y;
      const d = y - x;
      nd += d * d;
      const ad = Math.abs(d);
      if (ad > maxAbs) maxAbs = ad;
    }
  }
  const fin = (v: number) => (Number.isFinite(v) ? v : null);
  return {
    name,
    cosine: bad || na === 0 || nb === 0 ? null : fin(Math.max(-1, Math.min(1, dot / Math.sqrt(na * nb)))),
    relDiff: bad || na === 0 ? null : fin(Math.sqrt(nd) / Math.sqrt(na)),
    maxAbs: bad ? null : fin(maxAbs),
    differing,
    dtypeA: ta.dtype, dtypeB: tb.dtype,
  };
}
