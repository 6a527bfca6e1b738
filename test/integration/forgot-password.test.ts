/**
 * "Forgot password" end to end on the local stack: Cognito's code arrives in the
 * same local mailbox as our own mails, and the new password works.
 */

import assert from 'node:assert/strict';
import {
  CognitoIdentityProviderClient,
  ConfirmForgotPasswordCommand,
  ForgotPasswordCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { makeClient, makeFolder } from '../support/story.ts';

describe('forgot password', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(() => t?.stop());

  it('mails a code to the local mailbox and lets the client choose a new password', async () => {
    const staff = await t.adminToken();
    const folder = await makeFolder(t, staff, 'Olvido');
    const client = await makeClient(t, staff, [folder.id], 'Olvidadiza');
    const idp = new CognitoIdentityProviderClient({
      endpoint: t.stack.emulators.cognito,
      region: 'us-east-1',
      credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
      maxAttempts: 1,
    });
    await idp.send(new ForgotPasswordCommand({ ClientId: t.stack.state.clientId, Username: client.email }));
    const mail = (await t.mail()).find(
      (m) => m.to.includes(client.email) && /\d{6}/.test(m.text) && !/\/invite#/.test(m.text),
    );
    assert.ok(mail, 'the code is in the local mailbox');
    const code = /(\d{6})/.exec(mail.text)![1];
    await idp.send(
      new ConfirmForgotPasswordCommand({
        ClientId: t.stack.state.clientId,
        Username: client.email,
        ConfirmationCode: code,
        Password: 'Nueva-Clave-2026!',
      }),
    );
    const { accessToken } = await t.signIn(client.email, 'Nueva-Clave-2026!');
    assert.equal((await t.api('GET', `/portal/folders/${folder.id}`, { token: accessToken })).status, 200);
    await assert.rejects(t.signIn(client.email, client.password), 'the old password no longer works');
    idp.destroy();
  });
});
