/**
 * The rules of functions/app/ with in-memory fakes of the ports (test/support/fakes.ts): no
 * emulator, milliseconds each. The integration suites run the same use cases against the local
 * stack; these pin the decisions and the order of steps.
 */

import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { createFolder, staffDownload } from '../../functions/app/documents.ts';
import { accessReport } from '../../functions/app/oversight.ts';
import { portalDownload, portalFolder } from '../../functions/app/portal.ts';
import { shareDownload } from '../../functions/app/share.ts';
import { sendFolder } from '../../functions/app/sharing.ts';
import { createWebuser } from '../../functions/app/webusers.ts';
import { claimIsAbandoned, ORPHAN_CLAIM_MS } from '../../functions/domain/names.ts';
import { grantAccessStatus, linkAccessStatus } from '../../functions/domain/reports.ts';
import { linkExpiry, linkStatus, MAX_LINK_DAYS, requestedExpiry } from '../../functions/domain/sharing.ts';
import { NotFound } from '../../functions/lib/errors.ts';
import { hashToken, newToken } from '../../functions/lib/ids.ts';
import { fakeWorld, file, folder, grant, shareLink, webuser } from '../support/fakes.ts';

const DAY = 86400_000;
const page = { limit: 50 };

/** A tree with two clients' folders, each with a document, and one signed-in client. */
function clientsWorld() {
  const w = fakeWorld();
  const clients = folder('CLIENTS', undefined);
  const garcia = folder('GARCIA', clients);
  const martin = folder('MARTIN', clients);
  const invoice = file('INVOICE', garcia);
  const scan = file('SCAN', martin);
  for (const f of [clients, garcia, martin]) w.nodes.folders.set(f.id, f);
  for (const f of [invoice, scan]) w.nodes.files.set(f.id, f);
  const maria = webuser('maria');
  w.users.profiles.set(maria.id, maria);
  w.users.grants.set(`maria/${garcia.id}`, grant(maria, garcia));
  const portalCtx = { ...w.ctx, caller: { sub: maria.id, username: maria.email, groups: ['webusers'], clientId: 'c' } };
  return { ...w, garcia, martin, invoice, scan, maria, portalCtx };
}

describe('link expiry', () => {
  const now = new Date('2026-06-01T10:00:00.000Z');

  it('a new link lives the company default unless staff asked for a date, at most a year away', () => {
    assert.equal(linkExpiry(undefined, now, 30), new Date(now.getTime() + 30 * DAY).toISOString());
    assert.equal(linkExpiry('2026-06-10T00:00:00Z', now, 30), '2026-06-10T00:00:00.000Z');
    assert.throws(() => linkExpiry(new Date(now.getTime() + (MAX_LINK_DAYS + 1) * DAY).toISOString(), now, 30), {
      field: 'expiresAt',
      message: `expiresAt: at most ${MAX_LINK_DAYS} days from now.`,
    });
    assert.throws(() => linkExpiry(now.toISOString(), now, 30), { message: 'expiresAt: must be in the future.' });
    // Grants have no cap.
    assert.equal(requestedExpiry('2036-01-01T00:00:00Z', 'expiresAt', now), '2036-01-01T00:00:00.000Z');
  });

  it('revoked wins over expired; a link is active only before its expiry', () => {
    assert.equal(linkStatus({ expiresAt: '2026-06-02T00:00:00Z' }, now), 'active');
    assert.equal(linkStatus({ expiresAt: now.toISOString() }, now), 'expired');
    assert.equal(linkStatus({ expiresAt: '2020-01-01T00:00:00Z', revokedAt: '2019-01-01T00:00:00Z' }, now), 'revoked');
  });

  it('"Send by email" stores the link with the default lifetime and mails it', async () => {
    const w = clientsWorld();
    w.settings.settings.linkDefaultDays = 14;
    const actor = { kind: 'staff' as const, id: 'staff-1' };
    const out = await sendFolder(w.deps, w.garcia.id, { email: ' Ana@Example.com ' }, { ...w.ctx, actor });
    assert.equal(out.link.expiresAt, new Date(w.now.getTime() + 14 * DAY).toISOString());
    assert.equal(out.link.email, 'ana@example.com');
    assert.equal(w.mailer.sent.length, 1);
    assert.deepEqual(
      w.activity.events.map((e) => [e.type, e.within]),
      [['link.sent', [...w.garcia.ancestors, w.garcia.id]]],
    );
  });
});

