/**
 * S3 behind a thin adapter: presigned POST / multipart part URLs for staff
 * uploads, presigned GET for downloads, HeadObject to verify an upload.
 * Bytes never pass through Lambda. No SDK: SigV4 from ./sigv4.ts, calls
 * through ./http.ts; URLs and policies are what the SDK's presigners produce
 * (test/unit/sigv4.test.ts compares them).
 */
import { amzDate, credentialScope, encodeKeyPath, envCredentials, presignUrl, signPolicy } from './sigv4.ts';
import { awsFetch } from './http.ts';
import { config } from '../lib/config.ts';
import { contentDisposition, type Disposition } from '../domain/download.ts';

/** Path-style on the local emulator (http://127.0.0.1:port/bucket/key); virtual-hosted in AWS unless the name cannot be a host label. */
function bucketUrl(): { url: string; virtualHosted: boolean } {
  const bucket = config.bucketName;
  const local = config.endpoint('s3');
  if (local) return { url: `${local.replace(/\/$/, '')}/${bucket}`, virtualHosted: false };
  if (/^[a-z0-9][a-z0-9-]{1,61}[a-z0-9]$/.test(bucket)) return { url: `https://${bucket}.s3.${config.region}.amazonaws.com`, virtualHosted: true };
  return { url: `https://s3.${config.region}.amazonaws.com/${bucket}`, virtualHosted: false };
}
const objectUrl = (key: string) => `${bucketUrl().url}/${encodeKeyPath(key)}`;

const s3Call = (operation: string, key: string, rest: { method: string; query?: Record<string, string>; headers?: Record<string, string>; body?: string | Uint8Array; binary?: boolean }) =>
  awsFetch({ service: 's3', operation, url: objectUrl(key), doubleEncodePath: false, maxAttempts: 3, timeoutMs: 1000 + 5000, ...rest });

const unescapeXml = (s: string) => s.replace(/&(lt|gt|quot|apos|amp);/g, (_, e: string) => ({ lt: '<', gt: '>', quot: '"', apos: "'", amp: '&' })[e]!);
const escapeXml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
const xmlValue = (xml: string, tag: string) => {
  const m = new RegExp(`<${tag}>([^<]*)</${tag}>`).exec(xml);
  return m ? unescapeXml(m[1]) : undefined;
};

export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
}

