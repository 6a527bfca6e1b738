/**
 * The whole story from the clients issue, through HTTP against the local
 * stack: staff share a folder with a web user and by email; the client and the
 * link holder download identical bytes; revocations take effect at once; every
 * step left its activity event.
 */

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { invitationToken, makeFile, makeFolder, shareToken } from '../support/story.ts';
import { download } from '../support/upload.ts';

describe('clients: the whole story', () => {
  let t: TestStack;
  let staff: string;
  beforeAll(async () => {
    t = await startTestStack();
    staff = await t.adminToken();
  });
  afterAll(() => t?.stop());

  it('shares with a web user and by email, and takes access away again', async () => {
    // Staff create a client folder and upload.
    const folder = await makeFolder(t, staff, 'García López, S.L.');
    const sub = await makeFolder(t, staff, '2025', folder.id);
    const bytes = randomBytes(50_000);
    const file = await makeFile(t, staff, sub.id, 'Modelo 303 — 3T.pdf', bytes);

    // A web user is created; the invitation arrives.
    const email = 'maria.garcia@example.com';
    const created = await t.api('POST', '/webusers', {
      token: staff,
      body: { email, name: 'María García', language: 'es', folderIds: [folder.id] },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.deepEqual(
      Object.keys(created.body).sort(),
      ['createdAt', 'email', 'grantCount', 'id', 'language', 'lastSeenAt', 'name', 'status'].sort(),
    );
    assert.equal(created.body.status, 'invited');
    const mail = (await t.mail()).find((m) => m.to.includes(email))!;
    assert.match(mail.subject, /acceso/);
    assert.match(mail.html, /María García/);
    const dup = await t.api('POST', '/webusers', {
      token: staff,
      body: { email: 'MARIA.GARCIA@example.com', name: 'Otra' },
    });
    assert.equal(dup.status, 409);

    // The client sets a password (weak ones are refused with the policy), signs in, lists, downloads.
    const invite = await invitationToken(t, email);
    const weak = await t.api('POST', '/auth/invitations/accept', { body: { token: invite, password: 'corta' } });
    assert.equal(weak.status, 400);
    assert.equal(weak.body.error.field, 'password');
    assert.match(weak.body.error.message, /12 characters/);
    const password = 'Contraseña-Segura-2025!';
    assert.equal((await t.api('POST', '/auth/invitations/accept', { body: { token: invite, password } })).status, 200);
    assert.equal(
      (await t.api('POST', '/auth/invitations/accept', { body: { token: invite, password } })).status,
      404,
      'single use',
    );
    const client = (await t.signIn(email, password)).accessToken;

    const me = await t.api('GET', '/portal/me', { token: client });
    assert.equal(me.status, 200);
    assert.equal(me.body.user.email, email);
    assert.equal(typeof me.body.company.name, 'string');
    const tops = await t.api('GET', '/portal/folders', { token: client });
    assert.deepEqual(
      tops.body.folders.map((f: any) => f.name),
      ['García López, S.L.'],
    );
    const inFolder = await t.api('GET', `/portal/folders/${folder.id}`, { token: client });
    assert.deepEqual(
      inFolder.body.folders.map((f: any) => f.name),
      ['2025'],
    );
    const inSub = await t.api('GET', `/portal/folders/${sub.id}`, { token: client });
    assert.deepEqual(
      inSub.body.path.map((p: any) => p.name),
      ['García López, S.L.', '2025'],
      'never shows folders above the grant',
    );
    assert.deepEqual(
      inSub.body.files.map((f: any) => f.name),
      ['Modelo 303 — 3T.pdf'],
    );
    const dl = await t.api('GET', `/portal/files/${file.id}/download`, { token: client });
    assert.equal(dl.status, 200);
    assert.ok((await download(dl.body.url)).bytes.equals(bytes));

    // The grant is revoked: the next download request is 404.
    assert.equal(
      (await t.api('DELETE', `/folders/${folder.id}/grants/${created.body.id}`, { token: staff })).status,
      204,
    );
    const after = await t.api('GET', `/portal/files/${file.id}/download`, { token: client });
    assert.equal(after.status, 404);
    assert.deepEqual(after.body, { error: { code: 'not_found', message: 'Not found.' } });
    assert.deepEqual((await t.api('GET', '/portal/folders', { token: client })).body.folders, []);

    // "Send by email": the link opens the folder and downloads; revoked, it is 404 from then on.
    const send = await t.api('POST', `/folders/${folder.id}/send`, {
      token: staff,
      body: { email: 'asesor@example.com', name: 'Juan', message: 'Aquí tiene <b>sus</b> documentos.', language: 'es' },
    });
    assert.equal(send.status, 201, JSON.stringify(send.body));
    assert.equal(send.body.link.folderId, folder.id);
    assert.ok(!JSON.stringify(send.body).includes('/s#'), 'the token is only ever emailed');
    const linkMail = (await t.mail()).find((m) => m.to.includes('asesor@example.com'))!;
    assert.match(linkMail.html, /Aquí tiene &lt;b&gt;sus&lt;\/b&gt; documentos\./);
    assert.ok(!linkMail.html.includes('<b>sus</b>'));
    const token = await shareToken(t, 'asesor@example.com');
    const opened = await t.api('GET', `/share`, { share: token });
    assert.equal(opened.status, 200);
    assert.equal(opened.body.folder.name, 'García López, S.L.');
    assert.ok(opened.body.expiresAt);
    assert.ok(opened.body.company.name);
    const subOpen = await t.api('GET', `/share/folders/${sub.id}`, { share: token });
    assert.deepEqual(
      subOpen.body.files.map((f: any) => f.name),
      ['Modelo 303 — 3T.pdf'],
    );
    const linkDl = await t.api('GET', `/share/files/${file.id}/download`, { share: token });
    assert.ok((await download(linkDl.body.url)).bytes.equals(bytes));
    const links = await t.api('GET', `/folders/${folder.id}/links`, { token: staff });
    assert.equal(links.body.links[0].status, 'active');
    assert.equal((await t.api('DELETE', `/links/${send.body.link.id}`, { token: staff })).status, 204);
    assert.equal((await t.api('GET', `/share`, { share: token })).status, 404);
    assert.equal((await t.api('GET', `/share/files/${file.id}/download`, { share: token })).status, 404);
    assert.equal((await t.api('GET', `/folders/${folder.id}/links`, { token: staff })).body.links[0].status, 'revoked');

    // Every step left its event.
    const events: any[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 5; i++) {
      const page = await t.api('GET', `/activity?limit=200${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`, {
        token: staff,
      });
      assert.equal(page.status, 200);
      events.push(...page.body.events);
      cursor = page.body.nextCursor;
      if (!cursor) break;
    }
    const types = new Set(events.map((e) => e.type));
    for (const type of [
      'user.created',
      'invitation.sent',
      'invitation.accepted',
      'grant.added',
      'signin',
      'folder.listed',
      'download',
      'grant.removed',
      'access.denied',
      'link.sent',
      'link.opened',
      'link.revoked',
    ]) {
      assert.ok(types.has(type), `missing ${type} event`);
    }
    const clientDownload = events.find((e) => e.type === 'download' && e.actor.kind === 'webuser');
    assert.equal(clientDownload.actor.email, email);
    assert.equal(clientDownload.target.id, file.id);
    assert.deepEqual(clientDownload.target.path, ['García López, S.L.', '2025']);
    assert.ok(clientDownload.ip);
    assert.ok(clientDownload.userAgent !== undefined);
    const byActor = await t.api('GET', `/activity?actorId=${created.body.id}`, { token: staff });
    assert.ok(byActor.body.events.every((e: any) => e.actor.id === created.body.id));
    assert.ok(byActor.body.events.length >= 4);
    // Newest first.
    const ids = byActor.body.events.map((e: any) => e.id);
    assert.deepEqual(ids, [...ids].sort().reverse());
  });

  it('manages web users: list, search, detail, disable, re-invite, erase', async () => {
    const folder = await makeFolder(t, staff, 'Seguros Ruiz');
    const a = await t.api('POST', '/webusers', {
      token: staff,
      body: { email: 'ana.ruiz@example.com', name: 'Ana Ruiz', language: 'en', folderIds: [folder.id] },
    });
    const b = await t.api('POST', '/webusers', {
      token: staff,
      body: { email: 'beto@example.com', name: 'Beto', folderIds: [] },
    });
    assert.equal(a.status, 201);
    assert.equal(b.status, 201);
    const enMail = (await t.mail()).find((m) => m.to.includes('ana.ruiz@example.com'))!;
    assert.match(enMail.subject, /access/);

    const list = await t.api('GET', '/webusers?q=ruiz', { token: staff });
    assert.deepEqual(
      list.body.users.map((u: any) => u.email),
      ['ana.ruiz@example.com'],
    );
    assert.equal(list.body.users[0].grantCount, 1);
    assert.ok('lastSeenAt' in list.body.users[0]);
    const detail = await t.api('GET', `/webusers/${a.body.id}`, { token: staff });
    assert.equal(detail.status, 200);
    assert.deepEqual(
      detail.body.grants.map((g: any) => [g.folderId, g.path]),
      [[folder.id, ['Seguros Ruiz']]],
    );

    // The first invitation works only until a fresh one is sent.
    const first = await invitationToken(t, 'ana.ruiz@example.com');
    assert.equal((await t.api('POST', `/webusers/${a.body.id}/invite`, { token: staff })).status, 204);
    const second = await invitationToken(t, 'ana.ruiz@example.com');
    assert.notEqual(first, second);
    assert.equal(
      (await t.api('POST', '/auth/invitations/accept', { body: { token: first, password: 'Primera-Clave-2025!' } }))
        .status,
      404,
    );
    assert.equal(
      (await t.api('POST', '/auth/invitations/accept', { body: { token: second, password: 'Segunda-Clave-2025!' } }))
        .status,
      200,
    );
    const token = (await t.signIn('ana.ruiz@example.com', 'Segunda-Clave-2025!')).accessToken;
    assert.equal((await t.api('GET', `/portal/folders/${folder.id}`, { token })).status, 200);

    // Disabled: the very next request is refused, whatever token they hold.
    const disabled = await t.api('PATCH', `/webusers/${a.body.id}`, { token: staff, body: { status: 'disabled' } });
    assert.equal(disabled.body.status, 'disabled');
    assert.equal((await t.api('GET', `/portal/folders/${folder.id}`, { token })).status, 404);
    assert.equal((await t.api('GET', '/portal/me', { token })).status, 401);
    await t.api('PATCH', `/webusers/${a.body.id}`, { token: staff, body: { status: 'active' } });
    assert.equal((await t.api('GET', `/portal/folders/${folder.id}`, { token })).status, 200);

    // Erased: gone from Cognito and the table; events stay, pseudonymised.
    assert.equal((await t.api('DELETE', `/webusers/${a.body.id}`, { token: staff })).status, 204);
    assert.equal((await t.api('GET', `/webusers/${a.body.id}`, { token: staff })).status, 404);
    await assert.rejects(t.signIn('ana.ruiz@example.com', 'Segunda-Clave-2025!'));
    const events = await t.api('GET', `/activity?actorId=${a.body.id}`, { token: staff });
    assert.ok(events.body.events.length > 0);
    const text = JSON.stringify(events.body.events);
    assert.ok(!text.includes('ana.ruiz@example.com'), 'email replaced by a pseudonym');
    assert.ok(!text.includes('Ana Ruiz'));
    assert.match(text, /erased-/);
  });

  it('grants with expiry: reachable until it passes, then 404', async () => {
    const folder = await makeFolder(t, staff, 'Temporal');
    const res = await t.api('POST', '/webusers', {
      token: staff,
      body: { email: 'temporal@example.com', name: 'Temporal' },
    });
    const expiresAt = new Date(Date.now() + 3600_000).toISOString();
    const grant = await t.api('PUT', `/folders/${folder.id}/grants/${res.body.id}`, {
      token: staff,
      body: { expiresAt, notify: true },
    });
    assert.equal(grant.status, 200, JSON.stringify(grant.body));
    assert.equal(grant.body.grant.expiresAt, expiresAt);
    assert.equal(
      (await t.api('PUT', `/folders/${folder.id}/grants/${res.body.id}`, { token: staff, body: { expiresAt } })).status,
      200,
      'idempotent',
    );
    assert.ok((await t.mail()).some((m) => m.to.includes('temporal@example.com') && /Temporal/.test(m.subject)));
    const past = await t.api('PUT', `/folders/${folder.id}/grants/${res.body.id}`, {
      token: staff,
      body: { expiresAt: '2020-01-01T00:00:00Z' },
    });
    assert.equal(past.status, 400);
    await t.api('POST', '/auth/invitations/accept', {
      body: { token: await invitationToken(t, 'temporal@example.com'), password: 'Temporal-Clave-2025!' },
    });
    const token = (await t.signIn('temporal@example.com', 'Temporal-Clave-2025!')).accessToken;
    assert.equal((await t.api('GET', `/portal/folders/${folder.id}`, { token })).status, 200);
    const later = new Date(Date.now() + 2 * 3600_000).toISOString();
    assert.equal(
      (await t.api('GET', `/portal/folders/${folder.id}`, { token, headers: { 'x-carpeta-now': later } })).status,
      404,
    );
  });
});
