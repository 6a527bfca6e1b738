/**
 * S3 behind a thin adapter, through @aws-sdk/client-s3 and its presigners:
 * presigned POST / multipart part URLs for staff uploads, presigned GET for
 * downloads, HeadObject to verify an upload, and server-made objects (exports)
 * streamed up in parts. Bytes of documents never pass through Lambda.
 */
import { PassThrough } from 'node:stream';
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { Upload } from '@aws-sdk/lib-storage';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { contentDisposition, type Disposition } from '../domain/download.ts';
import { sha256Base64 } from '../domain/uploads.ts';
import { config } from '../lib/config.ts';
import { logger } from '../lib/logger.ts';
import { clientConfig, observeCalls } from './sdk.ts';

const s3 = new S3Client({
  ...clientConfig({ connectionTimeout: 1000, requestTimeout: 5000 }),
  // Checksums only where S3 requires one: presigned URLs carry none (the browser sends the body), and s3rver stores
  // streamed bodies with trailing checksums corrupted.
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
  // A custom endpoint (the local stack, any S3-compatible store) is addressed path-style; AWS itself virtual-hosted.
  forcePathStyle: config.hasEndpointOverride('S3'),
});
observeCalls(s3, 's3');

const notFound = (e: unknown) => {
  const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
  return err?.name === 'NotFound' || err?.name === 'NoSuchKey' || err?.$metadata?.httpStatusCode === 404;
};

export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
}

/**
 * A POST whose policy pins the key, the exact size and the content type, for `expiresSeconds`; given the
 * file's SHA-256 (hex), also `x-amz-checksum-sha256`, so S3 stores these bytes or nothing.
 */
export async function presignUploadPost(
  key: string,
  size: number,
  contentType: string,
  expiresSeconds: number,
  sha256?: string,
): Promise<PresignedPost> {
  const checksum = sha256 ? { 'x-amz-checksum-sha256': sha256Base64(sha256) } : undefined;
  return createPresignedPost(s3, {
    Bucket: config.bucketName,
    Key: key,
    Conditions: [
      ['content-length-range', size, size],
      ['eq', '$Content-Type', contentType],
      ...(checksum
        ? [['eq', '$x-amz-checksum-sha256', checksum['x-amz-checksum-sha256']] as ['eq', string, string]]
        : []),
    ],
    Fields: { 'Content-Type': contentType, ...checksum },
    Expires: expiresSeconds,
  });
}

export interface MultipartUpload {
  uploadId: string;
  partSize: number;
  partCount: number;
}

export function partPlan(
  size: number,
  preferredPartSize: number,
  minPartSize = 5 * 1024 * 1024,
): { partSize: number; count: number } {
  // S3 allows at most 10,000 parts of at least 5 MiB (the last may be smaller).
  let partSize = Math.max(preferredPartSize, minPartSize);
  if (Math.ceil(size / partSize) > 10_000) partSize = Math.ceil(size / 10_000);
  return { partSize, count: Math.max(1, Math.ceil(size / partSize)) };
}

/**
 * A presigned UploadPart PUT. With the part's SHA-256 the checksum header is signed, not hoisted into the
 * query: S3 ignores a checksum in the query string, and checks the header against the body. The uploader
 * sends the `headers` returned with the URL.
 */
export async function presignUploadPart(
  key: string,
  uploadId: string,
  partNumber: number,
  expiresSeconds: number,
  sha256?: string,
): Promise<{ url: string; headers?: Record<string, string> }> {
  const checksum = sha256 ? sha256Base64(sha256) : undefined;
  const url = await getSignedUrl(
    s3,
    new UploadPartCommand({
      Bucket: config.bucketName,
      Key: key,
      UploadId: uploadId,
      PartNumber: partNumber,
      ...(checksum ? { ChecksumSHA256: checksum } : {}),
    }),
    { expiresIn: expiresSeconds, unhoistableHeaders: new Set(['x-amz-checksum-sha256']) },
  );
  return checksum ? { url, headers: { 'x-amz-checksum-sha256': checksum } } : { url };
}

/** Starts a multipart upload; its part URLs are minted in pages (presignParts). */
export async function startMultipartUpload(
  key: string,
  size: number,
  contentType: string,
  withChecksums = false,
): Promise<MultipartUpload> {
  const out = await s3.send(
    new CreateMultipartUploadCommand({
      Bucket: config.bucketName,
      Key: key,
      ContentType: contentType,
      // S3 then expects each part's SHA-256 with the part, and again in CompleteMultipartUpload.
      ...(withChecksums ? { ChecksumAlgorithm: 'SHA256' as const } : {}),
    }),
  );
  if (!out.UploadId)
    throw Object.assign(new Error('CreateMultipartUpload returned no UploadId'), {
      name: 'InternalError',
      $fault: 'server',
    });
  const { partSize, count } = partPlan(size, config.multipartPartSize, config.minPartSize);
  return { uploadId: out.UploadId, partSize, partCount: count };
}

/** Presigned UploadPart PUTs for the given parts, all valid for `expiresSeconds`. */
export function presignParts(
  key: string,
  uploadId: string,
  parts: Array<{ partNumber: number; sha256?: string }>,
  expiresSeconds: number,
): Promise<Array<{ partNumber: number; url: string; headers?: Record<string, string> }>> {
  return Promise.all(
    parts.map(async ({ partNumber, sha256 }) => ({
      partNumber,
      ...(await presignUploadPart(key, uploadId, partNumber, expiresSeconds, sha256)),
    })),
  );
}

