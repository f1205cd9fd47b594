/**
 * The MX2LM train / validation / test split of the Brown corpus, by document (docs/laws.md
 * MX2LM-CORPUS). The 500 document ids (`ca01` … `cr09`) are sorted in byte order (genre letter,
 * then number) and numbered p = 1 … 500: p ≡ 0 (mod 10) → test, p ≡ 9 (mod 10) → validation,
 * every other document → train. 400 / 50 / 50 documents, every genre of ≥ 10 documents in all
 * three (the ten genres run through the sequence so each gets its share).
 */

export type SplitName = 'train' | 'validation' | 'test';

/** The split of the document at 1-based position `p` of the sorted ids. */
export function splitOfPosition(p: number): SplitName {
  const r = p % 10;
  return r === 0 ? 'test' : r === 9 ? 'validation' : 'train';
}

export interface SplitDocuments<T> {
  train: T[];
  validation: T[];
  test: T[];
}

/** Brown document ids: `c`, a genre letter a–r, two digits. */
export const BROWN_ID = /^c[a-r]\d{2}$/;

function compareIds(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0; // ASCII ids: code-unit order is byte order
}

/** Split documents (any order in, each split in id order out). */
export function splitDocuments<T extends { id: string }>(docs: readonly T[]): SplitDocuments<T> {
  const sorted = [...docs].sort((a, b) => compareIds(a.id, b.id));
  const out: SplitDocuments<T> = { train: [], validation: [], test: [] };
  sorted.forEach((d, i) => out[splitOfPosition(i + 1)].push(d));
  return out;
}
