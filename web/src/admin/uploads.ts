/**
 * The upload queue: straight to S3 with what the API returns. A presigned
 * POST (FormData: the policy fields first, then `file`) or multipart parts
 * (a PUT per part, the ETag read from each response), then
 * POST /files/{id}/versions/{versionId}/complete. XMLHttpRequest, because
 * fetch still cannot report upload progress. Failed parts are retried, then
 * the user can retry the file (finished parts are kept); cancel aborts.
 * Every upload first reads the file once for its SHA-256 and declares it: S3
 * then refuses bytes that differ (the POST's policy pins the hash; each part
 * URL signs its part's), and the version records a hash S3 checked.
 */
import * as api from '../api.ts';
import { ApiError } from '../api.ts';
import type { MultipartUpload, SingleUpload, StaffFile, UploadStart } from '../types.ts';
import { blobSha256, fileSha256 } from './hashing.ts';

export type UploadState = 'waiting' | 'uploading' | 'finishing' | 'done' | 'failed' | 'cancelled' | 'clash';

export interface UploadItem {
  id: number;
  file: File;
  name: string;
  folderId: string;
  /** Upload as a new version of this file instead of a new file. */
  versionOf?: string;
  state: UploadState;
  loaded: number;
  /** Bytes read for the file's SHA-256 so far, while it is computed before the upload starts. */
  hashed?: number;
  /** The whole file's SHA-256 (hex), once computed: a retry declares the same. */
  sha256?: string;
  /** Each part's SHA-256 (hex), by part number, as the upload's pages of part URLs ask for them. */
  partSums: Map<number, string>;
  error?: unknown;
  start?: UploadStart;
  etags: Map<number, string>;
  inflight: Map<number, number>;
  xhrs: Set<XMLHttpRequest>;
  result?: StaffFile;
  /** Which run of this item is the live one: a cancel or a retry starts another. */
  run: number;
  /** The upload's start while the API is answering it. */
  starting?: Promise<UploadStart>;
}

const PARALLEL_FILES = 2;
const PARALLEL_PARTS = 3;
const PART_ATTEMPTS = 3;

let nextId = 1;
let items: UploadItem[] = [];
const listeners = new Set<() => void>();
const doneListeners = new Set<(item: UploadItem) => void>();

/** (time, bytes sent) of the batch, a few seconds back: the speed and the time left. */
let samples: Array<{ at: number; sent: number }> = [];
const WINDOW_MS = 5000;

function changed(): void {
  items = [...items];
  const now = Date.now();
  if (items.some(isActive)) {
    samples.push({ at: now, sent: items.reduce((s, i) => s + (i.state === 'done' ? i.file.size : i.loaded), 0) });
    samples = samples.filter((x) => now - x.at <= WINDOW_MS);
  } else samples = [];
  for (const fn of listeners) fn();
}

const isActive = (i: UploadItem) => i.state === 'waiting' || i.state === 'uploading' || i.state === 'finishing';

export function uploadItems(): UploadItem[] {
  return items;
}

export function onUploadsChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** Called when a file finishes (to refresh the listing it landed in). */
export function onUploadDone(fn: (item: UploadItem) => void): () => void {
  doneListeners.add(fn);
  return () => doneListeners.delete(fn);
}

export function contentTypeOf(file: File): string {
  const t = (file.type || '').trim();
  return /^[\w.+-]+\/[\w.+-]+$/.test(t) ? t : 'application/octet-stream';
}

export function addUploads(entries: Array<{ file: File; folderId: string; name?: string; versionOf?: string }>): void {
  for (const e of entries) {
    items.push({
      id: nextId++,
      file: e.file,
      name: e.name ?? e.file.name,
      folderId: e.folderId,
      versionOf: e.versionOf,
      state: 'waiting',
      loaded: 0,
      etags: new Map(),
      partSums: new Map(),
      run: 0,
      inflight: new Map(),
      xhrs: new Set(),
    });
  }
  changed();
  pump();
}

