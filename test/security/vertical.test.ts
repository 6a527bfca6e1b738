/**
 * Issue 8, attack case 2: vertical access, driven by the route table so every
 * route added later is covered without touching this file.
 * - web users and link holders on every staff and admin route: 403 (a link
 *   holder has no token: 401); staff on admin routes: 403; staff on portal routes: 403;
 * - on every route that needs a token: none, expired, tampered, an ID token, a
 *   token of another app client or another user pool, one signed with a key
 *   nobody trusts, alg "none"/HS256: 401 with the error shape.
 */

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import {
  AdminAddUserToGroupCommand,
  AdminCreateUserCommand,
  AdminSetUserPasswordCommand,
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  InitiateAuthCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { needsJwt, type Route, routes } from '../../functions/routes.ts';
import { assertErrorShape, decodeJwt, emulatorKey, fill, hasBody, signJwt, strangerKey } from '../support/security.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { makeClient, makeFolder, shareToken } from '../support/story.ts';

const jwtRoutes = routes.filter((r) => needsJwt(r.audience));
const privileged = routes.filter((r) => r.audience === 'staff' || r.audience === 'admin');

/** A JWT segment: the JSON, base64url. */
const b64url = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

describe('security: vertical access and tokens (case 2)', () => {
  let t: TestStack;
  let idp: CognitoIdentityProviderClient;
  let folderId: string;
  const tok = {} as Record<string, string>;
  let linkToken: string;
  let client: { id: string; email: string; password: string; token: string };

  const path = (r: Route) => fill(r, { id: folderId, userId: client.id, versionId: folderId, token: linkToken });
  const call = (r: Route, token?: string) =>
    t.api(r.method, path(r), { token, body: hasBody(r.method) ? {} : undefined });

  beforeAll(async () => {
    t = await startTestStack();
    idp = new CognitoIdentityProviderClient({
      endpoint: t.stack.emulators.cognito,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    tok.admin = await t.adminToken();
    tok.staff = (await t.user('staff')).token;
    folderId = (await makeFolder(t, tok.admin, 'Vertical')).id;
    client = await makeClient(t, tok.admin, [folderId]);
    tok.webuser = client.token;
    await t.api('POST', `/folders/${folderId}/send`, {
      token: tok.admin,
      body: { email: 'vertical-holder@example.com' },
    });
    linkToken = await shareToken(t, 'vertical-holder@example.com');
  });
  afterAll(async () => {
    idp?.destroy();
    await t?.stop();
  });

  it('the route table has staff routes to attack, and every route is one of the known audiences', () => {
    assert.ok(privileged.length >= 20);
    for (const r of routes)
      assert.ok(
        ['public', 'link', 'signedin', 'staff', 'admin', 'webuser'].includes(r.audience),
        `${r.method} ${r.path}`,
      );
  });

  it('a web user gets 403 on every staff and admin route', async () => {
    for (const r of privileged) {
      const res = await call(r, tok.webuser);
      assert.equal(res.status, 403, `${r.method} ${r.path}: ${JSON.stringify(res.body)}`);
      assert.equal(res.body.error.code, 'forbidden');
    }
  });

  it('a link holder (a share token, no account) gets 401 on every staff, admin and portal route', async () => {
    for (const r of jwtRoutes) {
      // The share token in every place a credential could be.
      for (const headers of [
        {},
        { authorization: `Bearer ${linkToken}` },
        { authorization: linkToken },
        { 'x-share-token': linkToken },
      ] as Array<Record<string, string>>) {
        const res = await t.api(r.method, `${path(r)}?token=${linkToken}`, {
          headers,
          body: hasBody(r.method) ? { token: linkToken } : undefined,
        });
        assert.equal(res.status, 401, `${r.method} ${r.path} with ${JSON.stringify(Object.keys(headers))}`);
        assertErrorShape(res.status, res.body, r.path);
      }
    }
  });

  it(
    'staff get 403 on every admin route and on the portal; ' + 'admins pass the audience check everywhere staff can',
    async () => {
      for (const r of routes.filter((r) => r.audience === 'admin')) {
        const res = await call(r, tok.staff);
        assert.equal(res.status, 403, `staff on admin route ${r.method} ${r.path}`);
        assert.equal(res.body.error.code, 'forbidden');
      }
      for (const r of routes.filter((r) => r.audience === 'webuser')) {
        for (const who of ['staff', 'admin']) {
          const res = await call(r, tok[who]);
          assert.equal(res.status, 403, `${who} on portal route ${r.method} ${r.path}`);
        }
      }
      for (const r of privileged) {
        const res = await call(r, tok.admin);
        assert.ok(![401, 403].includes(res.status), `admin on ${r.method} ${r.path}: ${res.status}`);
      }
    },
  );

  it('no token, and every kind of bad token, is 401 on every route that needs one', async () => {
    const { accessToken, idToken } = await t.signIn(t.stack.admin.email, t.stack.admin.password);
    const claims = decodeJwt(accessToken);
    const [h, p, s] = accessToken.split('.');
    const now = Math.floor(Date.now() / 1000);
    const key = emulatorKey();
    const issuer = claims.iss as string;

    // Real tokens from another app client of this pool and from another user pool, same groups.
    const otherClient = await idp.send(
      new CreateUserPoolClientCommand({
        UserPoolId: t.stack.state.userPoolId!,
        ClientName: 'intruder',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH', 'ALLOW_REFRESH_TOKEN_AUTH'],
      }),
    );
    // A staff member without two-step verification signs in there with a password alone.
    const insider = await t.user('staff');
    const otherClientToken = (
      await idp.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: otherClient.UserPoolClient!.ClientId!,
          AuthParameters: { USERNAME: insider.email, PASSWORD: insider.password },
        }),
      )
    ).AuthenticationResult!.AccessToken!;
    assert.deepEqual(decodeJwt(otherClientToken)['cognito:groups'], ['staff']);
    const pool = await idp.send(new CreateUserPoolCommand({ PoolName: 'another-company' }));
    const poolId = pool.UserPool!.Id!;
    const poolClient = await idp.send(
      new CreateUserPoolClientCommand({
        UserPoolId: poolId,
        ClientName: 'their-app',
        ExplicitAuthFlows: ['ALLOW_USER_PASSWORD_AUTH'],
      }),
    );
    for (const g of ['admin', 'staff']) await idp.send(new CreateGroupCommand({ UserPoolId: poolId, GroupName: g }));
    const created = await idp.send(
      new AdminCreateUserCommand({
        UserPoolId: poolId,
        Username: 'mallory@example.com',
        MessageAction: 'SUPPRESS',
        UserAttributes: [{ Name: 'email', Value: 'mallory@example.com' }],
      }),
    );
    const username = created.User!.Username!;
    await idp.send(
      new AdminSetUserPasswordCommand({
        UserPoolId: poolId,
        Username: username,
        Password: 'Mallory-Pass-123!',
        Permanent: true,
      }),
    );
    for (const g of ['admin', 'staff'])
      await idp.send(new AdminAddUserToGroupCommand({ UserPoolId: poolId, Username: username, GroupName: g }));
    const otherPoolToken = (
      await idp.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: poolClient.UserPoolClient!.ClientId!,
          AuthParameters: { USERNAME: 'mallory@example.com', PASSWORD: 'Mallory-Pass-123!' },
        }),
      )
    ).AuthenticationResult!.AccessToken!;
    assert.deepEqual(decodeJwt(otherPoolToken)['cognito:groups'], ['admin', 'staff']);

    const bad: Record<string, string | undefined> = {
      'no token': undefined,
      'empty bearer': '',
      garbage: 'not-a-jwt',
      'two segments': `${h}.${p}`,
      'tampered payload (groups)': `${h}.${b64url({ ...claims, 'cognito:groups': ['admin', 'staff'], sub: 'x' })}.${s}`,
      'tampered signature': `${h}.${p}.${s.slice(0, -4)}AAAA`,
      'ID token': idToken,
      'another app client': otherClientToken,
      'another user pool': otherPoolToken,
      'expired (correctly signed)': signJwt({ ...claims, iat: now - 7200, exp: now - 60 }, key),
      'another issuer (correctly signed)': signJwt(
        { ...claims, iss: issuer.replace(/[^/]+$/, 'us-east-1_other') },
        key,
      ),
      'another client id (correctly signed)': signJwt({ ...claims, client_id: 'someone-elses-client' }, key),
      'token_use id (correctly signed)': signJwt({ ...claims, token_use: 'id' }, key),
      'no exp (correctly signed)': signJwt(
        Object.fromEntries(Object.entries(claims).filter(([k]) => k !== 'exp')),
        key,
      ),
      'signed with a stranger key, same kid': signJwt({ ...claims, exp: now + 3600 }, strangerKey()),
      'unknown kid': signJwt(claims, { ...key, kid: 'other-kid' }),
      'alg none': `${b64url({ alg: 'none', typ: 'JWT', kid: key.kid })}.${p}.`,
      'alg HS256 keyed with the public key': (() => {
        const hh = Buffer.from(JSON.stringify({ alg: 'HS256', typ: 'JWT', kid: key.kid })).toString('base64url');
        return `${hh}.${p}.${createHmac('sha256', key.pem).update(`${hh}.${p}`).digest('base64url')}`;
      })(),
    };
    // A correctly signed token with the real claims passes: the forgeries above fail for the reason named.
    assert.equal(
      (await t.api('GET', '/me', { token: signJwt(claims, key) })).status,
      200,
      'control: the forging works',
    );

    for (const r of jwtRoutes) {
      for (const [what, token] of Object.entries(bad)) {
        const headers = token === '' ? { authorization: 'Bearer ' } : undefined;
        const res = await t.api(r.method, path(r), {
          token: token || undefined,
          headers,
          body: hasBody(r.method) ? {} : undefined,
        });
        assert.equal(res.status, 401, `${what} on ${r.method} ${r.path}: ${res.status} ${JSON.stringify(res.body)}`);
        assert.equal(res.body.error.code, 'unauthorized');
        assertErrorShape(res.status, res.body, `${what} on ${r.path}`);
      }
    }
  });

  it('a token in another scheme or place than "Authorization: Bearer" is not a credential', async () => {
    const r = routes.find((x) => x.path === '/folders/root')!;
    for (const headers of [
      { authorization: `Basic ${tok.admin}` },
      { authorization: tok.admin },
      { 'x-amz-security-token': tok.admin },
      { cookie: `token=${tok.admin}` },
    ] as Array<Record<string, string>>) {
      const res = await t.api(r.method, r.path, { headers });
      assert.equal(res.status, 401, JSON.stringify(Object.keys(headers)));
    }
    assert.equal((await t.api('GET', `/folders/root?access_token=${tok.admin}`)).status, 401);
  });
});