export async function completeMultipartUpload(
  key: string,
  uploadId: string,
  parts: Array<{ partNumber: number; etag: string; sha256?: string }>,
): Promise<void> {
  // The SDK turns S3's "200 with an <Error> body" answer into a thrown error.
  await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: config.bucketName,
      Key: key,
      UploadId: uploadId,
      MultipartUpload: {
        Parts: [...parts]
          .sort((a, b) => a.partNumber - b.partNumber)
          .map((p) => ({
            PartNumber: p.partNumber,
            ETag: p.etag,
            ...(p.sha256 ? { ChecksumSHA256: sha256Base64(p.sha256) } : {}),
          })),
      },
    }),
  );
}

/**
 * Size, ETag, S3's version id (the documents bucket is versioned; an emulator without versions gives none)
 * and, when S3 has one, the SHA-256 of an uploaded object; undefined if it is not there.
 */
export async function headObject(
  key: string,
): Promise<{ size: number; sha256?: string; etag?: string; s3VersionId?: string } | undefined> {
  try {
    const out = await s3.send(new HeadObjectCommand({ Bucket: config.bucketName, Key: key, ChecksumMode: 'ENABLED' }));
    const sum = out.ChecksumSHA256;
    // A multipart object's checksum is a checksum of part checksums ("…-3"): not the file's SHA-256.
    const whole = sum && !sum.includes('-') ? Buffer.from(sum, 'base64').toString('hex') : undefined;
    return {
      size: Number(out.ContentLength ?? 0),
      sha256: whole,
      ...(out.ETag ? { etag: out.ETag } : {}),
      ...(out.VersionId && out.VersionId !== 'null' ? { s3VersionId: out.VersionId } : {}),
    };
  } catch (e) {
    if (notFound(e)) return undefined;
    throw e;
  }
}

/**
 * A presigned GET for one exact object key (and, given `s3VersionId`, that exact version of it: bytes
 * written to the key later are never what it serves), with the disposition and type S3 will answer with.
 * Callers record the download event before calling this.
 */
export async function mintDownloadUrl(
  key: string,
  name: string,
  contentType: string,
  disposition: Disposition,
  s3VersionId?: string,
): Promise<{ url: string; expiresAt: string }> {
  const seconds = config.downloadUrlSeconds;
  const d = contentDisposition(name, contentType, disposition);
  const url = await getSignedUrl(
    s3,
    new GetObjectCommand({
      Bucket: config.bucketName,
      Key: key,
      ...(s3VersionId ? { VersionId: s3VersionId } : {}),
      ResponseContentDisposition: d.header,
      ResponseContentType: d.contentType,
    }),
    { expiresIn: seconds },
  );
  return { url, expiresAt: new Date(Date.now() + seconds * 1000).toISOString() };
}

/**
 * Server-made objects (activity exports) written as they are produced: the
 * SDK's managed upload sends 5 MiB parts (one PUT when it is small), so memory
 * stays at about one part whatever the size, and a failed or abandoned upload
 * is aborted so no orphaned parts are left (the bucket's lifecycle rule is the
 * safety net).
 */
export class ObjectWriter {
  private readonly body = new PassThrough();
  private readonly upload: Upload;
  private readonly done: Promise<unknown>;

  constructor(
    readonly key: string,
    readonly contentType: string,
  ) {
    this.upload = new Upload({
      client: s3,
      params: { Bucket: config.bucketName, Key: key, ContentType: contentType, Body: this.body },
      partSize: 5 * 1024 * 1024,
      queueSize: 1,
      leavePartsOnError: false,
    });
    this.done = this.upload.done();
    // Surfaced by close(); keeps an early failure from being an unhandled rejection meanwhile.
    this.done.catch(() => undefined);
  }

  async write(text: string): Promise<void> {
    // Backpressure: wait while the managed upload has not taken what was written.
    if (!this.body.write(Buffer.from(text, 'utf8')))
      await new Promise<void>((resolve) => this.body.once('drain', resolve).once('close', resolve));
  }

  async close(): Promise<void> {
    this.body.end();
    await this.done;
  }

  /** Stops the upload (the producer failed): S3 keeps nothing of it. */
  async abort(): Promise<void> {
    await this.upload.abort().catch((err) =>
      // The export is never handed out either way; the bucket's lifecycle rule removes the parts.
      logger.warn('export upload not aborted: its parts stay until the lifecycle rule', { key: this.key, err }),
    );
    this.body.destroy();
  }
}

export const openObjectWriter = (key: string, contentType: string) => new ObjectWriter(key, contentType);

/** A small server-side read (the company logo for receipts; never a document: those go to browsers as URLs). */
export async function getSmallObject(key: string, maxBytes = 1024 * 1024): Promise<Uint8Array | undefined> {
  try {
    // Ask for one byte more than allowed: a bigger object is refused without reading it whole.
    const out = await s3.send(
      new GetObjectCommand({ Bucket: config.bucketName, Key: key, Range: `bytes=0-${maxBytes}` }),
    );
    const bytes = await out.Body?.transformToByteArray();
    return bytes && bytes.length <= maxBytes ? bytes : undefined;
  } catch (e) {
    if (notFound(e)) return undefined;
    throw e;
  }
}
