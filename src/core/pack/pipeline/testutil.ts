/** Test helpers (imported by *.test.ts only). */
export function lanes(obj: Record<string, number[]>): Map<string, Float64Array> {
  return new Map(Object.entries(obj).map(([k, v]) => [k, Float64Array.from(v)]));
}

/** Exact f64 equality against 17-significant-digit strings (they identify a binary64 uniquely). */
export function exact(a: ArrayLike<number> | undefined): string[] {
  if (a === undefined) throw new Error('lane missing');
  return Array.from(a, (x) => x.toPrecision(17));
}

export function p17(xs: number[]): string[] {
  return xs.map((x) => x.toPrecision(17));
}