export function cancelUpload(id: number): void {
  const it = items.find((i) => i.id === id);
  if (!it || it.state === 'done') return;
  it.state = 'cancelled';
  // A run still waiting on the API (the upload's start) must not carry on once it answers.
  it.run++;
  for (const x of it.xhrs) x.abort();
  it.xhrs.clear();
  changed();
  pump();
}

export function cancelAll(): void {
  for (const it of items)
    if (it.state === 'waiting' || it.state === 'uploading' || it.state === 'clash') cancelUpload(it.id);
}

export function retryUpload(id: number): void {
  const it = items.find((i) => i.id === id);
  if (!it || (it.state !== 'failed' && it.state !== 'cancelled')) return;
  if (it.state === 'cancelled') {
    it.etags.clear();
    it.loaded = 0;
  }
  it.state = 'waiting';
  it.error = undefined;
  changed();
  pump();
}

/** Resolve a name clash: a new version of the file already there, or another name. */
export function resolveClash(id: number, how: { versionOf: string } | { name: string }): void {
  const it = items.find((i) => i.id === id);
  if (it?.state !== 'clash') return;
  if ('versionOf' in how) it.versionOf = how.versionOf;
  else it.name = how.name;
  it.start = undefined;
  it.state = 'waiting';
  it.error = undefined;
  changed();
  pump();
}

export function clearFinished(): void {
  items = items.filter(
    (i) =>
      i.state === 'waiting' ||
      i.state === 'uploading' ||
      i.state === 'finishing' ||
      i.state === 'clash' ||
      i.state === 'failed',
  );
  changed();
}

function pump(): void {
  const running = items.filter((i) => i.state === 'uploading' || i.state === 'finishing').length;
  const waiting = items.filter((i) => i.state === 'waiting').slice(0, Math.max(0, PARALLEL_FILES - running));
  for (const it of waiting) void run(it);
}

const live = (it: UploadItem) => it.state === 'uploading' || it.state === 'finishing';

async function run(it: UploadItem): Promise<void> {
  const run = ++it.run;
  /** This run is still the item's, and the item is still going (not cancelled, nor retried since). */
  const mine = () => it.run === run && live(it);
  it.state = 'uploading';
  changed();
  try {
    if (!it.start) {
      if (!it.sha256) {
        it.hashed = 0;
        let last = 0;
        const sum = await fileSha256(
          it.file,
          (hashed) => {
            it.hashed = hashed;
            if (Date.now() - last > 100) {
              last = Date.now();
              changed();
            }
          },
          () => !mine(),
        );
        if (!mine()) return;
        it.sha256 = sum;
        it.hashed = undefined;
      }
      const body = { size: it.file.size, contentType: contentTypeOf(it.file), sha256: it.sha256 };
      // One start per item even when cancel and retry come while the API is still answering: the
      // retry waits for that same start instead of asking for a second one (which would clash by name).
      it.starting ??= (
        it.versionOf ? api.startVersion(it.versionOf, body) : api.startUpload(it.folderId, { name: it.name, ...body })
      ).finally(() => {
        it.starting = undefined;
      });
      const started = await it.starting;
      it.start ??= started;
      it.etags.clear();
      it.partSums.clear();
    }
    if (!mine()) return;
    const up = it.start.upload;
    let parts: Array<{ partNumber: number; etag: string; sha256?: string }> | undefined;
    if (up.type === 'multipart') parts = await sendParts(it, up);
    else await sendPost(it, up);
    if (!mine()) return;
    it.state = 'finishing';
    it.loaded = it.file.size;
    changed();
    const done = await api.completeUpload(it.start.file.id, it.start.versionId, parts);
    it.result = done.file;
    it.state = 'done';
    changed();
    for (const fn of doneListeners) fn(it);
  } catch (err) {
    if (it.run !== run || (it.state as UploadState) === 'cancelled') return;
    if (err instanceof ApiError && err.status === 409 && err.code === 'name_taken' && !it.start) {
      it.state = 'clash';
    } else {
      it.state = 'failed';
      // A completion refused (bytes missing, size differs) needs a fresh upload.
      if (
        err instanceof ApiError &&
        (err.code === 'upload_missing' ||
          err.code === 'size_mismatch' ||
          err.status === 404 ||
          err.rule === 'parts_refused')
      )
        it.start = undefined;
    }
    it.error = err;
    // The bar shows what the storage confirmed, not what the browser handed to the network.
    it.loaded = confirmedBytes(it);
    it.inflight.clear();
    changed();
  } finally {
    pump();
  }
}

