/**
 * Signature Version 4, checked as AWS checks it: the request is signed again
 * with the secret of the access key it names (with @smithy/signature-v4, the
 * signer the SDK itself uses, so nothing here re-implements the algorithm)
 * and the two signatures must be equal. Header-signed requests (the SDK's
 * calls) and query-signed ones (presigned URLs a browser uses) both; the
 * session token must be the key's own; a presigned URL past its expiry, or
 * a header-signed request more than 15 minutes off the clock, is refused.
 */
import { timingSafeEqual } from 'node:crypto';
import { Sha256 } from '@smithy/core/checksum';
import { SignatureV4 } from '@smithy/signature-v4';

export interface Principal {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
  /** Which function these credentials belong to, and its role. */
  function: string;
  roleArn: string;
  /** arn:aws:sts::<account>:assumed-role/<role>/<session>: what IAM sees as the caller. */
  sessionArn: string;
}

/** A request as it arrived: the raw path, the decoded query, lower-cased headers, the body. */
export interface IncomingAwsRequest {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body: Buffer;
}

export type SignatureFailure =
  | 'missing'
  | 'malformed'
  | 'unknown-key'
  | 'bad-token'
  | 'mismatch'
  | 'expired'
  | 'skewed'
  | 'not-yet-valid';

export interface SignedBy {
  principal: Principal;
  service: string;
  region: string;
  /** 'header' (Authorization) or 'query' (a presigned URL). */
  mechanism: 'header' | 'query';
  signedAt: Date;
  /** Presigned URLs: when they stop working. */
  expiresAt?: Date;
}

export type Verification = { ok: true; signed: SignedBy } | { ok: false; failure: SignatureFailure; detail: string };

const MAX_SKEW_MS = 15 * 60 * 1000;
const QUERY_AUTH = [
  'X-Amz-Algorithm',
  'X-Amz-Credential',
  'X-Amz-Date',
  'X-Amz-Expires',
  'X-Amz-SignedHeaders',
  'X-Amz-Signature',
  'X-Amz-Security-Token',
];

/** Parses `20261201T101500Z`. */
export function parseAmzDate(s: string | undefined): Date | undefined {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s ?? '');
  return m ? new Date(Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6])) : undefined;
}

/** The credential scope: `<key>/<yyyymmdd>/<region>/<service>/aws4_request`. */
function parseCredential(value: string | undefined) {
  const parts = (value ?? '').split('/');
  if (parts.length !== 5 || parts[4] !== 'aws4_request') return undefined;
  const [accessKeyId, date, region, service] = parts;
  return { accessKeyId, date, region, service };
}

/** Which service a request is signed for, without verifying anything (for routing and error shapes). */
export function claimedService(req: IncomingAwsRequest): string | undefined {
  const auth = req.headers.authorization;
  if (auth?.startsWith('AWS4-HMAC-SHA256 ')) return parseCredential(/Credential=([^,\s]+)/.exec(auth)?.[1])?.service;
  const q = req.query['X-Amz-Credential'];
  if (typeof q === 'string') return parseCredential(q)?.service;
  return undefined;
}

