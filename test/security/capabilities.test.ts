/**
 * Issue 14, finding 1: no capability token ever appears in a URL path or
 * query string that a log records. Share links are mailed as <site>/s#<token>
 * and invitations as <site>/invite#<token> (browsers never send a fragment);
 * the share routes take the token in the X-Share-Token header, invitations
 * in the body. The local server keeps an access log as CloudFront and API
 * Gateway do (method, path and query string): it must never hold a token.
 */

import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { NOT_FOUND } from '../support/security.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { invitationToken, makeFile, makeFolder, shareToken } from '../support/story.ts';

describe('capability tokens stay out of every URL a log records', () => {
  let t: TestStack;
  let staff: string;
  let share: string;
  let invite: string;
  let fileId: string;

  beforeAll(async () => {
    t = await startTestStack();
    staff = await t.adminToken();
    const folder = await makeFolder(t, staff, 'Capacidades');
    fileId = (await makeFile(t, staff, folder.id, 'nómina.pdf')).id;
    assert.equal(
      (await t.api('POST', `/folders/${folder.id}/send`, { token: staff, body: { email: 'cap-link@example.com' } }))
        .status,
      201,
    );
    share = await shareToken(t, 'cap-link@example.com');
    assert.equal(
      (
        await t.api('POST', '/webusers', {
          token: staff,
          body: { email: 'cap-user@example.com', name: 'Cap', folderIds: [folder.id] },
        })
      ).status,
      201,
    );
    invite = await invitationToken(t, 'cap-user@example.com');
  });
  afterAll(() => t?.stop());

  it('mails carry the tokens after "#" only', async () => {
    const mails = await t.mail();
    assert.ok(mails.length >= 2);
    for (const m of mails) {
      for (const [name, token] of [
        ['share', share],
        ['invitation', invite],
      ]) {
        for (const body of [m.text, m.html]) {
          let at = body.indexOf(token);
          while (at >= 0) {
            assert.equal(
              body[at - 1],
              '#',
              `a ${name} token in a mail, not after "#": ${body.slice(Math.max(0, at - 40), at)}`,
            );
            at = body.indexOf(token, at + 1);
          }
        }
      }
    }
    assert.ok(mails.some((m) => m.text.includes(`/s#${share}`)));
    assert.ok(mails.some((m) => m.text.includes(`/invite#${invite}`)));
  });

  it('the share routes take the token in X-Share-Token; the old path routes are gone', async () => {
    assert.equal((await t.api('GET', '/share', { share })).status, 200);
    const dl = await t.api('GET', `/share/files/${fileId}/download`, { share });
    assert.equal(dl.status, 200);
    for (const p of [`/share/${share}`, `/share/${share}/files/${fileId}/download`]) {
      const old = await t.api('GET', p);
      assert.equal(old.status, 404, p);
      assert.deepEqual(old.body, NOT_FOUND);
    }
    const missing = await t.api('GET', '/share');
    assert.equal(missing.status, 400);
    assert.equal(missing.body.error.field, 'x-share-token');
  });

  it('an invitation is accepted with the token in the body', async () => {
    const res = await t.api('POST', '/auth/invitations/accept', {
      body: { token: invite, password: 'Capacidad-Segura-1!' },
    });
    assert.equal(res.status, 200);
  });

  it('the access log, which records every path and query string, holds no token', () => {
    const file = path.join(t.dir, 'access.log');
    assert.ok(existsSync(file), 'the local server keeps an access log');
    const log = readFileSync(file, 'utf8');
    assert.ok(log.includes('"url":"/api/share"'), 'the share requests are in it');
    // The old-route probes above put the share token in a path on purpose: those lines are the only ones.
    const lines = log.split('\n').filter((l) => l.includes(share));
    assert.ok(
      lines.every((l) => /"status":404/.test(l) && l.includes(`/api/share/${share}`)),
      lines.join('\n'),
    );
    assert.ok(!log.includes(invite), 'an invitation token is in the access log');
    assert.ok(!/[?&]token=/.test(log), 'a token in a query string');
  });

  it(
    'the local mailbox and jobs answer only localhost and ' + '127.0.0.1 (no reading tokens through DNS rebinding)',
    async () => {
      const { port } = new URL(t.stack.url);
      const ask = (method: string, p: string, host: string, extra: Record<string, string> = {}, send?: string) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const headers = { host, ...extra };
          const req = http.request({ host: '127.0.0.1', port, method, path: p, headers }, (res) => {
            let body = '';
            res.setEncoding('utf8').on('data', (c) => (body += c));
            res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
          });
          req.on('error', reject).end(send);
        });
      for (const host of ['rebound.example', `rebound.example:${port}`, `127.0.0.1.nip.io:${port}`]) {
        for (const [method, p] of [
          ['GET', '/_local/mail'],
          ['GET', '/_local/mailbox'],
          ['POST', '/_local/jobs/run'],
        ]) {
          const res = await ask(method, p, host);
          assert.equal(res.status, 403, `${method} ${p} with Host ${host}`);
          assert.ok(!res.body.includes(invite) && !res.body.includes(share), 'no token in the refusal');
        }
      }
      for (const host of [`localhost:${port}`, `127.0.0.1:${port}`]) {
        const res = await ask('GET', '/_local/mail', host);
        assert.equal(res.status, 200, host);
        assert.ok(res.body.includes(invite), 'the operator still reads the mail');
      }
      // The Cognito pass-through serves the site's own calls (sign-in) on any name the site is opened
      // with, but never the emulator's admin calls, which cognito-local does not authenticate.
      const cognito = (target: string, body: unknown) =>
        ask(
          'POST',
          '/_local/cognito/',
          `rebound.example:${port}`,
          {
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': `AWSCognitoIdentityProviderService.${target}`,
          },
          JSON.stringify(body),
        );
      const { clientId, userPoolId } = t.stack.config.cognito;
      const { email, password } = t.stack.admin;
      const signIn = await cognito('InitiateAuth', {
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: clientId,
        AuthParameters: { USERNAME: email, PASSWORD: password },
      });
      assert.notEqual(signIn.status, 403, 'sign-in through any host name');
      const admin = await cognito('AdminSetUserPassword', {
        UserPoolId: userPoolId,
        Username: email,
        Password: 'Taken-Over-1234!',
        Permanent: true,
      });
      assert.equal(admin.status, 403, 'an admin call through a rebound name');
    },
  );
});
