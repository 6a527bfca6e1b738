/**
 * Issue 8, attack case 4: revocation takes effect on the very next request.
 * Revoke a grant, disable a user, erase a user, revoke a link, trash or move a
 * folder out of reach, let a grant / link / invitation expire (the injectable
 * clock `x-carpeta-now`): every route a client could use is denied at once.
 * An already-issued presigned URL lives until its own expiry, at most 300 s
 * (docs/SECURITY.md): asserted on the URL.
 */

import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { NOT_FOUND } from '../support/security.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { invitationToken, makeClient, makeFile, makeFolder, shareToken } from '../support/story.ts';

describe('security: revocation takes effect on the next request (case 4)', () => {
  let t: TestStack;
  let staff: string;
  beforeAll(async () => {
    t = await startTestStack({ RATE_LIMIT_FAILURES: '100000' });
    staff = await t.adminToken();
  });
  afterAll(() => t?.stop());

  /** A folder with a subfolder and a file; what a client would call on it. */
  async function fixture(name: string) {
    const folder = await makeFolder(t, staff, name);
    const sub = await makeFolder(t, staff, 'sub', folder.id);
    const file = await makeFile(t, staff, sub.id, 'doc.pdf');
    const portalPaths = [
      `/portal/folders/${folder.id}`,
      `/portal/folders/${sub.id}`,
      `/portal/files/${file.id}/download`,
    ];
    return { folder, sub, file, portalPaths };
  }
  async function expectAll(
    token: string | undefined,
    paths: string[],
    status: number,
    headers?: Record<string, string>,
    share?: string,
  ) {
    for (const p of paths) {
      const res = await t.api('GET', p, { token, headers, share });
      assert.equal(res.status, status, `${p}: ${JSON.stringify(res.body)}`);
      if (status === 404) assert.deepEqual(res.body, NOT_FOUND);
    }
  }

  it('a revoked grant: the next listing and download are 404', async () => {
    const f = await fixture('Revocar permiso');
    const c = await makeClient(t, staff, [f.folder.id]);
    await expectAll(c.token, f.portalPaths, 200);
    assert.equal((await t.api('DELETE', `/folders/${f.folder.id}/grants/${c.id}`, { token: staff })).status, 204);
    await expectAll(c.token, f.portalPaths, 404);
    assert.deepEqual((await t.api('GET', '/portal/folders', { token: c.token })).body.folders, []);
    // Granting again restores it, on the next request too.
    assert.equal(
      (await t.api('PUT', `/folders/${f.folder.id}/grants/${c.id}`, { token: staff, body: {} })).status,
      200,
    );
    await expectAll(c.token, f.portalPaths, 200);
  });

  it('a disabled user: the next request is denied although their token is still valid', async () => {
    const f = await fixture('Desactivar');
    const c = await makeClient(t, staff, [f.folder.id]);
    await expectAll(c.token, f.portalPaths, 200);
    assert.equal(
      (await t.api('PATCH', `/webusers/${c.id}`, { token: staff, body: { status: 'disabled' } })).status,
      200,
    );
    await expectAll(c.token, f.portalPaths, 404);
    assert.deepEqual((await t.api('GET', '/portal/folders', { token: c.token })).body, NOT_FOUND);
    assert.equal((await t.api('GET', '/portal/me', { token: c.token })).status, 401);
    assert.equal((await t.api('PATCH', `/webusers/${c.id}`, { token: staff, body: { status: 'active' } })).status, 200);
    await expectAll(c.token, f.portalPaths, 200);
  });

  it('an erased user: their token opens nothing', async () => {
    const f = await fixture('Borrar usuario');
    const c = await makeClient(t, staff, [f.folder.id]);
    await expectAll(c.token, f.portalPaths, 200);
    assert.equal((await t.api('DELETE', `/webusers/${c.id}`, { token: staff })).status, 204);
    await expectAll(c.token, f.portalPaths, 404);
  });

  it('a trashed folder, or one moved out of the granted subtree, is out of reach at once', async () => {
    const f = await fixture('Papelera');
    const elsewhere = await makeFolder(t, staff, 'Fuera');
    const c = await makeClient(t, staff, [f.folder.id]);
    await expectAll(c.token, f.portalPaths, 200);
    assert.equal((await t.api('DELETE', `/folders/${f.sub.id}`, { token: staff })).status, 204);
    await expectAll(c.token, f.portalPaths.slice(1), 404);
    const restored = await t.api('POST', `/trash/${f.sub.id}/restore`, { token: staff, body: {} });
    assert.equal(restored.status, 200, JSON.stringify(restored.body));
    await expectAll(c.token, f.portalPaths, 200);
    const moved = await t.api('PATCH', `/folders/${f.sub.id}`, {
      token: staff,
      body: { parentId: elsewhere.id, version: restored.body.version },
    });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    await expectAll(c.token, f.portalPaths.slice(1), 404);
  });

  it('a grant past its expiry (injectable clock) is 404; before it, 200', async () => {
    const f = await fixture('Caduca permiso');
    const c = await makeClient(t, staff, []);
    const expiresAt = new Date(Date.now() + 86400_000);
    assert.equal(
      (
        await t.api('PUT', `/folders/${f.folder.id}/grants/${c.id}`, {
          token: staff,
          body: { expiresAt: expiresAt.toISOString() },
        })
      ).status,
      200,
    );
    await expectAll(c.token, f.portalPaths, 200, {
      'x-carpeta-now': new Date(expiresAt.getTime() - 1000).toISOString(),
    });
    await expectAll(c.token, f.portalPaths, 404, {
      'x-carpeta-now': new Date(expiresAt.getTime() + 1000).toISOString(),
    });
    await expectAll(c.token, f.portalPaths, 404, { 'x-carpeta-now': expiresAt.toISOString() });
  });

  it('a revoked link and an expired link: every share route is 404 on the next request', async () => {
    const f = await fixture('Enlaces');
    const expiresAt = new Date(Date.now() + 3 * 86400_000);
    const sent = await t.api('POST', `/folders/${f.folder.id}/send`, {
      token: staff,
      body: { email: 'rev-holder@example.com', expiresAt: expiresAt.toISOString() },
    });
    assert.equal(sent.status, 201);
    const token = await shareToken(t, 'rev-holder@example.com');
    const paths = ['/share', `/share/folders/${f.sub.id}`, `/share/files/${f.file.id}/download`];
    const at = (ms: number) => ({ 'x-carpeta-now': new Date(expiresAt.getTime() + ms).toISOString() });
    await expectAll(undefined, paths, 200, undefined, token);
    await expectAll(undefined, paths, 200, at(-1000), token);
    await expectAll(undefined, paths, 404, at(1000), token);
    assert.equal((await t.api('DELETE', `/links/${sent.body.link.id}`, { token: staff })).status, 204);
    await expectAll(undefined, paths, 404, undefined, token);
    // Revoking twice is harmless; the link stays dead.
    assert.equal((await t.api('DELETE', `/links/${sent.body.link.id}`, { token: staff })).status, 204);
    await expectAll(undefined, paths, 404, undefined, token);
  });

  it('an invitation past its 7 days, or replaced by a new one, no longer sets a password', async () => {
    const email = `inv-exp-${Date.now()}@example.com`;
    assert.equal((await t.api('POST', '/webusers', { token: staff, body: { email, name: 'Caduca' } })).status, 201);
    const first = await invitationToken(t, email);
    const password = 'Una-Clave-Segura-1!';
    const late = new Date(Date.now() + 7 * 86400_000 + 60_000).toISOString();
    const res = await t.api('POST', '/auth/invitations/accept', {
      body: { token: first, password },
      headers: { 'x-carpeta-now': late },
    });
    assert.equal(res.status, 404);
    assert.deepEqual(res.body, NOT_FOUND);
    // A fresh invitation: the old token stops working, the new one works once.
    const users = await t.api('GET', `/webusers?q=${encodeURIComponent(email)}`, { token: staff });
    const id = users.body.users.find((u: any) => u.email === email).id;
    assert.equal((await t.api('POST', `/webusers/${id}/invite`, { token: staff, body: {} })).status, 204);
    const second = await invitationToken(t, email);
    assert.notEqual(second, first);
    assert.equal((await t.api('POST', '/auth/invitations/accept', { body: { token: first, password } })).status, 404);
    assert.equal((await t.api('POST', '/auth/invitations/accept', { body: { token: second, password } })).status, 200);
    assert.equal((await t.api('POST', '/auth/invitations/accept', { body: { token: second, password } })).status, 404);
  });

  it('an issued download URL is short-lived: at most 300 s (it lives until then; documented)', async () => {
    const f = await fixture('URL');
    const c = await makeClient(t, staff, [f.folder.id]);
    const before = Date.now();
    const res = await t.api('GET', `/portal/files/${f.file.id}/download`, { token: c.token });
    assert.equal(res.status, 200);
    const url = new URL(res.body.url);
    const seconds = Number(url.searchParams.get('X-Amz-Expires'));
    assert.ok(seconds > 0 && seconds <= 300, `X-Amz-Expires=${seconds}`);
    assert.ok(Date.parse(res.body.expiresAt) <= before + 300_000 + 2000, 'expiresAt within 300 s');
  });
});