function xhrSend(
  it: UploadItem,
  method: 'POST' | 'PUT',
  url: string,
  body: FormData | Blob,
  onProgress: (loaded: number) => void,
  headers: Record<string, string> = {},
): Promise<XMLHttpRequest> {
  return new Promise((resolve, reject) => {
    const x = new XMLHttpRequest();
    it.xhrs.add(x);
    x.open(method, url);
    for (const [k, v] of Object.entries(headers)) x.setRequestHeader(k, v);
    x.upload.onprogress = (e) => onProgress(e.loaded);
    x.onload = () => {
      it.xhrs.delete(x);
      if (x.status >= 200 && x.status < 300) resolve(x);
      else reject(new ApiError(x.status, 'upload_failed', `storage answered ${x.status}`));
    };
    x.onerror = () => {
      it.xhrs.delete(x);
      reject(new ApiError(0, 'network', 'upload failed'));
    };
    x.onabort = () => {
      it.xhrs.delete(x);
      reject(new ApiError(0, 'aborted', 'cancelled'));
    };
    x.send(body);
  });
}

async function sendPost(it: UploadItem, up: SingleUpload): Promise<void> {
  const form = new FormData();
  for (const [k, v] of Object.entries(up.fields)) form.append(k, v);
  form.append('file', it.file);
  it.loaded = 0;
  let last = 0;
  await xhrSend(it, 'POST', up.url, form, (loaded) => {
    // FormData adds a little framing; never show more than the file.
    it.loaded = Math.min(loaded, it.file.size);
    if (Date.now() - last > 100) {
      last = Date.now();
      changed();
    }
  });
}

/** Part URLs are fetched a page at a time, as the upload reaches them (they live about as long as a page takes). */
const PART_PAGE = 10;

