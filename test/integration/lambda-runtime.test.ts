/**
 * The local Lambda service runs a function as Lambda does, and the HTTP API
 * stand-in answers as API Gateway does when an invocation fails. Small
 * handlers written here stand in for the bundles:
 * - an invocation past the function's timeout is stopped, answered 500
 *   {"message":"Internal Server Error"}, and the next one gets a fresh
 *   execution environment;
 * - a response over 6 MB is the same error, never a success; a request over
 *   6 MB is 413;
 * - an environment holds exactly the function's variables and the runtime's,
 *   nothing of the parent process; module state is never shared between
 *   environments.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { createApiShim } from '../../local/api-shim.ts';
import type { JwtVerifier } from '../../local/jwt.ts';
import { FunctionPool, type FunctionSpec } from '../../local/runtime/pool.ts';

const HANDLER = `
let invocations = 0;
export async function handler(event) {
  invocations++;
  const mode = event.headers?.['x-mode'] ?? event.mode;
  if (mode === 'slow') await new Promise((r) => setTimeout(r, 10_000));
  if (mode === 'big') return { statusCode: 200, body: 'x'.repeat(7 * 1024 * 1024) };
  if (mode === 'throw') throw new Error('boom');
  const body = JSON.stringify({ pid: process.pid, invocations, env: process.env });
  return { statusCode: 200, headers: { 'content-type': 'application/json' }, body };
}`;

describe('the local Lambda service and the HTTP API stand-in', () => {
  let dir: string;
  let pool: FunctionPool;
  let other: FunctionPool;
  let server: http.Server;
  let url: string;
  const spec = (name: string): FunctionSpec => ({
    name,
    logicalId: `Fn${name}`,
    functionName: `Carpeta-Fn${name}`,
    arn: `arn:aws:lambda:us-east-1:000000000000:function:Carpeta-Fn${name}`,
    codeDir: dir,
    handler: 'index.handler',
    environment: { TABLE_NAME: 'carpeta', CARPETA_FUNCTION: name },
    // Long enough for a loaded machine to move the 7 MB answer over IPC; the slow mode sleeps well past it.
    timeoutSeconds: 3,
    memoryMb: 512,
    roleLogicalId: 'Role',
    roleArn: 'arn:aws:iam::000000000000:role/Role',
  });
  const options = {
    credentials: { accessKeyId: 'ASIAEXAMPLE', secretAccessKey: 'secret', sessionToken: 'token' },
    awsEndpoint: 'http://127.0.0.1:9',
    region: 'us-east-1',
    maxInstances: 1,
    log: () => undefined,
  };

  beforeAll(async () => {
    dir = mkdtempSync(path.join(tmpdir(), 'carpeta-runtime-'));
    writeFileSync(path.join(dir, 'index.mjs'), HANDLER);
    pool = new FunctionPool(spec('link'), options);
    other = new FunctionPool(spec('portal'), options);
    process.env.CARPETA_CANARY = 'from-the-test-process';
    const shim = createApiShim(() => ({}) as JwtVerifier, {
      prefix: '/api',
      invoke: () => (_fn, event, id) => pool.invoke(event, id),
    });
    server = http.createServer((req, res) => void shim(req, res));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/api/health`;
  });
  afterAll(async () => {
    server?.close();
    await pool?.stop();
    await other?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const get = async (mode?: string) => {
    const res = await fetch(url, { headers: mode ? { 'x-mode': mode } : {} });
    return { status: res.status, body: await res.json() };
  };

  it('answers through the function, from the environment Lambda would give it', async () => {
    const r = await get();
    assert.equal(r.status, 200);
    const env = r.body.env as Record<string, string>;
    assert.equal(env.TABLE_NAME, 'carpeta');
    assert.equal(env.CARPETA_FUNCTION, 'link');
    assert.equal(env.AWS_ACCESS_KEY_ID, 'ASIAEXAMPLE');
    assert.equal(env.AWS_SESSION_TOKEN, 'token');
    assert.equal(env.AWS_REGION, 'us-east-1');
    assert.equal(env.AWS_ENDPOINT_URL, 'http://127.0.0.1:9');
    assert.equal(env.AWS_LAMBDA_FUNCTION_NAME, 'Carpeta-Fnlink');
    assert.equal(env._HANDLER, 'index.handler');
    assert.equal(env.CARPETA_CANARY, undefined, 'nothing of the parent process leaks in');
    assert.equal(env.NODE_OPTIONS, undefined, 'no loader of the parent (the bundle runs on plain node)');
  });

  it('keeps an environment warm, and never shares module state between functions', async () => {
    const a = await get();
    const b = await get();
    assert.equal(b.body.pid, a.body.pid);
    assert.equal(b.body.invocations, a.body.invocations + 1);
    const c = JSON.parse(((await other.invoke({ mode: 'plain' })) as { payload: string }).payload);
    assert.notEqual(JSON.parse(c.body).pid, a.body.pid);
    assert.equal(JSON.parse(c.body).invocations, 1);
  });

  it('stops an invocation at the timeout: 500 as API Gateway answers, and a fresh environment next', async () => {
    const before = await get();
    const slow = await get('slow');
    assert.equal(slow.status, 500);
    assert.deepEqual(slow.body, { message: 'Internal Server Error' });
    const afterwards = await get();
    assert.equal(afterwards.status, 200);
    assert.notEqual(afterwards.body.pid, before.body.pid, 'the timed-out environment was stopped');
    assert.equal(afterwards.body.invocations, 1);
    const direct = await pool.invoke({ mode: 'slow' });
    assert.equal(direct.ok, false);
    assert.equal(!direct.ok && direct.error.errorType, 'Sandbox.Timedout');
  });

  it('refuses a response over 6 MB and a request over 6 MB', async () => {
    const big = await get('big');
    assert.equal(big.status, 500);
    assert.deepEqual(big.body, { message: 'Internal Server Error' });
    const direct = await pool.invoke({ mode: 'big' });
    assert.equal(!direct.ok && direct.error.errorType, 'Function.ResponseSizeTooLarge');
    const huge = await pool.invoke({ mode: 'plain', padding: 'y'.repeat(6 * 1024 * 1024 + 1) });
    assert.equal(!huge.ok && huge.error.errorType, 'RequestEntityTooLargeException');
    const post = await fetch(url.replace('/health', '/auth/invitations/accept'), {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ token: 'x', password: 'y'.repeat(7 * 1024 * 1024) }),
    });
    assert.equal(post.status, 413);
    assert.deepEqual(await post.json(), { message: 'Request Entity Too Large' });
  });

  it('a handler that throws is a 500 with API Gateway’s body, and the environment stays', async () => {
    const before = await get();
    const boom = await get('throw');
    assert.equal(boom.status, 500);
    assert.deepEqual(boom.body, { message: 'Internal Server Error' });
    assert.equal((await get()).body.pid, before.body.pid);
  });
});
