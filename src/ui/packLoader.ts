/**
 * The only place the UI calls the pack core: open a Blob lazily (header, DICT, INDEX and
 * tail sections; DATA is not read), build the manifest, and summarize it as plain data.
 */
import { blobSource, CountingSource } from '../core/bytes/source';
import { isAsxError } from '../core/errors';
import { manifestJson, packManifest } from '../core/pack/manifest';
import { openPack } from '../core/pack/read';
import type { PackSummary, UiError } from './store';

export async function loadPack(blob: Blob, name: string): Promise<PackSummary> {
  const src = new CountingSource(blobSource(blob, name));
  const reader = await openPack(src);
  const manifest = packManifest(reader);
  const text = manifestJson(manifest);
  const schema = (manifest as { schema?: unknown }).schema;
  return {
    header: { ...reader.header },
    sections: reader.sections.map((s) => ({ name: s.name, offset: s.offset, length: s.length })),
    laneIds: [...reader.ids],
    fileSize: reader.fileSize,
    bytesRead: src.bytesRead,
    manifestJson: text,
    schema: typeof schema === 'string' ? schema : undefined,
  };
}

/** Whatever was thrown, as something to show: code, sentence, offset, file. No stacks. */
export function toUiError(error: unknown, file: string): UiError {
  if (isAsxError(error)) {
    return {
      code: error.code,
      message: error.message,
      offset: error.where.offset,
      path: error.where.path,
      file: error.where.file ?? file,
    };
  }
  if (error instanceof DOMException && (error.name === 'NotReadableError' || error.name === 'NotFoundError')) {
    return { code: 'io_error', message: `The file could not be read (${error.name}). It may have been moved or changed.`, file };
  }
  if (error instanceof RangeError) {
    return { code: 'internal', message: `Unexpected range error while reading: ${error.message}`, file };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: message || 'Unexpected error while opening the file.', file };
}
