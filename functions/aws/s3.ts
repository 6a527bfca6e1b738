/**
 * S3 behind a thin adapter: presigned POST / multipart part URLs for staff
 * uploads, presigned GET for downloads, HeadObject to verify an upload.
 * Bytes never pass through Lambda.
 */
import {
  CompleteMultipartUploadCommand,
  CreateMultipartUploadCommand,
  GetObjectCommand,
  HeadObjectCommand,
  S3Client,
  UploadPartCommand,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { config } from '../lib/config.ts';
import { contentDisposition, type Disposition } from '../domain/download.ts';

const s3 = new S3Client({
  region: config.region,
  endpoint: config.endpoint('s3'),
  forcePathStyle: !!config.endpoint('s3'),
  // Checksums on by default corrupt uploads on the local emulator and make presigned PUTs carry an empty-body CRC.
  requestChecksumCalculation: 'WHEN_REQUIRED',
  responseChecksumValidation: 'WHEN_REQUIRED',
  maxAttempts: 3,
  requestHandler: { connectionTimeout: 1000, requestTimeout: 5000 },
});

export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
}

/** A POST whose policy pins the key, the exact size and the content type. */
export async function presignUploadPost(key: string, size: number, contentType: string, expiresSeconds = config.uploadUrlSeconds): Promise<PresignedPost> {
  return createPresignedPost(s3, {
    Bucket: config.bucketName,
    Key: key,
    Conditions: [
      ['content-length-range', size, size],
      ['eq', '$Content-Type', contentType],
    ],
    Fields: { 'Content-Type': contentType },
    Expires: expiresSeconds,
  });
}

export interface MultipartUpload {
  uploadId: string;
  partSize: number;
  parts: Array<{ partNumber: number; url: string }>;
}

export function partPlan(size: number, preferredPartSize: number): { partSize: number; count: number } {
  // S3 allows at most 10,000 parts of at least 5 MiB (the last may be smaller).
  let partSize = Math.max(preferredPartSize, 5 * 1024 * 1024);
  if (Math.ceil(size / partSize) > 10_000) partSize = Math.ceil(size / 10_000);
  return { partSize, count: Math.max(1, Math.ceil(size / partSize)) };
}

export async function startMultipartUpload(key: string, size: number, contentType: string, expiresSeconds = config.uploadUrlSeconds): Promise<MultipartUpload> {
  const { UploadId } = await s3.send(new CreateMultipartUploadCommand({ Bucket: config.bucketName, Key: key, ContentType: contentType }));
  const { partSize, count } = partPlan(size, config.multipartPartSize);
  const parts = await Promise.all(
    Array.from({ length: count }, async (_, i) => ({
      partNumber: i + 1,
      url: await getSignedUrl(s3, new UploadPartCommand({ Bucket: config.bucketName, Key: key, UploadId, PartNumber: i + 1 }), { expiresIn: expiresSeconds }),
    })),
  );
  return { uploadId: UploadId!, partSize, parts };
}

export async function completeMultipartUpload(key: string, uploadId: string, parts: Array<{ partNumber: number; etag: string }>): Promise<void> {
  await s3.send(
    new CompleteMultipartUploadCommand({
      Bucket: config.bucketName,
      Key: key,
      UploadId: uploadId,
      MultipartUpload: { Parts: [...parts].sort((a, b) => a.partNumber - b.partNumber).map((p) => ({ PartNumber: p.partNumber, ETag: p.etag })) },
    }),
  );
}

/** Size and (when S3 has one) the SHA-256 of an uploaded object; undefined if it is not there. */
export async function headObject(key: string): Promise<{ size: number; sha256?: string } | undefined> {
  try {
    const out = await s3.send(new HeadObjectCommand({ Bucket: config.bucketName, Key: key, ChecksumMode: 'ENABLED' }));
    return { size: Number(out.ContentLength ?? 0), sha256: out.ChecksumSHA256 ? Buffer.from(out.ChecksumSHA256, 'base64').toString('hex') : undefined };
  } catch (e) {
    const err = e as { name?: string; $metadata?: { httpStatusCode?: number } };
    if (err.name === 'NotFound' || err.name === 'NoSuchKey' || err.$metadata?.httpStatusCode === 404) return undefined;
    throw e;
  }
}

/**
 * A presigned GET for one exact object key, with the disposition and type
 * S3 will answer with. Callers record the download event before calling this.
 */
export async function mintDownloadUrl(key: string, name: string, contentType: string, disposition: Disposition): Promise<{ url: string; expiresAt: string }> {
  const seconds = config.downloadUrlSeconds;
  const d = contentDisposition(name, contentType, disposition);
  const url = await getSignedUrl(
    s3,
    new GetObjectCommand({ Bucket: config.bucketName, Key: key, ResponseContentDisposition: d.header, ResponseContentType: d.contentType }),
    { expiresIn: seconds },
  );
  return { url, expiresAt: new Date(Date.now() + seconds * 1000).toISOString() };
}