describe('name claims', () => {
  const now = new Date('2026-06-01T10:00:00.000Z');
  const ago = (ms: number) => new Date(now.getTime() - ms).toISOString();

  it('only a provably abandoned claim may be taken over', () => {
    assert.equal(claimIsAbandoned({ pendingUntil: ago(1) }, false, now), true, 'upload past its deadline');
    assert.equal(claimIsAbandoned({ pendingUntil: ago(-60_000) }, false, now), false, 'upload still running');
    assert.equal(claimIsAbandoned({ claimedAt: ago(ORPHAN_CLAIM_MS + 1) }, false, now), true, 'crashed create');
    assert.equal(claimIsAbandoned({ claimedAt: ago(ORPHAN_CLAIM_MS - 1) }, false, now), false, 'create in flight');
    assert.equal(claimIsAbandoned({ pendingUntil: ago(1) }, true, now), false, 'its node exists');
    assert.equal(claimIsAbandoned({}, false, now), false, 'nothing says when');
  });

  it('a folder takes the name of an upload abandoned past its deadline', async () => {
    const w = clientsWorld();
    w.nodes.claims.set('GARCIA/2025', { kind: 'file', id: 'GHOST', pendingUntil: ago(1000), claimedAt: ago(DAY) });
    const actor = { kind: 'staff' as const, id: 'staff-1' };
    const created = await createFolder(w.deps, { parentId: w.garcia.id, name: '2025' }, { ...w.ctx, actor });
    assert.equal(w.nodes.claims.get('GARCIA/2025')?.id, created.id);
    assert.ok(w.journal.includes('nodes.replaceClaim GARCIA/2025'));
  });

  it('a live holder keeps its name: 409 name_taken, and nothing is written', async () => {
    const w = clientsWorld();
    w.nodes.claims.set('GARCIA/2025', { kind: 'file', id: 'UPLOADING', pendingUntil: ago(-60_000) });
    const actor = { kind: 'staff' as const, id: 'staff-1' };
    await assert.rejects(createFolder(w.deps, { parentId: w.garcia.id, name: '2025' }, { ...w.ctx, actor }), {
      status: 409,
      code: 'name_taken',
    });
    assert.equal(w.nodes.claims.get('GARCIA/2025')?.id, 'UPLOADING');
    assert.ok(!w.journal.some((line) => line.startsWith('nodes.putNewFolder')));
  });
});

describe('access report statuses', () => {
  it('grants and links share one vocabulary: live, expired, revoked, disabled, folder-gone', async () => {
    const w = clientsWorld();
    const trashed = folder('OLD', undefined, { trashedAt: '2026-05-01T00:00:00.000Z' });
    const under = folder('UNDER', trashed);
    for (const f of [trashed, under]) w.nodes.folders.set(f.id, f);
    const past = '2026-05-01T00:00:00.000Z';
    const { maria } = w;
    w.users.grants.set('maria/MARTIN', grant(maria, w.martin, { expiresAt: past }));
    w.users.grants.set('maria/UNDER', grant(maria, under));
    const sent = [
      shareLink('L-LIVE', w.garcia, maria.email),
      shareLink('L-EXPIRED', w.garcia, maria.email, { expiresAt: past }),
      shareLink('L-REVOKED', w.garcia, maria.email, { revokedAt: past }),
      shareLink('L-GONE', under, maria.email),
    ];
    for (const l of sent) w.links.links.set(l.tokenHash, l);

    const report = await accessReport(w.deps, { userId: maria.id }, w.now);
    const byKey = Object.fromEntries(
      report.entries.map((e) => [e.kind === 'grant' ? `grant:${e.folderId}` : `link:${e.linkId}`, e.status]),
    );
    assert.deepEqual(byKey, {
      'grant:GARCIA': 'live',
      'grant:MARTIN': 'expired',
      'grant:UNDER': 'folder-gone',
      'link:L-LIVE': 'live',
      'link:L-EXPIRED': 'expired',
      'link:L-REVOKED': 'revoked',
      'link:L-GONE': 'folder-gone',
    });

    w.users.profiles.set(maria.id, { ...maria, status: 'disabled' });
    const disabled = await accessReport(w.deps, { folderId: w.garcia.id }, w.now);
    assert.deepEqual(
      disabled.entries.filter((e) => e.kind === 'grant').map((e) => e.status),
      ['disabled'],
    );
  });

  it('an unreachable folder only explains a grant that would otherwise work', () => {
    const now = new Date('2026-06-01T10:00:00.000Z');
    const live = { expiresAt: undefined };
    const expired = { expiresAt: '2026-01-01T00:00:00Z' };
    const gone = { folderFound: true, reachable: false };
    assert.equal(grantAccessStatus(live, gone, 'active', now), 'folder-gone');
    assert.equal(grantAccessStatus(expired, gone, 'active', now), 'expired');
    assert.equal(grantAccessStatus(live, gone, 'disabled', now), 'disabled');
    assert.equal(grantAccessStatus(expired, { folderFound: false, reachable: false }, 'active', now), 'folder-gone');
    assert.equal(linkAccessStatus({ expiresAt: '2020-01-01T00:00:00Z', revokedAt: 'x' }, false, now), 'revoked');
  });
});