/** A POST whose policy pins the key, the exact size and the content type (fields and policy as @aws-sdk/s3-presigned-post writes them). */
export async function presignUploadPost(key: string, size: number, contentType: string, expiresSeconds = config.uploadUrlSeconds): Promise<PresignedPost> {
  const creds = envCredentials();
  const now = new Date();
  const date = amzDate(now);
  const fields: Record<string, string> = {
    'Content-Type': contentType,
    bucket: config.bucketName,
    'X-Amz-Algorithm': 'AWS4-HMAC-SHA256',
    'X-Amz-Credential': `${creds.accessKeyId}/${credentialScope(date.slice(0, 8), config.region, 's3')}`,
    'X-Amz-Date': date,
  };
  if (creds.sessionToken) fields['X-Amz-Security-Token'] = creds.sessionToken;
  const conditions: unknown[] = [['content-length-range', size, size], ['eq', '$Content-Type', contentType]];
  for (const [k, v] of Object.entries(fields)) conditions.push({ [k]: v });
  conditions.push({ key });
  const expiration = new Date(now.getTime() + expiresSeconds * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z');
  const policy = Buffer.from(JSON.stringify({ expiration, conditions }), 'utf8').toString('base64');
  const bucket = bucketUrl();
  return {
    url: bucket.virtualHosted ? `${bucket.url}/` : bucket.url,
    fields: { ...fields, key, Policy: policy, 'X-Amz-Signature': signPolicy(policy, creds, date.slice(0, 8), config.region) },
  };
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

/** A presigned UploadPart PUT (what getSignedUrl gives for UploadPartCommand). */
export function presignUploadPart(key: string, uploadId: string, partNumber: number, expiresSeconds: number): string {
  return presignUrl(
    { method: 'PUT', url: objectUrl(key), query: { partNumber: String(partNumber), uploadId, 'x-id': 'UploadPart' } },
    { service: 's3', region: config.region, expiresSeconds },
  );
}

export async function startMultipartUpload(key: string, size: number, contentType: string, expiresSeconds = config.uploadUrlSeconds): Promise<MultipartUpload> {
  const res = await s3Call('CreateMultipartUpload', key, { method: 'POST', query: { uploads: '', 'x-id': 'CreateMultipartUpload' }, headers: { 'content-type': contentType } });
  const uploadId = xmlValue(res.text, 'UploadId');
  if (!uploadId) throw Object.assign(new Error('CreateMultipartUpload returned no UploadId'), { name: 'InternalError', $fault: 'server', $metadata: res.$metadata });
  const { partSize, count } = partPlan(size, config.multipartPartSize);
  const parts = Array.from({ length: count }, (_, i) => ({ partNumber: i + 1, url: presignUploadPart(key, uploadId, i + 1, expiresSeconds) }));
  return { uploadId, partSize, parts };
}

export async function completeMultipartUpload(key: string, uploadId: string, parts: Array<{ partNumber: number; etag: string }>): Promise<void> {
  const body =
    '<CompleteMultipartUpload xmlns="http://s3.amazonaws.com/doc/2006-03-01/">' +
    [...parts]
      .sort((a, b) => a.partNumber - b.partNumber)
      .map((p) => `<Part><ETag>${escapeXml(p.etag)}</ETag><PartNumber>${p.partNumber}</PartNumber></Part>`)
      .join('') +
    '</CompleteMultipartUpload>';
  const res = await s3Call('CompleteMultipartUpload', key, { method: 'POST', query: { uploadId, 'x-id': 'CompleteMultipartUpload' }, headers: { 'content-type': 'application/xml' }, body });
  // S3 can answer 200 and still report an error in the body.
  if (/<Error>/.test(res.text)) {
    const name = xmlValue(res.text, 'Code') ?? 'InternalError';
    throw Object.assign(new Error(xmlValue(res.text, 'Message') ?? name), { name, $fault: 'server', $metadata: res.$metadata });
  }
}

/** Size and (when S3 has one) the SHA-256 of an uploaded object; undefined if it is not there. */
export async function headObject(key: string): Promise<{ size: number; sha256?: string } | undefined> {
  try {
    const res = await s3Call('HeadObject', key, { method: 'HEAD', headers: { 'x-amz-checksum-mode': 'ENABLED' } });
    const sum = res.headers.get('x-amz-checksum-sha256');
    return { size: Number(res.headers.get('content-length') ?? 0), sha256: sum ? Buffer.from(sum, 'base64').toString('hex') : undefined };
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
  const url = presignUrl(
    { method: 'GET', url: objectUrl(key), query: { 'response-content-disposition': d.header, 'response-content-type': d.contentType, 'x-id': 'GetObject' } },
    { service: 's3', region: config.region, expiresSeconds: seconds },
  );
  return { url, expiresAt: new Date(Date.now() + seconds * 1000).toISOString() };
}

/**
 * Server-made objects (activity exports) written in parts as they are produced,
 * so memory stays at one part whatever the size. Parts are 5 MiB (S3's minimum)
 * except the last; a small export is one PUT.
 */
export class ObjectWriter {
  private chunks: Buffer[] = [];
  private buffered = 0;
  private uploadId?: string;
  private parts: Array<{ partNumber: number; etag: string }> = [];
  static readonly PART = 5 * 1024 * 1024;
  constructor(readonly key: string, readonly contentType: string) {}

  async write(text: string): Promise<void> {
    const b = Buffer.from(text, 'utf8');
    this.chunks.push(b);
    this.buffered += b.length;
    if (this.buffered >= ObjectWriter.PART) await this.flushPart();
  }

  private async flushPart(): Promise<void> {
    if (!this.uploadId) {
      const res = await s3Call('CreateMultipartUpload', this.key, { method: 'POST', query: { uploads: '', 'x-id': 'CreateMultipartUpload' }, headers: { 'content-type': this.contentType } });
      this.uploadId = xmlValue(res.text, 'UploadId');
      if (!this.uploadId) throw Object.assign(new Error('CreateMultipartUpload returned no UploadId'), { name: 'InternalError', $fault: 'server', $metadata: res.$metadata });
    }
    const body = Buffer.concat(this.chunks);
    this.chunks = [];
    this.buffered = 0;
    const partNumber = this.parts.length + 1;
    const res = await s3Call('UploadPart', this.key, { method: 'PUT', query: { partNumber: String(partNumber), uploadId: this.uploadId, 'x-id': 'UploadPart' }, body: new Uint8Array(body) });
    this.parts.push({ partNumber, etag: res.headers.get('etag') ?? '' });
  }

  async close(): Promise<void> {
    if (!this.uploadId) {
      await s3Call('PutObject', this.key, { method: 'PUT', query: { 'x-id': 'PutObject' }, headers: { 'content-type': this.contentType }, body: new Uint8Array(Buffer.concat(this.chunks)) });
      return;
    }
    if (this.buffered) await this.flushPart();
    await completeMultipartUpload(this.key, this.uploadId, this.parts);
  }
}

/** A small server-side read (the company logo for receipts; never a document: those go to browsers as URLs). */
export async function getSmallObject(key: string, maxBytes = 1024 * 1024): Promise<Uint8Array | undefined> {
  try {
    const res = await s3Call('GetObject', key, { method: 'GET', query: { 'x-id': 'GetObject' }, binary: true });
    return res.bytes && res.bytes.length <= maxBytes ? res.bytes : undefined;
  } catch (e) {
    if ((e as { name?: string }).name === 'NoSuchKey' || (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode === 404) return undefined;
    throw e;
  }
}