function equal(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

function signerFor(p: Principal, region: string, service: string) {
  return new SignatureV4({
    credentials: { accessKeyId: p.accessKeyId, secretAccessKey: p.secretAccessKey, sessionToken: p.sessionToken },
    region,
    service,
    sha256: Sha256,
    // S3 signs the path as sent; every other service escapes it once more.
    uriEscapePath: service !== 's3',
    applyChecksum: false,
  });
}

/** The values of the headers a signature covers, as received; or the name of one that is missing. */
function signedHeaderValues(req: IncomingAwsRequest, names: string[]): Record<string, string> | string {
  const headers: Record<string, string> = {};
  for (const h of names) {
    if (req.headers[h] === undefined) return h;
    headers[h] = req.headers[h];
  }
  return headers;
}

function hostOf(headers: Record<string, string>) {
  const host = headers.host ?? '';
  const [hostname, port] = host.split(':');
  return { hostname, port: port ? Number(port) : undefined };
}

export function verify(
  req: IncomingAwsRequest,
  lookup: (accessKeyId: string) => Principal | undefined,
  now = new Date(),
): Promise<Verification> {
  const auth = req.headers.authorization;
  if (auth) return verifyHeader(req, auth, lookup, now);
  if (req.query['X-Amz-Signature'] !== undefined || req.query['X-Amz-Credential'] !== undefined)
    return verifyQuery(req, lookup, now);
  return Promise.resolve({ ok: false, failure: 'missing', detail: 'the request is not signed' });
}

async function verifyHeader(
  req: IncomingAwsRequest,
  auth: string,
  lookup: (k: string) => Principal | undefined,
  now: Date,
): Promise<Verification> {
  const m = /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(
    auth.trim(),
  );
  const scope = parseCredential(m?.[1]);
  if (!m || !scope)
    return { ok: false, failure: 'malformed', detail: 'the Authorization header is not AWS4-HMAC-SHA256' };
  const principal = lookup(scope.accessKeyId);
  if (!principal)
    return { ok: false, failure: 'unknown-key', detail: `no credentials with access key ${scope.accessKeyId}` };
  const token = req.headers['x-amz-security-token'];
  if (token !== principal.sessionToken)
    return { ok: false, failure: 'bad-token', detail: "the session token is not this key's" };
  const signedAt = parseAmzDate(req.headers['x-amz-date']);
  if (!signedAt || scope.date !== req.headers['x-amz-date']?.slice(0, 8))
    return { ok: false, failure: 'malformed', detail: 'x-amz-date is missing or does not match the credential scope' };
  if (Math.abs(now.getTime() - signedAt.getTime()) > MAX_SKEW_MS)
    return {
      ok: false,
      failure: 'skewed',
      detail: `signed at ${signedAt.toISOString()}, more than 15 minutes from now`,
    };
  const signed = m[2].split(';');
  const headers = signedHeaderValues(req, signed);
  if (typeof headers === 'string')
    return { ok: false, failure: 'mismatch', detail: `signed header ${headers} is missing` };
  const { hostname, port } = hostOf(req.headers);
  const out = await signerFor(principal, scope.region, scope.service).sign(
    {
      method: req.method,
      protocol: 'http:',
      hostname,
      port,
      path: req.path,
      query: req.query,
      headers,
      body: req.body.length ? req.body : undefined,
    },
    {
      signingDate: signedAt,
      signableHeaders: new Set(signed),
      signingRegion: scope.region,
      signingService: scope.service,
    },
  );
  const expected =
    /Signature=([0-9a-f]{64})/.exec(String(out.headers.authorization ?? out.headers.Authorization))?.[1] ?? '';
  if (!equal(expected, m[3]))
    return { ok: false, failure: 'mismatch', detail: 'the signature does not match the request signed with this key' };
  return {
    ok: true,
    signed: { principal, service: scope.service, region: scope.region, mechanism: 'header', signedAt },
  };
}

async function verifyQuery(
  req: IncomingAwsRequest,
  lookup: (k: string) => Principal | undefined,
  now: Date,
): Promise<Verification> {
  const q = (k: string) => (typeof req.query[k] === 'string' ? (req.query[k] as string) : undefined);
  const scope = parseCredential(q('X-Amz-Credential'));
  const signature = q('X-Amz-Signature') ?? '';
  const signedAt = parseAmzDate(q('X-Amz-Date'));
  const expires = Number(q('X-Amz-Expires'));
  if (
    q('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256' ||
    !scope ||
    !signedAt ||
    !/^[0-9a-f]{64}$/.test(signature) ||
    !Number.isInteger(expires) ||
    expires < 1 ||
    expires > 604800
  ) {
    return {
      ok: false,
      failure: 'malformed',
      detail: 'the presigned URL is missing or has malformed X-Amz-* parameters',
    };
  }
  const principal = lookup(scope.accessKeyId);
  if (!principal)
    return { ok: false, failure: 'unknown-key', detail: `no credentials with access key ${scope.accessKeyId}` };
  if (q('X-Amz-Security-Token') !== principal.sessionToken)
    return { ok: false, failure: 'bad-token', detail: "the session token is not this key's" };
  if (signedAt.getTime() - now.getTime() > MAX_SKEW_MS)
    return { ok: false, failure: 'not-yet-valid', detail: `signed for ${signedAt.toISOString()}, in the future` };
  const expiresAt = new Date(signedAt.getTime() + expires * 1000);
  const signedHeaders = (q('X-Amz-SignedHeaders') ?? '').split(';').filter(Boolean);
  const headers = signedHeaderValues(req, signedHeaders);
  if (typeof headers === 'string')
    return { ok: false, failure: 'mismatch', detail: `signed header ${headers} is missing` };
  const query: Record<string, string | string[]> = {};
  for (const [k, v] of Object.entries(req.query)) if (!QUERY_AUTH.includes(k)) query[k] = v;
  const { hostname, port } = hostOf(req.headers);
  const out = await signerFor(principal, scope.region, scope.service).presign(
    // Presigned S3 URLs sign an unsigned payload (the hoisted X-Amz-Content-Sha256 stays in the query);
    // the header only tells the signer which payload hash to use, it is neither hoisted nor signed.
    {
      method: req.method,
      protocol: 'http:',
      hostname,
      port,
      path: req.path,
      query,
      headers: { ...headers, 'x-amz-content-sha256': 'UNSIGNED-PAYLOAD' },
    },
    {
      signingDate: signedAt,
      expiresIn: expires,
      signableHeaders: new Set(signedHeaders),
      // What the URL signed as headers stays a header (a signed x-amz-checksum-sha256, say): hoisting it
      // into the query would sign a different request from the one made.
      unhoistableHeaders: new Set(['x-amz-content-sha256', ...signedHeaders]),
      unsignableHeaders: new Set(['x-amz-content-sha256']),
      signingRegion: scope.region,
      signingService: scope.service,
    },
  );
  const expected = String(out.query?.['X-Amz-Signature'] ?? '');
  if (!equal(expected, signature))
    return { ok: false, failure: 'mismatch', detail: 'the signature does not match the URL signed with this key' };
  // Checked after the signature, as S3 does: an altered expiry is a mismatch, a genuine old URL is expired.
  if (now.getTime() > expiresAt.getTime())
    return { ok: false, failure: 'expired', detail: `the URL expired at ${expiresAt.toISOString()}` };
  return {
    ok: true,
    signed: { principal, service: scope.service, region: scope.region, mechanism: 'query', signedAt, expiresAt },
  };
}

/** The signature of an S3 POST policy: the policy string signed alone with the key's SigV4 signing key. */
export function postPolicySignature(
  p: Principal,
  signedAt: Date,
  region: string,
  service: string,
  policyBase64: string,
) {
  return signerFor(p, region, service).sign(policyBase64, {
    signingDate: signedAt,
    signingRegion: region,
    signingService: service,
  });
}

export { equal as signaturesEqual, parseCredential };
