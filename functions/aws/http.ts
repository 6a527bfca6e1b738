/**
 * A signed fetch for AWS APIs: one timeout per attempt (connect + request +
 * body, AbortSignal.timeout), bounded retries with full-jitter backoff for
 * network errors, 5xx and throttling, and errors shaped like the SDK's
 * (`name` = AWS error code, `$fault`, `$metadata.httpStatusCode`).
 */
import { canonicalQuery, signRequest, type SignableRequest } from './sigv4.ts';
import { config } from '../lib/config.ts';

/** The benchmark sets onCall to count round trips; called once per HTTP attempt. */
export const awsCallObserver: { onCall?: (service: string, operation: string) => void } = {};

export interface AwsMetadata {
  httpStatusCode?: number;
  requestId?: string;
  attempts: number;
  totalRetryDelay: number;
}

export interface AwsError extends Error {
  $fault: 'client' | 'server';
  $metadata: AwsMetadata;
  $retryable?: { throttling: boolean };
}

export interface AwsCall extends SignableRequest {
  /** Signing name: dynamodb, s3, cognito-idp, ses. */
  service: string;
  /** For the observer and error messages. */
  operation: string;
  maxAttempts: number;
  /** Per attempt, connect to last body byte. */
  timeoutMs: number;
  /** false for S3 (its canonical path is the path as sent). */
  doubleEncodePath?: boolean;
  /** Keep the 2xx body as bytes (`AwsResponse.bytes`), for binary objects. */
  binary?: boolean;
}

export interface AwsResponse {
  status: number;
  headers: Headers;
  text: string;
  /** The body, when the call asked for `binary`. */
  bytes?: Uint8Array;
  $metadata: AwsMetadata;
}

const THROTTLING = new Set([
  'BandwidthLimitExceeded', 'EC2ThrottledException', 'LimitExceededException', 'PriorRequestNotComplete', 'ProvisionedThroughputExceededException',
  'RequestLimitExceeded', 'RequestThrottled', 'RequestThrottledException', 'SlowDown', 'ThrottledException', 'Throttling', 'ThrottlingException',
  'TooManyRequestsException', 'TransactionInProgressException',
]);
const TRANSIENT = new Set(['TimeoutError', 'RequestTimeout', 'RequestTimeoutException', 'ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ETIMEDOUT', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'UND_ERR_SOCKET', 'UND_ERR_CONNECT_TIMEOUT']);

/** HEAD and some REST errors have no body: name them by status, as the SDK does. */
const STATUS_NAMES: Record<number, string> = { 301: 'MovedPermanently', 304: 'NotModified', 400: 'BadRequest', 403: 'Forbidden', 404: 'NotFound', 409: 'Conflict', 412: 'PreconditionFailed', 429: 'TooManyRequestsException', 500: 'InternalServerError', 503: 'ServiceUnavailable' };

const xmlTag = (xml: string, tag: string) => /<(\w+)>([\s\S]*?)<\/\1>/.exec(xml.slice(xml.indexOf(`<${tag}>`)))?.[2];

function makeError(name: string, message: string, fault: 'client' | 'server', metadata: AwsMetadata, cause?: unknown): AwsError {
  const e = new Error(message || name, cause ? { cause } : undefined) as AwsError;
  e.name = name;
  e.$fault = fault;
  e.$metadata = metadata;
  return e;
}

/** Reads the error code from any of the protocols we use: JSON 1.0/1.1 (__type), REST-JSON (x-amzn-errortype), REST-XML (<Code>). */
export function errorFromResponse(status: number, headers: Headers, text: string, metadata: AwsMetadata): AwsError {
  let code: string | undefined;
  let message = '';
  const t = text.trimStart();
  if (t.startsWith('{')) {
    try {
      const j = JSON.parse(t) as Record<string, unknown>;
      code = (j.__type ?? j.code ?? j.Code) as string | undefined;
      message = String(j.message ?? j.Message ?? '');
    } catch {
      /* not JSON after all */
    }
  } else if (t.startsWith('<')) {
    code = t.includes('<Code>') ? xmlTag(t, 'Code') : undefined;
    message = (t.includes('<Message>') ? xmlTag(t, 'Message') : '') ?? '';
  }
  code ||= headers.get('x-amzn-errortype') ?? undefined;
  // "com.amazonaws.dynamodb.v20120810#ConditionalCheckFailedException", "BadRequestException:http://..."
  const name = code ? code.split('#').pop()!.split(':')[0].trim() : STATUS_NAMES[status] ?? `Http${status}Error`;
  return makeError(name, message || `${name} (${status})`, status >= 500 ? 'server' : 'client', metadata);
}

function networkError(err: unknown, metadata: AwsMetadata): AwsError {
  const e = err as { name?: string; code?: string; message?: string; cause?: { code?: string; name?: string; message?: string } };
  if (e?.name === 'TimeoutError' || e?.name === 'AbortError') return makeError('TimeoutError', 'The request timed out.', 'server', metadata, err);
  const code = e?.cause?.code ?? e?.code ?? (e?.cause?.name === 'ConnectTimeoutError' ? 'ETIMEDOUT' : undefined) ?? 'NetworkingError';
  return makeError(code, e?.cause?.message ?? e?.message ?? code, 'server', metadata, err);
}

const retryable = (e: AwsError) => THROTTLING.has(e.name) || TRANSIENT.has(e.name) || e.$fault === 'server' || e.$metadata.httpStatusCode === 429 || e.name === 'NetworkingError';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Signs and sends; resolves with a 2xx response, throws an AwsError otherwise. */
export async function awsFetch(call: AwsCall): Promise<AwsResponse> {
  const qs = call.query && Object.keys(call.query).length ? '?' + canonicalQuery(call.query) : '';
  const meta: AwsMetadata = { attempts: 0, totalRetryDelay: 0 };
  for (;;) {
    meta.attempts++;
    meta.httpStatusCode = meta.requestId = undefined;
    awsCallObserver.onCall?.(call.service, call.operation);
    // Signed per attempt: a retry gets a fresh x-amz-date. fetch sends the same Host itself.
    const { host: _host, ...headers } = signRequest(call, { service: call.service, region: config.region, doubleEncodePath: call.doubleEncodePath });
    let error: AwsError;
    try {
      const res = await fetch(call.url + qs, { method: call.method, headers, body: call.body as BodyInit | undefined, signal: AbortSignal.timeout(call.timeoutMs) });
      const body = new Uint8Array(await res.arrayBuffer());
      const text = call.binary && res.status < 300 ? '' : new TextDecoder().decode(body);
      meta.httpStatusCode = res.status;
      meta.requestId = res.headers.get('x-amzn-requestid') ?? res.headers.get('x-amz-request-id') ?? undefined;
      if (res.status < 300) return { status: res.status, headers: res.headers, text, ...(call.binary ? { bytes: body } : {}), $metadata: { ...meta } };
      error = errorFromResponse(res.status, res.headers, text, { ...meta });
    } catch (err) {
      error = networkError(err, { ...meta });
    }
    if (meta.attempts >= call.maxAttempts || !retryable(error)) throw error;
    const throttled = THROTTLING.has(error.name) || error.$metadata.httpStatusCode === 429;
    const delay = Math.floor(Math.random() * Math.min(2000, (throttled ? 500 : 100) * 2 ** (meta.attempts - 1)));
    meta.totalRetryDelay += delay;
    await sleep(delay);
  }
}
