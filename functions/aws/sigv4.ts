/**
 * AWS Signature Version 4, with node:crypto only: header signing for API
 * calls, query-string presigning for S3 URLs, and the POST-policy signature.
 * https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_sigv-create-signed-request.html
 */
import { createHash, createHmac } from 'node:crypto';

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken?: string;
}

/** Lambda sets these three for the function's role (and rotates them with a new sandbox); the local stack sets them too. */
export function envCredentials(): Credentials {
  const accessKeyId = process.env.AWS_ACCESS_KEY_ID;
  const secretAccessKey = process.env.AWS_SECRET_ACCESS_KEY;
  if (!accessKeyId || !secretAccessKey) throw Object.assign(new Error('AWS credentials missing: AWS_ACCESS_KEY_ID / AWS_SECRET_ACCESS_KEY'), { name: 'CredentialsProviderError' });
  return { accessKeyId, secretAccessKey, sessionToken: process.env.AWS_SESSION_TOKEN || undefined };
}

export const ALGORITHM = 'AWS4-HMAC-SHA256';
export const UNSIGNED_PAYLOAD = 'UNSIGNED-PAYLOAD';

export const sha256Hex = (data: string | Uint8Array) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Uint8Array, data: string) => createHmac('sha256', key).update(data, 'utf8').digest();

/** 20150830T123600Z */
export const amzDate = (d: Date) => d.toISOString().replace(/\.\d{3}Z$/, 'Z').replace(/[-:]/g, '');

/** RFC 3986 percent-encoding (what SigV4 and S3 want): everything but A-Z a-z 0-9 - _ . ~ */
export const uriEncode = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase());

/** An S3 object key as a URL path: each segment encoded, '/' kept. */
export const encodeKeyPath = (key: string) => key.split('/').map(uriEncode).join('/');

const keyCache = new Map<string, { secret: string; key: Buffer }>();

/** kSigning = HMAC(HMAC(HMAC(HMAC("AWS4" + secret, date), region), service), "aws4_request"), cached per day/region/service/key id. */
export function signingKey(creds: Credentials, shortDate: string, region: string, service: string): Buffer {
  const id = `${shortDate}/${region}/${service}/${creds.accessKeyId}`;
  const hit = keyCache.get(id);
  if (hit && hit.secret === creds.secretAccessKey) return hit.key;
  const key = hmac(hmac(hmac(hmac(`AWS4${creds.secretAccessKey}`, shortDate), region), service), 'aws4_request');
  if (keyCache.size > 50) keyCache.clear();
  keyCache.set(id, { secret: creds.secretAccessKey, key });
  return key;
}

export const credentialScope = (shortDate: string, region: string, service: string) => `${shortDate}/${region}/${service}/aws4_request`;

