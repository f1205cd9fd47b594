/**
 * The store's pack loader: open a Blob lazily through the registry (header, DICT, INDEX and
 * tail sections; DATA is not read) and summarize it as plain data. The manifest is built
 * just after (buildManifest), once the inspector has been shown.
 */
import { isAsxError } from '../core/errors';
import { manifestJson, packManifest } from '../core/pack/manifest';
import { getHandle, OpenFailure, openHandle } from './packRegistry';
import type { PayloadRef } from './lib/httpSource';
import type { PackSummary, UiError } from './store';

export async function loadPack(blob: PayloadRef, name: string): Promise<PackSummary> {
  const handle = await openHandle(blob, name);
  const reader = handle.reader;
  return {
    header: { ...reader.header },
    sections: reader.sections.map((s) => ({ name: s.name, offset: s.offset, length: s.length })),
    laneIds: [...reader.ids],
    fileSize: reader.fileSize,
    bytesRead: handle.counter.bytesRead,
    handle: handle.id,
  };
}

/** The manifest view of an open pack (no DATA read): canonical JSON text and its schema. */
export function buildManifest(handleId: string): { json: string; schema?: string } | null {
  const handle = getHandle(handleId);
  if (!handle) return null;
  const manifest = packManifest(handle.reader);
  const schema = (manifest as { schema?: unknown }).schema;
  return { json: manifestJson(manifest), schema: typeof schema === 'string' ? schema : undefined };
}

/** Whatever was thrown, as something to show: code, sentence, offset, file. No stacks. */
export function toUiError(thrown: unknown, file: string): UiError {
  let error = thrown;
  let bytesRead: number | undefined;
  if (thrown instanceof OpenFailure) {
    error = thrown.cause;
    bytesRead = thrown.bytesRead;
  }
  const withRead = (e: UiError): UiError => (bytesRead === undefined ? e : { ...e, bytesRead });
  if (isAsxError(error)) {
    return withRead({
      code: error.code,
      message: error.message,
      offset: error.where.offset,
      path: error.where.path,
      file: error.where.file ?? file,
    });
  }
  if (error instanceof DOMException && (error.name === 'NotReadableError' || error.name === 'NotFoundError')) {
    return withRead({ code: 'io_error', message: `The file could not be read (${error.name}). It may have been moved or changed.`, file });
  }
  if (error instanceof RangeError) {
    return withRead({ code: 'internal', message: `Unexpected range error while reading: ${error.message}`, file });
  }
  const message = error instanceof Error ? error.message : String(error);
  return withRead({ code: 'internal', message: message || 'Unexpected error while opening the file.', file });
}
