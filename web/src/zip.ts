/**
 * "Descargar todo" / "Descargar selección": one ZIP built in the browser from the presigned GETs the
 * downloads routes answer (100 files a call), with client-zip (loaded on first use, not in the first
 * load). The bytes never pass through the API. Where the browser has the File System Access API the ZIP
 * streams to disk as it is built, whatever its size; elsewhere it is a Blob in memory, refused above
 * BLOB_LIMIT before anything is fetched past it.
 */
import type { DownloadsAnswer, DownloadsBody } from './api.ts';
import { saveBlob } from './download.ts';
import type { BatchFile } from './types.ts';

/** The largest ZIP built in memory where the browser cannot write to disk as it goes. */
export const BLOB_LIMIT = 500 * 1024 * 1024;

export class ZipTooBig extends Error {
  constructor(readonly limit: number) {
    super('zip_too_big');
  }
}

type Fetcher = (body: DownloadsBody) => Promise<DownloadsAnswer>;

/** The calls for a selection (100 ids each) or for the whole folder (cursor after cursor). */
async function* batches(fetchPage: Fetcher, fileIds?: string[]): AsyncGenerator<BatchFile> {
  if (fileIds) {
    for (let i = 0; i < fileIds.length; i += 100)
      yield* (await fetchPage({ fileIds: fileIds.slice(i, i + 100) })).files;
    return;
  }
  let cursor: string | undefined;
  do {
    const page = await fetchPage(cursor ? { cursor } : {});
    yield* page.files;
    cursor = page.nextCursor;
  } while (cursor);
}

/** Where a file goes in the ZIP: its folders below the one asked for, then its name. */
export const entryName = (f: BatchFile): string => [...f.path.map((p) => p.name), f.name].join('/');

type SavePicker = (o: {
  suggestedName: string;
  types?: { description: string; accept: Record<string, string[]> }[];
}) => Promise<{ createWritable(): Promise<WritableStream<Uint8Array>> }>;

/**
 * Build and save `zipName`. Returns how many files went in. The save dialog (where there is one) is
 * asked first, while the click still counts as the user's gesture.
 */
export async function saveZip(
  zipName: string,
  fetchPage: Fetcher,
  fileIds: string[] | undefined,
  onFile: (done: number) => void,
): Promise<number> {
  const picker = (globalThis as { showSaveFilePicker?: SavePicker }).showSaveFilePicker;
  const target = picker
    ? await picker({ suggestedName: zipName, types: [{ description: 'ZIP', accept: { 'application/zip': ['.zip'] } }] })
    : undefined;
  const { makeZip } = await import('client-zip');
  let done = 0;
  let bytes = 0;
  async function* entries() {
    for await (const f of batches(fetchPage, fileIds)) {
      bytes += f.size;
      if (!target && bytes > BLOB_LIMIT) throw new ZipTooBig(BLOB_LIMIT);
      const res = await fetch(f.url);
      if (!res.ok || !res.body) throw new Error(`download_failed ${res.status}`);
      yield { name: entryName(f), input: res, size: f.size, lastModified: new Date() };
      onFile(++done);
    }
  }
  const zip = makeZip(entries());
  if (target) {
    await zip.pipeTo(await target.createWritable());
  } else {
    const blob = await new Response(zip, { headers: { 'content-type': 'application/zip' } }).blob();
    saveBlob(blob, zipName);
  }
  return done;
}
