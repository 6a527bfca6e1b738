import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestStack, type TestStack } from '../support/stack.ts';

describe('walking skeleton: the local stack end to end', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(() => t?.stop());

  it('serves /config.json with the endpoints the site needs, relative to whatever origin serves it', async () => {
    for (const origin of [t.stack.url, t.stack.url.replace('localhost', '127.0.0.1')]) {
      const res = await fetch(`${origin}/config.json`);
      assert.equal(res.status, 200);
      const cfg = await res.json();
      assert.equal(cfg.apiUrl, '/api', 'relative: the same config works on localhost and 127.0.0.1');
      assert.match(cfg.cognito.userPoolId, /\S/);
      assert.match(cfg.cognito.clientId, /\S/);
      // The browser reaches the API and Cognito through the same origin as the page.
      assert.equal((await fetch(new URL(`${cfg.apiUrl}/health`, origin))).status, 200);
      const jwks = await fetch(
        new URL(`${cfg.cognito.endpoint}/${cfg.cognito.userPoolId}/.well-known/jwks.json`, origin),
      );
      assert.equal(jwks.status, 200);
    }
  });

  it('answers /health without a token', async () => {
    const res = await t.api('GET', '/health');
    assert.equal(res.status, 200);
    assert.equal(res.body.status, 'ok');
  });

  it('refuses /me without a token, with the error shape', async () => {
    const res = await t.api('GET', '/me');
    assert.equal(res.status, 401);
    assert.equal(res.body.error.code, 'unauthorized');
  });

  it('refuses a tampered token and an ID token', async () => {
    const { accessToken, idToken } = await t.signIn(t.stack.admin.email, t.stack.admin.password);
    const [h, p, s] = accessToken.split('.');
    const claims = JSON.parse(Buffer.from(p, 'base64url').toString());
    claims['cognito:groups'] = ['admin', 'staff', 'webusers'];
    const forged = `${h}.${Buffer.from(JSON.stringify(claims)).toString('base64url')}.${s}`;
    assert.equal((await t.api('GET', '/me', { token: forged })).status, 401);
    assert.equal((await t.api('GET', '/me', { token: idToken })).status, 401);
  });

  it('tells the seeded admin who they are', async () => {
    const res = await t.api('GET', '/me', { token: await t.adminToken() });
    assert.equal(res.status, 200);
    assert.equal(res.body.email, t.stack.admin.email);
    assert.equal(res.body.id, t.stack.admin.id);
    assert.deepEqual([...res.body.groups].sort(), ['admin', 'staff']);
  });

  it('lets a web user into the portal and keeps staff out of it', async () => {
    const client = await t.user('webuser');
    const me = await t.api('GET', '/portal/me', { token: client.token });
    assert.equal(me.status, 200);
    assert.equal(me.body.user.email, client.email);
    const staff = await t.api('GET', '/portal/me', { token: await t.adminToken() });
    assert.equal(staff.status, 403);
    assert.equal(staff.body.error.code, 'forbidden');
  });

  it('answers an unknown route with the same 404 shape', async () => {
    const res = await t.api('GET', '/no/such/route');
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, { error: { code: 'not_found', message: 'Not found.' } });
  });
});
