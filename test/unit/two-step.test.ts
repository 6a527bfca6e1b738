/**
 * Issue 14, finding 2, the rules: turning on two-step verification needs a code mailed to the account,
 * ends every session of the account, and admin routes accept only sessions that began after it. In-memory
 * fakes of the ports; test/integration/admin-mfa.test.ts runs the same against the local stack's Cognito.
 */

import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { staffGuard } from '../../functions/app/staff-gate.ts';
import { confirmAuthenticator, mailTwoStepCode, startAuthenticator } from '../../functions/app/two-step.ts';
import { checkTwoStepCode, sessionPassesTwoStep, TWO_STEP_CODE } from '../../functions/domain/two-step.ts';
import { hashToken } from '../../functions/lib/ids.ts';
import { fakeWorld, webuser } from '../support/fakes.ts';

function adminWorld() {
  const w = fakeWorld();
  const admin = webuser('ana', { kind: 'staff', role: 'admin', email: 'ana@gestoria.example', language: 'en' });
  w.users.profiles.set(admin.id, admin);
  const session = { sub: admin.id, username: admin.email, accessToken: `token-of-${admin.email}` };
  const ctx = { ...w.ctx, actor: { kind: 'staff' as const, id: admin.id } };
  const mailedCode = () => /\b(\d{6})\b/.exec(w.mailer.sent.at(-1)!.mail.text)![1];
  return { ...w, admin, session, ctx, mailedCode };
}

const rejectsWith = (p: Promise<unknown>, props: Record<string, unknown>) =>
  assert.rejects(p, (e: any) => Object.entries(props).every(([k, v]) => e[k] === v));

describe('two-step verification: the rules', () => {
  it('a mailed code is good once it matches, until it expires or five wrong ones were tried', () => {
    const now = new Date('2026-06-01T10:00:00Z');
    const code = {
      userId: 'u',
      codeHash: hashToken('123456'),
      sentAt: now.toISOString(),
      expiresAt: new Date(now.getTime() + 60_000).toISOString(),
      attempts: 0,
    };
    assert.equal(checkTwoStepCode(code, hashToken('123456'), now), 'ok');
    assert.equal(checkTwoStepCode(code, hashToken('654321'), now), 'wrong');
    assert.equal(
      checkTwoStepCode({ ...code, attempts: TWO_STEP_CODE.attempts }, hashToken('123456'), now),
      'exhausted',
    );
    assert.equal(checkTwoStepCode(code, hashToken('123456'), new Date(now.getTime() + 60_000)), 'expired');
    assert.equal(checkTwoStepCode(undefined, hashToken('123456'), now), 'none');
  });

  it('a session passes only if it began no earlier than the second two-step verification was turned on', () => {
    const since = '2026-06-01T10:00:00.700Z';
    const second = Date.parse('2026-06-01T10:00:00Z') / 1000;
    assert.equal(sessionPassesTwoStep(String(second - 1), since), false, 'a session from before');
    assert.equal(sessionPassesTwoStep(String(second), since), true);
    assert.equal(sessionPassesTwoStep(String(second + 3600), since), true);
    assert.equal(sessionPassesTwoStep(String(second + 3600), undefined), false, 'never turned on through the mail');
    assert.equal(sessionPassesTwoStep(undefined, since), false, 'a token without auth_time');
  });
});

