/**
 * Admins must use two-step verification, per session (issue 14, finding 2): admin routes answer 403
 * mfa_required until the admin turns TOTP on through Carpeta (a code mailed to them, then the app's code);
 * turning it on ends every session of the account, so a refresh token from a password-only sign-in before
 * enrolment mints nothing more; admin routes refuse any session that began before; and enrolling straight
 * at Cognito with only the password opens nothing. Also the local Cognito's session rules, which AWS's
 * has: a refresh keeps the sign-in's auth_time, the refresh token after an MFA challenge is kept, a
 * revoked session's access token is refused by Cognito's own API, a challenge needs its own Session.
 */

import assert from 'node:assert/strict';
import {
  AssociateSoftwareTokenCommand,
  CognitoIdentityProviderClient,
  GetUserCommand,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
  SetUserMFAPreferenceCommand,
  VerifySoftwareTokenCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { totp } from '../support/totp.ts';

const claimsOf = (jwt: string) => JSON.parse(Buffer.from(jwt.split('.')[1], 'base64url').toString('utf8'));
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('admin two-step verification', () => {
  let t: TestStack;
  let idp: CognitoIdentityProviderClient;
  const refused = (e: any) => e.name === 'NotAuthorizedException';
  beforeAll(async () => {
    t = await startTestStack();
    idp = new CognitoIdentityProviderClient({
      endpoint: t.stack.emulators.cognito,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
  });
  afterAll(async () => {
    idp?.destroy();
    await t?.stop();
  });
  const refresh = (refreshToken: string) =>
    idp.send(
      new InitiateAuthCommand({
        AuthFlow: 'REFRESH_TOKEN_AUTH',
        ClientId: t.stack.state.clientId,
        AuthParameters: { REFRESH_TOKEN: refreshToken },
      }),
    );
  const codeMailedTo = async (email: string) => {
    const mail = (await t.mail()).filter((m) => m.to.includes(email) && /dos pasos|two-step/.test(m.subject)).at(-1);
    return /\b(\d{6})\b/.exec(mail?.subject ?? '')?.[1] ?? '';
  };

  it('an admin without it is kept out of admin routes; turning it on needs the mailed code at each step', async () => {
    const admin = await t.user('staff', 'mfa-steps@example.com');
    // Made admin in the table as staff is made admin by another admin.
    const { updateProfile } = await import('../../functions/store/users.ts');
    const { addToGroups } = await import('../../functions/aws/cognito.ts');
    await updateProfile(admin.id, { role: 'admin' }, new Date().toISOString());
    await addToGroups(admin.email, ['admin']);
    const { accessToken } = await t.signIn(admin.email, admin.password);
    const settings = await t.api('GET', '/settings', { token: accessToken });
    assert.equal(settings.status, 403);
    assert.equal(settings.body.error.code, 'mfa_required');
    assert.equal((await t.api('GET', '/folders/root', { token: accessToken })).status, 200, 'staff routes do not ask');

    // No secret without the mailed code.
    const noCode = await t.api('POST', '/me/two-step/authenticator', { token: accessToken, body: { emailCode: '12' } });
    assert.equal(noCode.status, 400);
    assert.equal(noCode.body.error.field, 'emailCode');
    const never = await t.api('POST', '/me/two-step/authenticator', {
      token: accessToken,
      body: { emailCode: '123456' },
    });
    assert.equal(never.status, 400);
    assert.equal(never.body.error.rule, 'code_expired', 'no code was ever sent');

    assert.equal((await t.api('POST', '/me/two-step/code', { token: accessToken })).status, 202);
    const again = await t.api('POST', '/me/two-step/code', { token: accessToken });
    assert.equal(again.status, 429, 'one code every 30 s');
    assert.ok(Number(again.headers.get('retry-after')) > 0);
    const emailCode = await codeMailedTo(admin.email);
    assert.match(emailCode, /^\d{6}$/);
    const wrongCode = emailCode === '000000' ? '111111' : '000000';
    const wrong = await t.api('POST', '/me/two-step/authenticator', {
      token: accessToken,
      body: { emailCode: wrongCode },
    });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error.rule, 'code_wrong');

    const started = await t.api('POST', '/me/two-step/authenticator', { token: accessToken, body: { emailCode } });
    assert.equal(started.status, 200);
    const secret: string = started.body.secret;
    assert.match(secret, /^[A-Z2-7]{16,}$/);
    const badApp = await t.api('POST', '/me/two-step/authenticator/confirm', {
      token: accessToken,
      body: { emailCode, code: String((Number(totp(secret)) + 1) % 1_000_000).padStart(6, '0') },
    });
    assert.equal(badApp.status, 400);
    assert.equal(badApp.body.error.field, 'code');
    const done = await t.api('POST', '/me/two-step/authenticator/confirm', {
      token: accessToken,
      body: { emailCode, code: totp(secret), deviceName: 'Pixel' },
    });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.deepEqual(done.body, { signedOut: true });

    // Every sign-in now asks for the app's code, and that session passes.
    const start = await idp.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: t.stack.state.clientId,
        AuthParameters: { USERNAME: admin.email, PASSWORD: admin.password },
      }),
    );
    assert.equal(start.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    assert.equal(start.AuthenticationResult, undefined, 'no tokens before the code');
    const answer = await idp.send(
      new RespondToAuthChallengeCommand({
        ClientId: t.stack.state.clientId,
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: start.Session,
        ChallengeResponses: { USERNAME: admin.email, SOFTWARE_TOKEN_MFA_CODE: totp(secret) },
      }),
    );
    const fresh = answer.AuthenticationResult!.AccessToken!;
    assert.equal((await t.api('GET', '/settings', { token: fresh })).status, 200);
    const { events } = (await t.api('GET', `/activity?targetId=${admin.id}`, { token: fresh })).body;
    assert.ok(
      events.some((e: any) => e.type === 'two_step.enabled'),
      'turning it on is in the activity log',
    );
  });

  it(
    'a refresh token from before enrolment mints nothing ' + 'after it; its session never reaches admin routes',
    async () => {
      const admin = await t.user('staff', 'mfa-old-session@example.com');
      const { updateProfile } = await import('../../functions/store/users.ts');
      const { addToGroups } = await import('../../functions/aws/cognito.ts');
      await updateProfile(admin.id, { role: 'admin' }, new Date().toISOString());
      await addToGroups(admin.email, ['admin']);
      // Session A: a password-only sign-in (on another device, or the attacker's), before enrolment.
      const before = await t.signIn(admin.email, admin.password);
      await sleep(1100); // so the sessions' auth_time (whole seconds) differ
      // Session B enrols.
      const enrolling = await t.signIn(admin.email, admin.password);
      await t.enrollTotp(enrolling.accessToken, admin.email);

      await assert.rejects(refresh(before.refreshToken), refused, 'the old refresh token is revoked');
      await assert.rejects(refresh(enrolling.refreshToken), refused, 'and so is the enrolling one');
      // Its access token (unexpired, correctly signed) is refused on admin routes, and by Cognito's own API.
      const old = await t.api('GET', '/settings', { token: before.accessToken });
      assert.ok([401, 403].includes(old.status), `the old session on an admin route: ${old.status}`);
      await assert.rejects(idp.send(new GetUserCommand({ AccessToken: before.accessToken })), refused);
      // A session begun after passes.
      const after = await t.signIn(admin.email, admin.password);
      assert.equal((await t.api('GET', '/settings', { token: after.accessToken })).status, 200);
    },
  );

  it('enrolling straight at Cognito with only the password opens no admin route', async () => {
    const admin = await t.user('staff', 'mfa-bypass@example.com');
    const { updateProfile } = await import('../../functions/store/users.ts');
    const { addToGroups } = await import('../../functions/aws/cognito.ts');
    await updateProfile(admin.id, { role: 'admin' }, new Date().toISOString());
    await addToGroups(admin.email, ['admin']);
    const { accessToken } = await t.signIn(admin.email, admin.password);
    const { SecretCode } = await idp.send(new AssociateSoftwareTokenCommand({ AccessToken: accessToken }));
    await idp.send(new VerifySoftwareTokenCommand({ AccessToken: accessToken, UserCode: totp(SecretCode!) }));
    await idp.send(
      new SetUserMFAPreferenceCommand({
        AccessToken: accessToken,
        SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true },
      }),
    );
    const start = await idp.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: t.stack.state.clientId,
        AuthParameters: { USERNAME: admin.email, PASSWORD: admin.password },
      }),
    );
    const answer = await idp.send(
      new RespondToAuthChallengeCommand({
        ClientId: t.stack.state.clientId,
        ChallengeName: 'SOFTWARE_TOKEN_MFA',
        Session: start.Session,
        ChallengeResponses: { USERNAME: admin.email, SOFTWARE_TOKEN_MFA_CODE: totp(SecretCode!) },
      }),
    );
    const res = await t.api('GET', '/settings', { token: answer.AuthenticationResult!.AccessToken! });
    assert.equal(res.status, 403);
    assert.equal(res.body.error.code, 'mfa_required', 'Cognito says TOTP is on; Carpeta never confirmed it');
  });

  it(
    'the local Cognito keeps sessions as Cognito does: ' + 'auth_time on refresh, the MFA refresh token, Sessions',
    async () => {
      const token = await t.adminToken();
      const admin = t.stack.admin;
      const signedIn = await t.signIn(admin.email, admin.password);
      const authTime = claimsOf(signedIn.accessToken).auth_time;
      await sleep(1100);
      // The refresh token issued after the TOTP challenge works (a reload or a new tab stays signed in)...
      const refreshed = await refresh(signedIn.refreshToken);
      const claims = claimsOf(refreshed.AuthenticationResult!.AccessToken!);
      // ...and its tokens still say when the session began.
      assert.equal(claims.auth_time, authTime);
      assert.ok(claims.iat > authTime);
      assert.equal(
        (await t.api('GET', '/settings', { token: refreshed.AuthenticationResult!.AccessToken! })).status,
        200,
      );
      assert.equal((await t.api('GET', '/settings', { token })).status, 200);

      // A challenge is answered only with the Session its sign-in returned.
      await assert.rejects(
        idp.send(
          new RespondToAuthChallengeCommand({
            ClientId: t.stack.state.clientId,
            ChallengeName: 'SOFTWARE_TOKEN_MFA',
            Session: 'a-session-nobody-was-given',
            ChallengeResponses: { USERNAME: admin.email, SOFTWARE_TOKEN_MFA_CODE: '000000' },
          }),
        ),
        refused,
      );
      // A token nobody signed is refused by Cognito's own API, as a revoked one is.
      const [h, , s] = signedIn.accessToken.split('.');
      const claims2 = { ...claimsOf(signedIn.accessToken), sub: 'x' };
      const forged = `${h}.${Buffer.from(JSON.stringify(claims2)).toString('base64url')}.${s}`;
      await assert.rejects(idp.send(new GetUserCommand({ AccessToken: forged })), refused);
    },
  );
});
