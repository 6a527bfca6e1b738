/**
 * Issue 8, attack case 8: capability tokens. Share-link and invitation tokens
 * are 256 random bits (43 base64url characters), stored only as their SHA-256
 * (the table is scanned: no token anywhere), never returned by the API and
 * never logged (the handler log of the whole run is scanned for every token,
 * password and JWT this file used, and for presigned-URL signatures).
 * Invitations are single-use, also under concurrent accepts.
 */

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { allEvents, assertLogsClean, scanTable } from '../support/security.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { invitationToken, makeClient, makeFile, makeFolder, shareToken } from '../support/story.ts';
import { download } from '../support/upload.ts';

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');

describe('security: tokens (case 8)', () => {
  let t: TestStack;
  let staff: string;
  let folderId: string;
  let fileId: string;
  const secrets = new Set<string>();
  const shareTokens: string[] = [];
  const inviteTokens: string[] = [];

  beforeAll(async () => {
    t = await startTestStack({ RATE_LIMIT_FAILURES: '100000' });
    staff = await t.adminToken();
    secrets.add(staff);
    secrets.add(t.stack.admin.password);
    folderId = (await makeFolder(t, staff, 'Tokens')).id;
    fileId = (await makeFile(t, staff, folderId, 't.pdf')).id;
  });
  afterAll(() => t?.stop());

  it('share-link tokens are 43 base64url characters (256 bits), all different, never in an API answer', async () => {
    for (let i = 0; i < 20; i++) {
      const email = `tok-${i}@example.com`;
      const sent = await t.api('POST', `/folders/${folderId}/send`, {
        token: staff,
        body: { email, message: `n.º ${i}` },
      });
      assert.equal(sent.status, 201);
      const token = await shareToken(t, email);
      assert.match(token, /^[A-Za-z0-9_-]{43}$/);
      assert.equal(Buffer.from(token, 'base64url').length, 32, '256 bits');
      shareTokens.push(token);
      secrets.add(token);
      assert.ok(!JSON.stringify(sent.body).includes(token));
    }
    assert.equal(new Set(shareTokens).size, shareTokens.length);
    // Bits look random: across 20 tokens every byte position takes many values.
    const bytes = shareTokens.map((x) => Buffer.from(x, 'base64url'));
    for (let pos = 0; pos < 32; pos++) assert.ok(new Set(bytes.map((b) => b[pos])).size >= 8, `byte ${pos} varies`);

    // Use them (open, list, download) so they pass through the handlers and their logs.
    for (const token of shareTokens.slice(0, 5)) {
      assert.equal((await t.api('GET', `/share`, { share: token })).status, 200);
      const dl = await t.api('GET', `/share/files/${fileId}/download`, { share: token });
      assert.equal(dl.status, 200);
      assert.equal((await download(dl.body.url)).status, 200);
    }
    // Nor do staff views of the links show them.
    const links = await t.api('GET', `/folders/${folderId}/links`, { token: staff });
    const seen = JSON.stringify(links.body) + JSON.stringify(await allEvents(t, staff));
    for (const token of shareTokens) {
      assert.ok(!seen.includes(token), 'no token in link lists or activity');
      assert.ok(!seen.includes(sha256(token)), 'not even its hash');
    }
  });

  it(
    'invitation tokens are 256 bits and single use, also ' + 'when accepts race (re-invite: revocation.test.ts)',
    async () => {
      for (let i = 0; i < 5; i++) {
        const email = `inv-tok-${i}@example.com`;
        const created = await t.api('POST', '/webusers', {
          token: staff,
          body: { email, name: `Inv ${i}`, folderIds: [folderId] },
        });
        assert.equal(created.status, 201);
        const token = await invitationToken(t, email);
        assert.match(token, /^[A-Za-z0-9_-]{43}$/);
        assert.equal(Buffer.from(token, 'base64url').length, 32);
        inviteTokens.push(token);
        secrets.add(token);
        assert.ok(!JSON.stringify(created.body).includes(token));
      }
      assert.equal(new Set(inviteTokens).size, inviteTokens.length);

      // Two accepts at once with the same token: exactly one wins.
      const password = 'Carrera-De-Dos-9!';
      secrets.add(password);
      const raced = await Promise.all(
        [0, 1, 2].map(() => t.api('POST', '/auth/invitations/accept', { body: { token: inviteTokens[0], password } })),
      );
      assert.deepEqual(raced.map((r) => r.status).sort(), [200, 404, 404], JSON.stringify(raced.map((r) => r.body)));
      assert.equal(
        (
          await t.api('POST', '/auth/invitations/accept', {
            body: { token: inviteTokens[0], password: 'Otra-Clave-Mas-1!' },
          })
        ).status,
        404,
      );
      const signedIn = await t.signIn('inv-tok-0@example.com', password);
      secrets.add(signedIn.accessToken);
      secrets.add(signedIn.idToken);
      secrets.add(signedIn.refreshToken);
      assert.equal((await t.api('GET', '/portal/folders', { token: signedIn.accessToken })).status, 200);
    },
  );

  it('the table holds only hashes of tokens', async () => {
    const items = await scanTable();
    const text = JSON.stringify(items);
    for (const token of [...shareTokens, ...inviteTokens]) assert.ok(!text.includes(token), 'a raw token is stored');
    const linkItems = items.filter((i) => String(i.PK).startsWith('LINK#'));
    const inviteItems = items.filter((i) => String(i.PK).startsWith('INVITE#'));
    assert.ok(linkItems.length >= shareTokens.length);
    assert.ok(inviteItems.length >= inviteTokens.length);
    for (const token of shareTokens)
      assert.ok(
        linkItems.some((i) => i.PK === `LINK#${sha256(token)}`),
        'looked up by SHA-256',
      );
    for (const token of inviteTokens) assert.ok(inviteItems.some((i) => i.PK === `INVITE#${sha256(token)}`));
    for (const i of [...linkItems, ...inviteItems]) assert.ok(!('token' in i), 'no token attribute');
  });

  it('a client signs in and downloads; presigned URLs and uploads pass through the handlers', async () => {
    const c = await makeClient(t, staff, [folderId]);
    secrets.add(c.password);
    secrets.add(c.token);
    const dl = await t.api('GET', `/portal/files/${fileId}/download`, { token: c.token });
    assert.equal(dl.status, 200);
    secrets.add(new URL(dl.body.url).searchParams.get('X-Amz-Signature')!);
    await makeFile(t, staff, folderId, 'upload-logged.pdf');
    // Requests carrying tokens that fail: those go to the log path too.
    assert.equal((await t.api('GET', '/share', { share: `${shareTokens[0].slice(0, 42)}Z` })).status, 404);
    assert.equal(
      (await t.api('POST', '/auth/invitations/accept', { body: { token: inviteTokens[0], password: 'weak' } })).status,
      400,
    );
  });

  it('the handler log of this whole run contains no token, password, JWT or URL signature', async () => {
    await new Promise((r) => setTimeout(r, 100));
    assert.ok(secrets.size > 30);
    assertLogsClean(t, secrets);
  });
});