describe('two-step verification: the flow', () => {
  it('mails a 6-digit code to the account, in its language; a second one within 30 s is 429', async () => {
    const w = adminWorld();
    await mailTwoStepCode(w.deps, w.session, w.ctx);
    const last = w.mailer.sent.at(-1)!;
    assert.equal(last.to, 'ana@gestoria.example');
    assert.match(last.mail.subject, /^\d{6} is your two-step verification code$/);
    assert.ok(!w.twoStep.codes.get(w.admin.id)!.codeHash.includes(w.mailedCode()), 'only the hash is stored');
    await rejectsWith(mailTwoStepCode(w.deps, w.session, w.ctx), { status: 429 });
    assert.equal(w.mailer.sent.length, 1);
  });

  it('when the mail fails, no code is left behind: the retry sends one at once', async () => {
    const w = adminWorld();
    w.mailer.state.fail = true;
    await rejectsWith(mailTwoStepCode(w.deps, w.session, w.ctx), { status: 502 });
    assert.equal(w.twoStep.codes.size, 0);
    w.mailer.state.fail = false;
    await mailTwoStepCode(w.deps, w.session, w.ctx);
    assert.equal(w.mailer.sent.length, 1);
  });

  it('a web user has no such thing: 404', async () => {
    const w = adminWorld();
    const client = webuser('maria');
    w.users.profiles.set(client.id, client);
    await rejectsWith(mailTwoStepCode(w.deps, { ...w.session, sub: client.id }, w.ctx), { status: 404 });
  });

  it('the authenticator secret needs the mailed code; five wrong codes spend it', async () => {
    const w = adminWorld();
    await rejectsWith(startAuthenticator(w.deps, w.session, '000000', w.ctx), { rule: 'code_expired' });
    await mailTwoStepCode(w.deps, w.session, w.ctx);
    const code = w.mailedCode();
    const wrong = code === '111111' ? '222222' : '111111';
    for (let i = 0; i < TWO_STEP_CODE.attempts; i++)
      await rejectsWith(startAuthenticator(w.deps, w.session, wrong, w.ctx), {
        status: 400,
        field: 'emailCode',
        rule: 'code_wrong',
      });
    await rejectsWith(startAuthenticator(w.deps, w.session, code, w.ctx), { rule: 'code_exhausted' });
    assert.ok(!w.journal.includes('identity.associateTotp'), 'no secret was handed out');
  });

  it('confirming: a wrong app code changes nothing; the right one signs out everywhere, then records it', async () => {
    const w = adminWorld();
    await mailTwoStepCode(w.deps, w.session, w.ctx);
    const emailCode = w.mailedCode();
    const { secret } = await startAuthenticator(w.deps, w.session, emailCode, w.ctx);
    assert.match(secret, /^SECRET/);
    await rejectsWith(confirmAuthenticator(w.deps, w.session, { emailCode, code: '999999', deviceName: 'x' }, w.ctx), {
      field: 'code',
      rule: 'code_wrong',
    });
    assert.equal(w.users.profiles.get(w.admin.id)!.twoStepSince, undefined);

    const done = await confirmAuthenticator(
      w.deps,
      w.session,
      { emailCode, code: w.identity.state.appCode, deviceName: 'Pixel' },
      w.ctx,
    );
    assert.deepEqual(done, { signedOut: true });
    assert.equal(w.users.profiles.get(w.admin.id)!.twoStepSince, w.now.toISOString());
    const signOut = w.journal.indexOf(`identity.signOutEverywhere ${w.admin.email}`);
    assert.ok(signOut >= 0 && signOut < w.journal.indexOf(`twoStep.completeTwoStep ${w.admin.id}`));
    assert.ok(w.activity.events.some((e) => e.type === 'two_step.enabled' && e.target?.id === w.admin.id));
    // The code is spent.
    await rejectsWith(
      confirmAuthenticator(w.deps, w.session, { emailCode, code: w.identity.state.appCode, deviceName: 'x' }, w.ctx),
      { rule: 'code_expired' },
    );
  });
});

describe('admin routes: two-step verification per session', () => {
  const caller = (w: ReturnType<typeof adminWorld>, authTime: Date, token = w.session.accessToken) => {
    const c = {
      sub: w.admin.id,
      username: w.admin.email,
      groups: ['staff', 'admin'],
      clientId: 'c',
      authTime: String(Math.floor(authTime.getTime() / 1000)),
    };
    return Object.defineProperty(c, 'accessToken', { value: token, enumerable: false });
  };

  it(
    'refuses an admin who never confirmed an authenticator ' + 'through the mail, even with TOTP on in Cognito',
    async () => {
      const w = adminWorld();
      w.identity.state.totp.add(w.session.accessToken);
      await rejectsWith(staffGuard(w.deps, 'admin', caller(w, w.now)), { code: 'mfa_required' });
      // Staff routes do not ask for it.
      await staffGuard(w.deps, 'staff', caller(w, w.now));
    },
  );

  it('refuses a session that began before; a signed-out session is 401; a session from after passes', async () => {
    const w = adminWorld();
    w.users.profiles.get(w.admin.id)!.twoStepSince = w.now.toISOString();
    const before = new Date(w.now.getTime() - 60_000);
    const after = new Date(w.now.getTime() + 60_000);
    w.identity.state.totp.add('fresh');
    w.identity.state.totp.add(w.session.accessToken);
    await rejectsWith(staffGuard(w.deps, 'admin', caller(w, before, 'fresh')), { code: 'mfa_sign_in_again' });
    w.identity.state.revoked.add(w.session.accessToken);
    await rejectsWith(staffGuard(w.deps, 'admin', caller(w, after)), { status: 401 });
    await staffGuard(w.deps, 'admin', caller(w, after, 'fresh'));
    // The token never shows in what a log line would print of the caller.
    assert.ok(!JSON.stringify(caller(w, after, 'fresh')).includes('fresh'));
  });
});
