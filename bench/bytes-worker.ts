/**
 * The bytes benchmark's client, in a worker thread (the S3 emulator runs on
 * the main thread). Each repetition uploads the same random bytes through the
 * product (start upload -> presigned POST or presigned part PUTs -> complete)
 * and through S3 directly with the SDK's S3 client (PutObject, or
 * CreateMultipartUpload + UploadPart + Complete, the same part size and
 * parallelism), then downloads the object through the portal (download route
 * -> presigned GET) and directly (GetObject). Timings include the API calls each way
 * needs; bodies are streamed and counted, not kept.
 */

import { randomFillSync } from 'node:crypto';
import { parentPort, workerData } from 'node:worker_threads';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  PutObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { config } from '../functions/lib/config.ts';

export interface BytesJob {
  apiUrl: string;
  s3: string;
  bucket: string;
  region: string;
  staffToken: string;
  clientToken: string;
  folderId: string;
  bytes: number;
  reps: number;
  parallelParts: number;
}

export interface BytesRun {
  op: string;
  mode: 'product' | 'raw';
  how: string;
  ms: number;
}

const job = workerData as BytesJob;
const data = randomFillSync(Buffer.allocUnsafe(job.bytes));
const contentType = 'application/octet-stream';

async function api(method: string, p: string, token: string, body?: unknown) {
  const res = await fetch(job.apiUrl + p, {
    method,
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (res.status >= 300) throw new Error(`${method} ${p}: ${res.status} ${text}`);
  return JSON.parse(text);
}

async function consume(res: Response): Promise<number> {
  if (res.status >= 300) throw new Error(`GET ${res.url.split('?')[0]}: ${res.status} ${await res.text()}`);
  let n = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) n += chunk.length;
  return n;
}

/** Runs `count` tasks with at most `width` at a time. */
async function pool<T>(count: number, width: number, task: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, count) }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await task(i);
      }
    }),
  );
  return out;
}

const s3 = new S3Client({
  endpoint: job.s3,
  region: job.region,
  forcePathStyle: true,
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
});

async function productUpload(rep: number): Promise<{ key: string; fileId: string; how: string }> {
  const start = await api('POST', `/folders/${job.folderId}/files`, job.staffToken, {
    name: `bytes-${rep}-${Date.now()}.bin`,
    size: job.bytes,
    contentType,
  });
  const up = start.upload;
  let parts: Array<{ partNumber: number; etag: string }> | undefined;
  if (up.type === 'post') {
    const form = new FormData();
    for (const [k, v] of Object.entries(up.fields as Record<string, string>)) form.append(k, v);
    form.append('file', new Blob([data], { type: contentType }), 'upload.bin');
    const res = await fetch(up.url, { method: 'POST', body: form });
    if (res.status >= 300) throw new Error(`presigned POST: ${res.status} ${await res.text()}`);
    await res.arrayBuffer();
  } else {
    // The upload hands out the first page of part URLs; the rest come a page at a time, as the site asks.
    const urls: Array<{ partNumber: number; url: string }> = [...up.parts];
    for (let from = urls.length + 1; from <= up.partCount; from += 100) {
      const to = Math.min(up.partCount, from + 99);
      const page = await api(
        'GET',
        `/files/${start.file.id}/versions/${start.versionId}/parts?from=${from}&to=${to}`,
        job.staffToken,
      );
      urls.push(...page.parts);
    }
    parts = await pool(urls.length, job.parallelParts, async (i) => {
      const p = urls[i];
      const from = (p.partNumber - 1) * up.partSize;
      const res = await fetch(p.url, { method: 'PUT', body: data.subarray(from, from + up.partSize) });
      if (res.status >= 300) throw new Error(`part PUT: ${res.status} ${await res.text()}`);
      await res.arrayBuffer();
      return { partNumber: p.partNumber, etag: res.headers.get('etag')! };
    });
  }
  const done = await api(
    'POST',
    `/files/${start.file.id}/versions/${start.versionId}/complete`,
    job.staffToken,
    parts ? { parts } : {},
  );
  return {
    key: `files/${start.file.id}/${done.version.versionId}`,
    fileId: start.file.id,
    how:
      up.type === 'post'
        ? 'presigned POST'
        : `presigned multipart (${up.partCount} × ${(up.partSize / 2 ** 20).toFixed(0)} MiB, ` +
          `${job.parallelParts} at a time)`,
  };
}