export interface SignableRequest {
  method: string;
  /** Scheme, host and path; the path already percent-encoded as it will be sent. No query. */
  url: string;
  /** Raw (unencoded) query parameters. */
  query?: Record<string, string>;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export interface SignOptions {
  service: string;
  region: string;
  credentials?: Credentials;
  date?: Date;
  /** Every service but S3 encodes the path a second time in the canonical request. */
  doubleEncodePath?: boolean;
  /** Payload hash to sign (default: SHA-256 of the body). */
  payloadHash?: string;
  /** Also send the payload hash as x-amz-content-sha256 (S3 requires it; the SDK sends it everywhere). Default true. */
  contentSha256Header?: boolean;
}

/** Query string in SigV4 canonical form (sorted by encoded name, then value); also how the SDK writes presigned URLs. */
export function canonicalQuery(query: Record<string, string> = {}): string {
  return Object.entries(query)
    .map(([k, v]) => [uriEncode(k), uriEncode(v)])
    .sort(([a, x], [b, y]) => (a < b ? -1 : a > b ? 1 : x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join('&');
}

/** Origin, host and path of a URL we built, without WHATWG path normalisation (an S3 key may hold '..'). */
function splitUrl(u: string): { origin: string; host: string; path: string } {
  const m = /^(https?:\/\/[^/?#]+)([^?#]*)/i.exec(u);
  if (!m) throw new Error(`not an http(s) URL: ${u}`);
  return { origin: m[1], host: new URL(m[1]).host, path: m[2] || '/' };
}

function canonicalPath(pathname: string, doubleEncode: boolean): string {
  if (!pathname) return '/';
  return doubleEncode ? pathname.split('/').map(uriEncode).join('/') : pathname;
}

function stringToSign(canonicalRequest: string, longDate: string, scope: string): string {
  return `${ALGORITHM}\n${longDate}\n${scope}\n${sha256Hex(canonicalRequest)}`;
}

function canonicalRequest(method: string, path: string, query: string, headers: Record<string, string>, payloadHash: string): { request: string; signedHeaders: string } {
  const names = Object.keys(headers).sort();
  const canonicalHeaders = names.map((n) => `${n}:${headers[n].trim().replace(/\s+/g, ' ')}\n`).join('');
  const signedHeaders = names.join(';');
  return { request: `${method}\n${path}\n${query}\n${canonicalHeaders}\n${signedHeaders}\n${payloadHash}`, signedHeaders };
}

/**
 * Signs a request in the Authorization header. Returns the headers to send
 * (lower-case names): the given ones plus host, x-amz-date, x-amz-security-token,
 * x-amz-content-sha256 and authorization.
 */
export function signRequest(req: SignableRequest, o: SignOptions): Record<string, string> {
  const creds = o.credentials ?? envCredentials();
  const longDate = amzDate(o.date ?? new Date());
  const shortDate = longDate.slice(0, 8);
  const url = splitUrl(req.url);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers ?? {})) headers[k.toLowerCase()] = String(v);
  headers.host = url.host;
  headers['x-amz-date'] = longDate;
  if (creds.sessionToken) headers['x-amz-security-token'] = creds.sessionToken;
  const payloadHash = o.payloadHash ?? sha256Hex(req.body ?? '');
  if (o.contentSha256Header !== false) headers['x-amz-content-sha256'] = payloadHash;
  const { request, signedHeaders } = canonicalRequest(req.method.toUpperCase(), canonicalPath(url.path, o.doubleEncodePath ?? true), canonicalQuery(req.query), headers, payloadHash);
  const scope = credentialScope(shortDate, o.region, o.service);
  const signature = createHmac('sha256', signingKey(creds, shortDate, o.region, o.service)).update(stringToSign(request, longDate, scope)).digest('hex');
  headers.authorization = `${ALGORITHM} Credential=${creds.accessKeyId}/${scope}, SignedHeaders=${signedHeaders}, Signature=${signature}`;
  return headers;
}

/**
 * A presigned URL (query-string auth, only `host` signed, UNSIGNED-PAYLOAD),
 * written the way @aws-sdk/s3-request-presigner writes it.
 */
export function presignUrl(req: Omit<SignableRequest, 'headers' | 'body'>, o: Omit<SignOptions, 'payloadHash' | 'contentSha256Header'> & { expiresSeconds: number }): string {
  const creds = o.credentials ?? envCredentials();
  const longDate = amzDate(o.date ?? new Date());
  const shortDate = longDate.slice(0, 8);
  const url = splitUrl(req.url);
  const scope = credentialScope(shortDate, o.region, o.service);
  const query: Record<string, string> = {
    ...req.query,
    'X-Amz-Algorithm': ALGORITHM,
    'X-Amz-Content-Sha256': UNSIGNED_PAYLOAD,
    'X-Amz-Credential': `${creds.accessKeyId}/${scope}`,
    'X-Amz-Date': longDate,
    'X-Amz-Expires': String(o.expiresSeconds),
    'X-Amz-SignedHeaders': 'host',
  };
  if (creds.sessionToken) query['X-Amz-Security-Token'] = creds.sessionToken;
  const { request } = canonicalRequest(req.method.toUpperCase(), canonicalPath(url.path, o.doubleEncodePath ?? false), canonicalQuery(query), { host: url.host }, UNSIGNED_PAYLOAD);
  query['X-Amz-Signature'] = createHmac('sha256', signingKey(creds, shortDate, o.region, o.service)).update(stringToSign(request, longDate, scope)).digest('hex');
  return `${url.origin}${url.path}?${canonicalQuery(query)}`;
}

/** The signature of a browser-based POST upload: HMAC of the base64 policy with the day's signing key. */
export function signPolicy(policyBase64: string, creds: Credentials, shortDate: string, region: string, service = 's3'): string {
  return createHmac('sha256', signingKey(creds, shortDate, region, service)).update(policyBase64, 'utf8').digest('hex');
}
