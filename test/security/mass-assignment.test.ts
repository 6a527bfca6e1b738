/**
 * Issue 8, attack case 5: mass assignment. Every route that takes a body is
 * sent a valid body plus a field it does not declare (`ownerId`, `ancestors`,
 * `kind`, `groups`, another folder's id, key attributes, `__proto__`...): the
 * answer is 400 naming that field, and nothing changed. Routes added later
 * are probed too: if they read a body at all, an undeclared field must be refused.
 */

import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { routeKey, routes } from '../../functions/routes.ts';
import { assertErrorShape, fill, hasBody } from '../support/security.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { makeClient, makeFile, makeFolder } from '../support/story.ts';

interface Valid {
  params: Record<string, string>;
  body: Record<string, unknown>;
  /** The fields the route declares (so they are not sent as "extra"). */
  fields: string[];
}

describe('security: mass assignment (case 5)', () => {
  let t: TestStack;
  let staff: string;
  let valid: Record<string, Valid>;
  const ids = {} as Record<'F' | 'other' | 'X' | 'Xv' | 'T' | 'U', string>;
  let versions = {} as Record<'F' | 'X', number>;

  beforeAll(async () => {
    t = await startTestStack({ RATE_LIMIT_FAILURES: '100000' });
    staff = await t.adminToken();
    const F = await makeFolder(t, staff, 'Masa');
    const other = await makeFolder(t, staff, 'Otra');
    const X = await makeFile(t, staff, F.id, 'x.pdf');
    const T = await makeFolder(t, staff, 'Papelera', F.id);
    assert.equal((await t.api('DELETE', `/folders/${T.id}`, { token: staff })).status, 204);
    const U = await makeClient(t, staff, [F.id]);
    Object.assign(ids, { F: F.id, other: other.id, X: X.id, Xv: X.versionId, T: T.id, U: U.id });
    versions = { F: F.version, X: 1 };
    valid = {
      'POST /folders': { params: {}, body: { parentId: ids.F, name: 'nueva' }, fields: ['parentId', 'name'] },
      'PATCH /folders/{id}': {
        params: { id: ids.F },
        body: { name: 'Masa', version: versions.F },
        fields: ['name', 'parentId', 'version', 'receiptsToUploader', 'taxId', 'clientCode', 'requiresAcknowledgement'],
      },
      'POST /folders/{id}/path': { params: { id: ids.F }, body: { path: 'Masa/2026' }, fields: ['path'] },
      'POST /routing/plan': { params: {}, body: { names: ['12345678Z.pdf'] }, fields: ['names', 'subPath'] },
      'POST /folders/{id}/files': {
        params: { id: ids.F },
        body: { name: 'n.pdf', size: 10, contentType: 'application/pdf' },
        fields: ['name', 'size', 'contentType'],
      },
      'POST /files/{id}/versions': {
        params: { id: ids.X },
        body: { size: 10, contentType: 'application/pdf' },
        fields: ['size', 'contentType'],
      },
      'POST /files/{id}/versions/{versionId}/complete': {
        params: { id: ids.X, versionId: ids.Xv },
        body: {},
        fields: ['parts'],
      },
      'PATCH /files/{id}': {
        params: { id: ids.X },
        body: { name: 'x.pdf', version: versions.X },
        fields: ['name', 'folderId', 'version', 'requiresAcknowledgement'],
      },
      'POST /trash/{id}/restore': { params: { id: ids.T }, body: {}, fields: ['name'] },
      'POST /webusers': {
        params: {},
        body: { email: 'mass@example.com', name: 'Masa' },
        fields: ['email', 'name', 'language', 'folderIds'],
      },
      'PATCH /webusers/{id}': {
        params: { id: ids.U },
        body: { name: 'Cliente' },
        fields: ['name', 'language', 'status'],
      },
      'PUT /folders/{id}/grants/{userId}': {
        params: { id: ids.F, userId: ids.U },
        body: {},
        fields: ['expiresAt', 'notify'],
      },
      'POST /folders/{id}/send': {
        params: { id: ids.F },
        body: { email: 'mass-link@example.com' },
        fields: ['email', 'name', 'message', 'expiresAt', 'language', 'password', 'maxDownloads', 'notifyOnOpen'],
      },
      'POST /auth/invitations/accept': {
        params: {},
        body: { token: 'x'.repeat(43), password: 'Abcdefgh-123!' },
        fields: ['token', 'password'],
      },
    };
  });
  afterAll(() => t?.stop());

  const extras = (): Array<[string, unknown]> => [
    ['ownerId', 'someone-else'],
    ['ancestors', ['root', ids.other]],
    ['kind', 'staff'],
    ['groups', ['admin', 'staff']],
    ['id', ids.other],
    ['folderId', ids.other],
    ['userId', 'someone-else'],
    ['createdBy', 'someone-else'],
    ['grantCount', 1000],
    ['currentVersionId', ids.Xv],
    ['PK', `FOLDER#${ids.other}`],
    ['GSI1PK', `CHILD#${ids.other}`],
    ['tokenHash', '0'.repeat(64)],
    ['isAdmin', true],
    ['__proto__', { isAdmin: true, kind: 'staff' }],
    ['constructor', { prototype: { isAdmin: true } }],
  ];

  it('every declared body route refuses each undeclared field with 400 naming it', async () => {
    const bodyRoutes = routes.filter((r) => hasBody(r.method) && valid[routeKey(r)]);
    assert.ok(bodyRoutes.length >= 10);
    for (const r of bodyRoutes) {
      const v = valid[routeKey(r)];
      for (const [field, value] of extras()) {
        if (v.fields.includes(field)) continue;
        // JSON text, so "__proto__" arrives as an own key exactly as an attacker would send it.
        const rawBody = JSON.stringify(v.body).replace(
          /}$/,
          `${Object.keys(v.body).length ? ',' : ''}${JSON.stringify(field)}:${JSON.stringify(value)}}`,
        );
        const res = await t.api(r.method, fill(r, v.params), {
          token: r.audience === 'public' ? undefined : staff,
          rawBody,
          headers: { 'content-type': 'application/json' },
        });
        assert.equal(res.status, 400, `${r.method} ${r.path} + ${field}: ${res.status} ${JSON.stringify(res.body)}`);
        assertErrorShape(res.status, res.body, r.path);
        assert.equal(res.body.error.field, field, `${r.method} ${r.path}: names ${field}`);
        assert.ok(res.body.error.message.includes(field), `${r.method} ${r.path}: message names ${field}`);
      }
    }
  });

  it('a route added later is probed: if it reads a body, an undeclared field is refused', async () => {
    for (const r of routes.filter((r) => hasBody(r.method) && !valid[routeKey(r)])) {
      const params = { id: ids.F, userId: ids.U, versionId: ids.Xv, token: 'x'.repeat(43) };
      const token =
        r.audience === 'public' || r.audience === 'link' ? undefined : r.audience === 'webuser' ? undefined : staff;
      if (r.audience === 'webuser') continue; // clients have no writing routes; see vertical.test.ts
      const probe = await t.api(r.method, fill(r, params), {
        token,
        rawBody: '{',
        headers: { 'content-type': 'application/json' },
      });
      const readsBody = probe.status === 400 && probe.body?.error?.field === 'body';
      if (!readsBody) continue; // the body is ignored: allowed ("refused with 400 or ignored")
      const res = await t.api(r.method, fill(r, params), { token, body: { ownerId: 'x' } });
      assert.equal(res.status, 400, `${r.method} ${r.path} accepted an undeclared field`);
    }
  });

  it('nothing the attempts named changed', async () => {
    const folder = await t.api('GET', `/folders/${ids.F}`, { token: staff });
    assert.equal(folder.status, 200);
    assert.equal(folder.body.folder.version, versions.F, 'the folder was not updated');
    assert.deepEqual(
      folder.body.path.map((p: any) => p.id),
      ['root', ids.F],
      'still at the top level',
    );
    const file = await t.api('GET', `/files/${ids.X}`, { token: staff });
    assert.equal(file.body.file.folderId, ids.F);
    assert.equal(file.body.file.version, versions.X);
    const otherFolder = await t.api('GET', `/folders/${ids.other}`, { token: staff });
    assert.deepEqual(otherFolder.body.folders, [], 'nothing was created in the other folder');
    assert.deepEqual(otherFolder.body.files, []);
    const user = await t.api('GET', `/webusers/${ids.U}`, { token: staff });
    assert.equal(user.body.user.grantCount, 1);
    const list = await t.api('GET', '/webusers', { token: staff });
    assert.ok(!list.body.users.some((u: any) => u.email === 'mass@example.com'), 'no web user was created');
    assert.ok(!(await t.mail()).some((m) => m.to.includes('mass-link@example.com')), 'no link was sent');
    // And Object.prototype of the handler process was not polluted.
    assert.equal(({} as any).isAdmin, undefined);
  });

  it('the well-formed bodies themselves are accepted (the 400s were about the extra field)', async () => {
    const r = await t.api('POST', '/folders', { token: staff, body: valid['POST /folders'].body });
    assert.equal(r.status, 201, JSON.stringify(r.body));
    const g = await t.api('PUT', `/folders/${ids.F}/grants/${ids.U}`, { token: staff, body: {} });
    assert.equal(g.status, 200, JSON.stringify(g.body));
  });
});