async function sendParts(
  it: UploadItem,
  up: MultipartUpload,
): Promise<Array<{ partNumber: number; etag: string; sha256?: string }>> {
  const size = it.file.size;
  const partBytes = (n: number) => Math.max(0, Math.min(up.partSize, size - (n - 1) * up.partSize));
  const partBlob = (n: number) => it.file.slice((n - 1) * up.partSize, (n - 1) * up.partSize + partBytes(n));
  const count = up.partCount ?? up.parts.length;
  const checksummed = up.checksums === 'sha256';
  // A retry long after the start: the first page's URLs may have expired.
  const stale = up.expiresAt !== undefined && Date.parse(up.expiresAt) - 60_000 < Date.now();
  type PartUrl = { url: string; headers?: Record<string, string> };
  const urls = new Map<number, PartUrl>(stale ? [] : up.parts.map((p) => [p.partNumber, p]));
  const start = it.start!;
  let paging: Promise<void> | undefined;
  /** The SHA-256s of parts `from`..`to`, computed once per part. */
  const sumsOf = async (from: number, to: number) => {
    const sums: string[] = [];
    for (let n = from; n <= to; n++) {
      if (!it.partSums.has(n)) it.partSums.set(n, await blobSha256(partBlob(n)));
      sums.push(it.partSums.get(n)!);
    }
    return sums;
  };
  /** The URL of part `n`: from the page already fetched, or the next page (one request for every worker). */
  const urlOf = async (n: number, fresh = false): Promise<PartUrl> => {
    if (fresh) urls.delete(n);
    while (!urls.has(n)) {
      const to = Math.min(count, n + PART_PAGE - 1);
      paging ??= (checksummed ? sumsOf(n, to) : Promise.resolve(undefined))
        .then((sums) => api.uploadParts(start.file.id, start.versionId, n, to, sums))
        .then((page) => {
          for (const p of page.parts) urls.set(p.partNumber, p);
        })
        .finally(() => {
          paging = undefined;
        });
      await paging;
    }
    return urls.get(n)!;
  };
  const todo = Array.from({ length: count }, (_, i) => ({ partNumber: i + 1 })).filter(
    (p) => !it.etags.has(p.partNumber),
  );
  const doneBytes = () => [...it.etags.keys()].reduce((s, n) => s + partBytes(n), 0);
  const refresh = () => {
    it.loaded = doneBytes() + [...it.inflight.values()].reduce((a, b) => a + b, 0);
    changed();
  };
  let failure: unknown;
  const worker = async () => {
    while (todo.length && live(it) && !failure) {
      const part = todo.shift()!;
      const blob = partBlob(part.partNumber);
      for (let attempt = 1; ; attempt++) {
        try {
          // A retry gets a fresh URL: the old one may have expired while the line was down.
          const { url, headers } = await urlOf(part.partNumber, attempt > 1);
          const x = await xhrSend(
            it,
            'PUT',
            url,
            blob,
            (loaded) => {
              it.inflight.set(part.partNumber, loaded);
              refresh();
            },
            headers,
          );
          const etag = x.getResponseHeader('ETag');
          if (!etag) throw new ApiError(0, 'no_etag', 'the storage did not expose the ETag header');
          it.etags.set(part.partNumber, etag);
          break;
        } catch (err) {
          it.inflight.delete(part.partNumber);
          if (!live(it) || attempt >= PART_ATTEMPTS || (err instanceof ApiError && err.code === 'no_etag')) {
            failure ??= err;
            break;
          }
          await new Promise((r) => setTimeout(r, 500 * attempt));
        } finally {
          it.inflight.delete(part.partNumber);
          refresh();
        }
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_PARTS, todo.length || 1) }, worker));
  if (failure) throw failure;
  return Array.from({ length: count }, (_, i) => ({
    partNumber: i + 1,
    etag: it.etags.get(i + 1)!,
    ...(checksummed ? { sha256: it.partSums.get(i + 1) } : {}),
  }));
}

/** Bytes the storage has confirmed: finished parts of a multipart upload (a POST confirms all or nothing). */
function confirmedBytes(it: UploadItem): number {
  if (it.state === 'done') return it.file.size;
  const up = it.start?.upload;
  if (up?.type !== 'multipart') return 0;
  return [...it.etags.keys()].reduce(
    (s, n) => s + Math.max(0, Math.min(up.partSize, it.file.size - (n - 1) * up.partSize)),
    0,
  );
}

export interface Overall {
  /** Bytes sent and to send, of what is not cancelled. */
  loaded: number;
  total: number;
  /** Files: uploaded, in the batch (cancelled ones included), failed, cancelled, still to go. */
  done: number;
  count: number;
  failed: number;
  cancelled: number;
  active: number;
  /** Bytes per second over the last few seconds, and seconds left at that speed (while uploading). */
  speed?: number;
  secondsLeft?: number;
}

export function overall(list: UploadItem[]): Overall {
  const counted = list.filter((i) => i.state !== 'cancelled');
  const loaded = counted.reduce((s, i) => s + (i.state === 'done' ? i.file.size : i.loaded), 0);
  const total = counted.reduce((s, i) => s + i.file.size, 0);
  const active = list.filter(isActive).length;
  let speed: number | undefined;
  let secondsLeft: number | undefined;
  if (active && samples.length >= 2) {
    const first = samples[0];
    const last = samples[samples.length - 1];
    const seconds = (last.at - first.at) / 1000;
    if (seconds >= 0.5 && last.sent > first.sent) {
      speed = (last.sent - first.sent) / seconds;
      secondsLeft = Math.max(0, (total - loaded) / speed);
    }
  }
  return {
    loaded,
    total,
    done: list.filter((i) => i.state === 'done').length,
    count: list.length,
    failed: list.filter((i) => i.state === 'failed' || i.state === 'clash').length,
    cancelled: list.filter((i) => i.state === 'cancelled').length,
    active,
    speed,
    secondsLeft,
  };
}
