/**
 * Staff accounts: admins invite staff and other admins, change roles and
 * disable accounts; a disabled staff member is refused, whatever token they hold.
 */

import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { invitationToken } from '../support/story.ts';

describe('staff accounts', () => {
  let t: TestStack;
  let admin: string;
  beforeAll(async () => {
    t = await startTestStack({ STAFF_STATUS_CACHE_SECONDS: '0' });
    admin = await t.adminToken();
  });
  afterAll(() => t?.stop());

  it('invites a staff member who sets a password and works; disabling them takes effect at once', async () => {
    const created = await t.api('POST', '/staff', {
      token: admin,
      body: { email: 'Laura@Asesoria.example', name: 'Laura', role: 'staff' },
    });
    assert.equal(created.status, 201, JSON.stringify(created.body));
    assert.equal(created.body.role, 'staff');
    assert.equal(created.body.status, 'invited');
    const list = await t.api('GET', '/staff', { token: admin });
    assert.ok(list.body.staff.some((s: any) => s.email === 'laura@asesoria.example'));
    assert.ok(list.body.staff.some((s: any) => s.email === t.stack.admin.email && s.role === 'admin'));

    const token = await invitationToken(t, 'laura@asesoria.example');
    // The client-facing route refuses a staff invitation: only the staff function sets a staff password.
    const asClient = await t.api('POST', '/auth/invitations/accept', {
      body: { token, password: 'Laura-Clave-2025!' },
    });
    assert.equal(asClient.status, 404);
    assert.deepEqual(
      (await t.api('POST', '/auth/staff-invitations/accept', { body: { token, password: 'Laura-Clave-2025!' } })).body,
      { email: 'laura@asesoria.example' },
    );
    const laura = (await t.signIn('laura@asesoria.example', 'Laura-Clave-2025!')).accessToken;
    assert.equal((await t.api('GET', '/folders/root', { token: laura })).status, 200);
    assert.equal((await t.api('GET', '/staff', { token: laura })).status, 403, 'staff are not admins');
    assert.equal((await t.api('GET', '/portal/folders', { token: laura })).status, 403);

    const disabled = await t.api('PATCH', `/staff/${created.body.id}`, { token: admin, body: { status: 'disabled' } });
    assert.equal(disabled.body.status, 'disabled');
    const refused = await t.api('GET', '/folders/root', { token: laura });
    assert.equal(refused.status, 401);
    assert.equal(refused.body.error.code, 'unauthorized');
  });

  it('makes and unmakes admins, and nobody can demote or disable themselves', async () => {
    const created = await t.api('POST', '/staff', {
      token: admin,
      body: { email: 'pedro@asesoria.example', name: 'Pedro' },
    });
    const promoted = await t.api('PATCH', `/staff/${created.body.id}`, { token: admin, body: { role: 'admin' } });
    assert.equal(promoted.body.role, 'admin');
    const self = await t.api('PATCH', `/staff/${t.stack.admin.id}`, { token: admin, body: { role: 'staff' } });
    assert.equal(self.status, 409);
    assert.equal(self.body.error.code, 'self');
    assert.equal(
      (await t.api('PATCH', `/staff/${t.stack.admin.id}`, { token: admin, body: { status: 'disabled' } })).status,
      409,
    );
    const demoted = await t.api('PATCH', `/staff/${created.body.id}`, { token: admin, body: { role: 'staff' } });
    assert.equal(demoted.body.role, 'staff');
    const dup = await t.api('POST', '/staff', {
      token: admin,
      body: { email: 'pedro@asesoria.example', name: 'Otro' },
    });
    assert.equal(dup.status, 409);
  });

  it('takes admin rights away on the next request, even with a token that still says admin', async () => {
    const other = await t.user('admin');
    assert.equal((await t.api('GET', '/settings', { token: other.token })).status, 200);
    assert.equal((await t.api('PATCH', `/staff/${other.id}`, { token: admin, body: { role: 'staff' } })).status, 200);
    assert.equal((await t.api('GET', '/settings', { token: other.token })).status, 403);
  });
});