async function rawUpload(
  rep: number,
  multipart: { partSize: number } | undefined,
): Promise<{ key: string; how: string }> {
  const key = `bench/raw-${rep}-${Date.now()}`;
  const Bucket = job.bucket;
  if (!multipart) {
    await s3.send(new PutObjectCommand({ Bucket, Key: key, ContentType: contentType, Body: data }));
    return { key, how: 'PutObject' };
  }
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket, Key: key, ContentType: contentType }));
  if (!UploadId) throw new Error('CreateMultipartUpload returned no UploadId');
  const count = Math.ceil(job.bytes / multipart.partSize);
  const parts = await pool(count, job.parallelParts, async (i) => {
    const from = i * multipart.partSize;
    const out = await s3.send(
      new UploadPartCommand({
        Bucket,
        Key: key,
        UploadId,
        PartNumber: i + 1,
        Body: data.subarray(from, from + multipart.partSize),
      }),
    );
    return { PartNumber: i + 1, ETag: out.ETag };
  });
  await s3.send(new CompleteMultipartUploadCommand({ Bucket, Key: key, UploadId, MultipartUpload: { Parts: parts } }));
  return {
    key,
    how: `multipart (${count} × ${(multipart.partSize / 2 ** 20).toFixed(0)} MiB, ${job.parallelParts} at a time)`,
  };
}

async function rawDownload(key: string): Promise<number> {
  const out = await s3.send(new GetObjectCommand({ Bucket: job.bucket, Key: key }));
  let n = 0;
  for await (const chunk of out.Body as AsyncIterable<Uint8Array>) n += chunk.length;
  return n;
}

async function main(): Promise<BytesRun[]> {
  const runs: BytesRun[] = [];
  const time = async <T>(f: () => Promise<T>) => {
    const t0 = performance.now();
    const r = await f();
    return { r, ms: performance.now() - t0 };
  };
  // Repetition -1 warms both paths up (JIT, emulator, sockets) and is not recorded.
  for (let rep = -1; rep < job.reps; rep++) {
    const record = (r: BytesRun) => rep >= 0 && runs.push(r);
    // Alternate which goes first, so neither always meets a warmer emulator.
    const order = rep % 2 !== 0 && rep > 0 ? ['raw', 'product'] : ['product', 'raw'];
    let product: { key: string; fileId: string; how: string } | undefined;
    let multipart: { partSize: number } | undefined;
    for (const mode of order) {
      if (mode === 'product') {
        const { r, ms } = await time(() => productUpload(rep + 1));
        product = r;
        record({ op: 'upload', mode: 'product', how: r.how, ms });
      } else {
        // The raw upload does what the product does at this size (the same config): one request, or parts.
        multipart =
          job.bytes > config.multipartThreshold
            ? { partSize: Math.max(config.multipartPartSize, 5 * 2 ** 20) }
            : undefined;
        const { r, ms } = await time(() => rawUpload(rep + 1, multipart));
        record({ op: 'upload', mode: 'raw', how: r.how, ms });
      }
    }
    for (const mode of order) {
      if (mode === 'product') {
        const { r: n, ms } = await time(async () => {
          const { url } = await api('GET', `/portal/files/${product!.fileId}/download`, job.clientToken);
          return consume(await fetch(url));
        });
        if (n !== job.bytes) throw new Error(`portal download gave ${n} bytes, not ${job.bytes}`);
        record({ op: 'download', mode: 'product', how: 'download route + presigned GET', ms });
      } else {
        const { r: n, ms } = await time(() => rawDownload(product!.key));
        if (n !== job.bytes) throw new Error(`GetObject gave ${n} bytes, not ${job.bytes}`);
        record({ op: 'download', mode: 'raw', how: 'GetObject', ms });
      }
    }
  }
  return runs;
}

main().then(
  (runs) => parentPort!.postMessage({ runs }),
  (e) => parentPort!.postMessage({ error: String(e?.stack ?? e) }),
);
