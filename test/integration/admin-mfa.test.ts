/**
 * Admins must use two-step verification: admin routes answer 403 mfa_required
 * until the admin switches TOTP on; from then on every sign-in asks for a code.
 */

import assert from 'node:assert/strict';
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { totp } from '../support/totp.ts';

describe('admin two-step verification', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(() => t?.stop());

  it('keeps admins without TOTP out of admin routes, and asks enrolled admins for a code at sign-in', async () => {
    const admin = t.stack.admin;
    const { accessToken } = await t.signIn(admin.email, admin.password);
    const refused = await t.api('GET', '/settings', { token: accessToken });
    assert.equal(refused.status, 403);
    assert.equal(refused.body.error.code, 'mfa_required');
    // Staff routes do not need it.
    assert.equal((await t.api('GET', '/folders/root', { token: accessToken })).status, 200);

    const secret = await t.enrollTotp(accessToken, admin.email);
    assert.equal((await t.api('GET', '/settings', { token: accessToken })).status, 200, 'the next request passes');

    const idp = new CognitoIdentityProviderClient({
      endpoint: t.stack.emulators.cognito,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    const start = await idp.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: t.stack.state.clientId,
        AuthParameters: { USERNAME: admin.email, PASSWORD: admin.password },
      }),
    );
    assert.equal(start.ChallengeName, 'SOFTWARE_TOKEN_MFA');
    assert.equal(start.AuthenticationResult, undefined, 'no tokens before the code');
    const wrong = String((Number(totp(secret)) + 1) % 1_000_000).padStart(6, '0');
    await assert.rejects(
      idp.send(
        new RespondToAuthChallengeCommand({
          ClientId: t.stack.state.clientId,
          ChallengeName: 'SOFTWARE_TOKEN_MFA',
          Session: start.Session,
          ChallengeResponses: { USERNAME: admin.email, SOFTWARE_TOKEN_MFA_CODE: wrong },
        }),
      ),
      (e: any) => e.name === 'CodeMismatchException',
    );
    const again = await t.signIn(admin.email, admin.password);
    assert.equal((await t.api('GET', '/settings', { token: again.accessToken })).status, 200);
    idp.destroy();
  });
});