describe('undo of a half-made web user', () => {
  const input = { email: 'new@client.example', name: 'New Client', folderIds: ['GARCIA'] };

  it('the mail fails: login, profile, grant and invitation are removed, nothing is recorded', async () => {
    const w = clientsWorld();
    w.mailer.state.fail = true;
    const actor = { kind: 'staff' as const, id: 'staff-1' };
    await assert.rejects(createWebuser(w.deps, input, { ...w.ctx, actor }), { status: 502, code: 'mail_failed' });
    assert.equal(w.identity.accounts.has(input.email), false, 'user pool account removed');
    assert.deepEqual([...w.users.profiles.keys()], ['maria'], 'profile removed');
    assert.deepEqual([...w.users.grants.keys()], ['maria/GARCIA'], 'grant removed');
    assert.equal(w.links.invitations.size, 0, 'invitation removed');
    assert.equal(w.activity.events.length, 0);
    // Undone newest first: the invitation, the grant, the profile, then the login.
    const undo = w.journal.filter((l) => /delete/i.test(l));
    assert.deepEqual(
      undo.map((l) => l.split(' ')[0]),
      ['invitations.deleteInvitation', 'users.deleteGrant', 'users.deleteProfile', 'identity.deleteCognitoUser'],
    );
    // A retry starts clean.
    w.mailer.state.fail = false;
    await createWebuser(w.deps, input, { ...w.ctx, actor });
    assert.equal(w.identity.accounts.has(input.email), true);
  });

  it('an undo step that fails too is logged with what it left behind, and the first error still wins', async () => {
    const w = clientsWorld();
    w.mailer.state.fail = true;
    w.deps.users = { ...w.deps.users, deleteProfile: async () => Promise.reject(new Error('store down')) };
    const actor = { kind: 'staff' as const, id: 'staff-1' };
    await assert.rejects(createWebuser(w.deps, input, { ...w.ctx, actor }), { code: 'mail_failed' });
    const logged = w.lines.filter((l) => l.msg === 'undo step failed');
    assert.equal(logged.length, 1);
    assert.equal(logged[0].level, 'error');
    assert.match(String(logged[0].data?.leftBehind), /profile/);
    assert.equal(w.identity.accounts.has(input.email), false, 'the later steps still ran');
  });
});

describe('audit-first downloads', () => {
  const portal = (w: ReturnType<typeof clientsWorld>) =>
    portalDownload(w.deps, w.invoice.id, 'attachment', w.portalCtx);

  it('the portal stores the download event before it mints the URL', async () => {
    const w = clientsWorld();
    const out = await portal(w);
    assert.match(out.url, /files\/INVOICE\/V-INVOICE/);
    const steps = w.journal.filter((l) => l.startsWith('activity.') || l.startsWith('files.'));
    assert.deepEqual(steps, ['activity.putEvent download', 'files.mintDownloadUrl files/INVOICE/V-INVOICE']);
    assert.deepEqual(w.activity.events[0].within, w.invoice.ancestors);
    assert.deepEqual(w.activity.events[0].target?.path, ['Folder CLIENTS', 'Folder GARCIA']);
  });

  it('no stored event, no URL: portal, share link and staff alike', async () => {
    const w = clientsWorld();
    w.activity.state.failWrites = true;
    const token = newToken();
    w.links.links.set(hashToken(token), shareLink('L1', w.garcia, 'x@example.com', { tokenHash: hashToken(token) }));
    const actor = { kind: 'staff' as const, id: 'staff-1' };
    await assert.rejects(portal(w), { name: 'ServiceUnavailable' });
    await assert.rejects(shareDownload(w.deps, token, w.invoice.id, 'inline', w.ctx), { name: 'ServiceUnavailable' });
    await assert.rejects(staffDownload(w.deps, w.invoice.id, { disposition: 'attachment' }, { ...w.ctx, actor }), {
      name: 'ServiceUnavailable',
    });
    assert.ok(!w.journal.some((l) => l.startsWith('files.mintDownloadUrl')));
  });
});

describe('portal denial', () => {
  it("another client's folder is the same 404 as a missing one, and the denial is recorded", async () => {
    const w = clientsWorld();
    await assert.rejects(portalFolder(w.deps, w.martin.id, page, w.portalCtx), (e) => e instanceof NotFound);
    await assert.rejects(portalFolder(w.deps, 'NOPE', page, w.portalCtx), (e) => e instanceof NotFound);
    await assert.rejects(portalDownload(w.deps, w.scan.id, 'attachment', w.portalCtx), (e) => e instanceof NotFound);
    assert.deepEqual(
      w.activity.events.map((e) => [e.type, e.actor.id, e.target?.id]),
      [
        ['access.denied', 'maria', 'MARTIN'],
        ['access.denied', 'maria', 'NOPE'],
        ['access.denied', 'maria', 'SCAN'],
      ],
    );
    assert.ok(!w.journal.some((l) => l.startsWith('files.mintDownloadUrl')));
    // Her own folder lists, and the listing is recorded.
    const own = await portalFolder(w.deps, w.garcia.id, page, w.portalCtx);
    assert.deepEqual(
      own.files.map((f) => f.id),
      [w.invoice.id],
    );
    assert.equal(w.activity.events.at(-1)?.type, 'folder.listed');
  });

  it('a denial event that cannot be stored is logged, and the answer is still 404', async () => {
    const w = clientsWorld();
    w.activity.state.failWrites = true;
    await assert.rejects(portalFolder(w.deps, w.martin.id, page, w.portalCtx), (e) => e instanceof NotFound);
    assert.deepEqual(
      w.lines.map((l) => [l.level, l.msg]),
      [['warn', 'access.denied event not stored']],
    );
  });
});
