/**
 * Helpers the attack tests (test/security/) share: the one 404 body, the
 * error shape, route paths filled from the route table, forged JWTs, the
 * activity log read in full, and the scan of the handler log for secrets.
 */
import assert from 'node:assert/strict';
import { generateKeyPairSync, sign } from 'node:crypto';
import { createRequire } from 'node:module';
import { type Route, routes } from '../../functions/routes.ts';
import type { TestStack } from './stack.ts';

const require = createRequire(import.meta.url);

export const NOT_FOUND = { error: { code: 'not_found', message: 'Not found.' } };

/** Every 4xx/5xx body: { error: { code, message, field? } } and nothing else. */
export function assertErrorShape(status: number, body: unknown, what: string): void {
  assert.ok(body && typeof body === 'object', `${what}: ${status} without a JSON body: ${String(body).slice(0, 200)}`);
  const b = body as { error?: Record<string, unknown> };
  assert.deepEqual(Object.keys(b), ['error'], `${what}: extra top-level keys ${JSON.stringify(body).slice(0, 200)}`);
  assert.equal(typeof b.error?.code, 'string', `${what}: error.code`);
  assert.equal(typeof b.error?.message, 'string', `${what}: error.message`);
  for (const k of Object.keys(b.error!))
    assert.ok(['code', 'message', 'field', 'rule'].includes(k), `${what}: unexpected error.${k}`);
}

/** A route's path with its parameters filled in (each value URL-encoded). */
export function fill(route: Pick<Route, 'path'>, values: Record<string, string>): string {
  return route.path.replace(/\{(\w+)\}/g, (_, name: string) => encodeURIComponent(values[name] ?? values.id ?? 'x'));
}

export const routesFor = (...audiences: Route['audience'][]) => routes.filter((r) => audiences.includes(r.audience));
export const hasBody = (method: string) => ['POST', 'PUT', 'PATCH'].includes(method);

/** All activity events (newest first), following the cursor. */
export async function allEvents(t: TestStack, staffToken: string, filter = ''): Promise<any[]> {
  const events: any[] = [];
  let cursor: string | undefined;
  for (let i = 0; i < 50; i++) {
    const q = `limit=500${filter ? `&${filter}` : ''}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`;
    const page = await t.api('GET', `/activity?${q}`, { token: staffToken });
    assert.equal(page.status, 200, JSON.stringify(page.body));
    events.push(...page.body.events);
    cursor = page.body.nextCursor;
    if (!cursor) break;
  }
  return events;
}

// ---- JWTs -------------------------------------------------------------------------

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/**
 * The key cognito-local signs every token with (kid "CognitoLocal"): lets a test mint a correctly signed token with
 * chosen claims.
 */
export function emulatorKey(): { pem: string; kid: string } {
  return { pem: require('cognito-local/lib/keys/cognitoLocal.private.json').pem as string, kid: 'CognitoLocal' };
}

/** An RSA key nobody trusts. */
export function strangerKey(): { pem: string; kid: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { pem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), kid: 'CognitoLocal' };
}

export function signJwt(
  claims: Record<string, unknown>,
  key: { pem: string; kid: string },
  header: Record<string, unknown> = {},
): string {
  const h = b64({ alg: 'RS256', typ: 'JWT', kid: key.kid, ...header });
  const p = b64(claims);
  const s = sign('RSA-SHA256', Buffer.from(`${h}.${p}`), key.pem).toString('base64url');
  return `${h}.${p}.${s}`;
}

export function decodeJwt(token: string): Record<string, any> {
  return JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8'));
}

// ---- the handler log ------------------------------------------------------------

/**
 * The handler log (one JSON line per request) must never carry a credential:
 * none of the given secrets (share/invitation tokens, passwords, JWTs), no
 * presigned URL signature, no bearer token.
 */
export function assertLogsClean(t: TestStack, secrets: Iterable<string>): void {
  const text = t.logs();
  assert.ok(text.length > 0, 'the handlers wrote a log');
  for (const line of text.split('\n').filter(Boolean))
    assert.doesNotThrow(() => JSON.parse(line), `not a JSON log line: ${line.slice(0, 200)}`);
  for (const s of secrets) {
    if (!s || s.length < 8) continue;
    assert.ok(!text.includes(s), `a secret appears in the log: ${s.slice(0, 6)}…`);
    // Also its URL-encoded and JSON-escaped forms.
    assert.ok(!text.includes(encodeURIComponent(s)), `a secret (URL-encoded) appears in the log: ${s.slice(0, 6)}…`);
  }
  assert.ok(!/X-Amz-Signature/i.test(text), 'a presigned URL signature appears in the log');
  assert.ok(!/X-Amz-Credential/i.test(text), 'a presigned URL credential appears in the log');
  assert.ok(!/Bearer\s+ey/i.test(text), 'a bearer token appears in the log');
}

export const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Uploads a new version of a file (staff) and returns its version id. */
export async function newVersion(
  t: TestStack,
  token: string,
  fileId: string,
  bytes: Uint8Array,
  contentType = 'application/pdf',
): Promise<string> {
  const { uploadWith } = await import('./upload.ts');
  const start = await t.api('POST', `/files/${fileId}/versions`, { token, body: { size: bytes.length, contentType } });
  assert.equal(start.status, 201, JSON.stringify(start.body));
  const parts = await uploadWith(start.body.upload, bytes, contentType);
  const done = await t.api('POST', `/files/${fileId}/versions/${start.body.versionId}/complete`, {
    token,
    body: parts ? { parts } : {},
  });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  return start.body.versionId as string;
}

/** Every item in the stack's table (a test-only Scan; the app never scans), plain JS values. */
export async function scanTable(): Promise<Array<Record<string, any>>> {
  const { DynamoDBClient } = await import('@aws-sdk/client-dynamodb');
  const { DynamoDBDocumentClient, ScanCommand } = await import('@aws-sdk/lib-dynamodb');
  const db = DynamoDBDocumentClient.from(
    new DynamoDBClient({
      endpoint: process.env.AWS_ENDPOINT_URL_DYNAMODB,
      region: process.env.AWS_REGION,
      maxAttempts: 1,
    }),
  );
  const items: Array<Record<string, any>> = [];
  let start: Record<string, any> | undefined;
  try {
    do {
      const out = await db.send(
        new ScanCommand({ TableName: process.env.TABLE_NAME, ConsistentRead: true, ExclusiveStartKey: start }),
      );
      items.push(...(out.Items ?? []));
      start = out.LastEvaluatedKey;
    } while (start);
  } finally {
    db.destroy();
  }
  return items;
}
