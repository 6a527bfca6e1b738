import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { loadArtifacts } from '../../local/artifacts.ts';
import { resolve, resourcesOfType } from '../../local/cfn.ts';
import { readDeployment } from '../../local/deployment.ts';
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

  it("serves the site with the headers AWS's distribution adds: the deployed CSP, with local endpoints", async () => {
    const res = await fetch(`${t.stack.url}/portal`);
    assert.equal(res.status, 200);
    // The template the stack was provisioned from (synthesized once, then read from the cache).
    const artifacts = await loadArtifacts();
    const { state } = t.stack;
    const { resources } = readDeployment(artifacts, {
      tableName: state.tableName,
      bucketName: state.bucketName,
      userPoolId: state.userPoolId!,
      clientId: state.clientId!,
      siteUrl: t.stack.url,
      apiUrl: t.stack.apiUrl,
    });
    const [[, policy]] = resourcesOfType(artifacts.template, 'AWS::CloudFront::ResponseHeadersPolicy');
    const deployed = resolve(policy.Properties?.ResponseHeadersPolicyConfig, resources);
    const directives = (csp: string) =>
      new Map(
        csp
          .split(';')
          .map((d) => d.trim().split(/\s+/))
          .filter(([name]) => name)
          .map(([name, ...sources]) => [name, sources]),
      );
    const local = directives(res.headers.get('content-security-policy') ?? '');
    const aws = directives(deployed.SecurityHeadersConfig.ContentSecurityPolicy.ContentSecurityPolicy);
    // Only the HTTPS upgrade is left out: the local stack is plain HTTP on loopback.
    assert.deepEqual(
      [...local.keys()],
      [...aws.keys()].filter((d) => d !== 'upgrade-insecure-requests'),
    );
    for (const [name, sources] of local) {
      const keywords = (list: string[]) => list.filter((x) => !/^https?:/.test(x));
      assert.deepEqual(keywords(sources), keywords(aws.get(name)!), `${name}: the same keywords as in AWS`);
    }
    assert.deepEqual(local.get('style-src'), ["'self'"], 'no inline styles, as in AWS');
    assert.ok(local.get('img-src')!.includes(t.stack.aws.endpoint), 'the documents bucket is the local S3');
    assert.doesNotMatch(res.headers.get('content-security-policy')!, /amazonaws\.com|unsafe-/);
    for (const h of deployed.CustomHeadersConfig.Items) assert.equal(res.headers.get(h.Header), h.Value, h.Header);
    assert.equal(res.headers.get('x-frame-options'), deployed.SecurityHeadersConfig.FrameOptions.FrameOption);
    assert.equal(res.headers.get('referrer-policy'), deployed.SecurityHeadersConfig.ReferrerPolicy.ReferrerPolicy);
    assert.equal(res.headers.get('x-content-type-options'), 'nosniff');
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
