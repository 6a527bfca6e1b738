/**
 * Oversight through HTTP: activity filters, receipts (JSON and PDF), the
 * access report, "view as" against the portal's own answer, settings and
 * logo, and a person's data export.
 */

import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { makeClient, makeFile, makeFolder, shareToken } from '../support/story.ts';
import { download, uploadWith } from '../support/upload.ts';

describe('oversight', () => {
  let t: TestStack;
  let staff: string;
  beforeAll(async () => {
    t = await startTestStack();
    staff = await t.adminToken();
  });
  afterAll(() => t?.stop());

  it('answers "did the client get it?" for a file shared with two users, one of whom downloaded', async () => {
    const folder = await makeFolder(t, staff, 'Recibos');
    const file = await makeFile(t, staff, folder.id, 'Póliza hogar.pdf');
    const ana = await makeClient(t, staff, [folder.id], 'Ana');
    const luis = await makeClient(t, staff, [folder.id], 'Luis');
    const dl = await t.api('GET', `/portal/files/${file.id}/download`, { token: ana.token });
    assert.equal(dl.status, 200);
    const res = await t.api('GET', `/files/${file.id}/receipts`, { token: staff });
    assert.equal(res.status, 200);
    const byId = new Map(res.body.recipients.map((r: any) => [r.id, r]));
    const a: any = byId.get(ana.id);
    const l: any = byId.get(luis.id);
    assert.equal(a.downloaded, true);
    assert.ok(a.firstDownloadAt);
    assert.equal(a.email, ana.email);
    assert.equal(l.downloaded, false);
    assert.equal(l.firstDownloadAt, null);

    // The receipt for Ana's download, as JSON and as a PDF that parses back.
    const receipt = await t.api('GET', `/receipts/${a.receiptId}`, { token: staff });
    assert.equal(receipt.status, 200);
    assert.equal(receipt.body.who.email, ana.email);
    assert.equal(receipt.body.what.name, 'Póliza hogar.pdf');
    assert.deepEqual(receipt.body.what.path, ['Recibos']);
    assert.equal(receipt.body.what.versionId, file.versionId);
    assert.equal(receipt.body.what.size, file.bytes.length);
    assert.ok(receipt.body.from.ip);
    const pdf = await fetch(`${t.stack.apiUrl}/receipts/${a.receiptId}?format=pdf`, {
      headers: { authorization: `Bearer ${staff}` },
    });
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    const text = Buffer.from(await pdf.arrayBuffer()).toString('latin1');
    assert.ok(text.startsWith('%PDF-1.4') && text.trimEnd().endsWith('%%EOF'));
    const startxref = Number(/startxref\n(\d+)/.exec(text)![1]);
    const offsets = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    for (const [i, o] of offsets.entries()) assert.ok(text.slice(o).startsWith(`${i + 1} 0 obj`));
    assert.ok(text.includes('(Archivo: P\\363liza hogar.pdf)'));
    assert.ok(text.includes(ana.email));
    assert.equal((await t.api('GET', `/receipts/01JQ0000000000000000000000`, { token: staff })).status, 404);
  });

  it('filters activity by file, by folder subtree, by type and by dates, one query each', async () => {
    const top = await makeFolder(t, staff, 'Filtros');
    const inner = await makeFolder(t, staff, 'Dentro', top.id);
    const file = await makeFile(t, staff, inner.id, 'filtro.pdf');
    await t.api('GET', `/files/${file.id}/download`, { token: staff });
    const byFile = await t.api('GET', `/activity?fileId=${file.id}`, { token: staff });
    assert.ok(byFile.body.events.length >= 2);
    assert.ok(byFile.body.events.every((e: any) => e.target.id === file.id));
    const subtree = await t.api('GET', `/activity?folderId=${top.id}`, { token: staff });
    assert.ok(
      subtree.body.events.some((e: any) => e.target.id === file.id && e.type === 'download'),
      'events beneath the folder are included',
    );
    const downloads = await t.api('GET', `/activity?folderId=${top.id}&type=download`, { token: staff });
    assert.ok(downloads.body.events.length >= 1 && downloads.body.events.every((e: any) => e.type === 'download'));
    const future = await t.api('GET', `/activity?fileId=${file.id}&from=2099-01-01T00:00:00Z`, { token: staff });
    assert.deepEqual(future.body.events, []);
    const past = await t.api('GET', `/activity?type=download&to=2020-01-01T00:00:00Z`, { token: staff });
    assert.deepEqual(past.body.events, []);
    const bad = await t.api('GET', `/activity?type=nope`, { token: staff });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'type');
  });

  it('reports who can see what, marking expired and revoked access', async () => {
    const folder = await makeFolder(t, staff, 'Informe');
    const client = await makeClient(t, staff, [folder.id], 'Informe');
    await t.api('GET', '/portal/folders', { token: client.token });
    const other = await makeFolder(t, staff, 'Caducada');
    const soon = new Date(Date.now() + 60_000).toISOString();
    await t.api('PUT', `/folders/${other.id}/grants/${client.id}`, { token: staff, body: { expiresAt: soon } });
    const sent = await t.api('POST', `/folders/${folder.id}/send`, {
      token: staff,
      body: { email: 'informe@example.com' },
    });
    await t.api('DELETE', `/links/${sent.body.link.id}`, { token: staff });

    const byUser = await t.api('GET', `/reports/access?userId=${client.id}`, { token: staff });
    assert.equal(byUser.status, 200);
    const statuses = Object.fromEntries(
      byUser.body.entries.filter((e: any) => e.kind === 'grant').map((e: any) => [e.folderId, e.status]),
    );
    assert.deepEqual(statuses, { [folder.id]: 'live', [other.id]: 'live' });
    const later = await t.api('GET', `/reports/access?userId=${client.id}`, {
      token: staff,
      headers: { 'x-carpeta-now': new Date(Date.now() + 120_000).toISOString() },
    });
    assert.equal(later.body.entries.find((e: any) => e.folderId === other.id).status, 'expired');

    await t.api('POST', `/folders/${folder.id}/send`, { token: staff, body: { email: 'vigente@example.com' } });
    const byFolder = await t.api('GET', `/reports/access?folderId=${folder.id}`, { token: staff });
    const link = byFolder.body.entries.find((e: any) => e.kind === 'link' && e.email === 'informe@example.com');
    assert.equal(link.status, 'revoked');
    assert.equal(
      byFolder.body.entries.find((e: any) => e.email === 'vigente@example.com').status,
      'live',
      'grants and links share one vocabulary',
    );
    assert.deepEqual(link.path, ['Informe']);
    assert.ok(byFolder.body.entries.some((e: any) => e.kind === 'grant' && e.userId === client.id && e.lastAccessAt));
    assert.equal((await t.api('GET', `/reports/access`, { token: staff })).status, 400);
  });

  it('"view as" equals the portal across a grant, a revoke and a move', async () => {
    const a = await makeFolder(t, staff, 'Vista A');
    const sub = await makeFolder(t, staff, 'Vista sub', a.id);
    await makeFile(t, staff, sub.id, 'vista.pdf');
    const b = await makeFolder(t, staff, 'Vista B');
    const client = await makeClient(t, staff, [a.id], 'Vista');
    const same = async (folderId?: string) => {
      const portal = await t.api('GET', folderId ? `/portal/folders/${folderId}` : '/portal/folders', {
        token: client.token,
      });
      const view = await t.api('GET', `/webusers/${client.id}/view${folderId ? `?folderId=${folderId}` : ''}`, {
        token: staff,
      });
      assert.equal(view.status, portal.status);
      assert.deepEqual(view.body, portal.body);
      return portal;
    };
    assert.equal((await same(sub.id)).status, 200);
    await same();
    // A grant on B: both see it.
    await t.api('PUT', `/folders/${b.id}/grants/${client.id}`, { token: staff, body: {} });
    assert.equal((await same(b.id)).status, 200);
    assert.equal((await same()).body.folders.length, 2);
    // Moved out of the granted subtree: both lose it.
    const subNow = (await t.api('GET', `/folders/${sub.id}`, { token: staff })).body.folder;
    await t.api('PATCH', `/folders/${sub.id}`, { token: staff, body: { parentId: 'root', version: subNow.version } });
    assert.equal((await same(sub.id)).status, 404);
    // Revoked: both lose B.
    await t.api('DELETE', `/folders/${b.id}/grants/${client.id}`, { token: staff });
    assert.equal((await same(b.id)).status, 404);
    assert.equal((await same()).body.folders.length, 1);
  });

  it('keeps settings for admins, with a PNG or JPEG logo the portal shows', async () => {
    const plainStaff = await t.user('staff');
    assert.equal((await t.api('GET', '/settings', { token: plainStaff.token })).status, 403);
    const current = await t.api('GET', '/settings', { token: staff });
    assert.equal(current.status, 200);
    assert.equal(current.body.notifications.batchMinutes, 10);
    const svg = await t.api('POST', '/settings/logo', {
      token: staff,
      body: { contentType: 'image/svg+xml', size: 100 },
    });
    assert.equal(svg.status, 400);
    assert.equal(
      (await t.api('POST', '/settings/logo', { token: staff, body: { contentType: 'image/png', size: 600 * 1024 } }))
        .status,
      400,
    );
    const png = Buffer.from(
      '89504e470d0a1a0a0000000d49484452000000010000000108060000001f15c489' +
        '0000000d4944415478da63f8ffff3f0005fe02fea7d6a4b50000000049454e44ae426082',
      'hex',
    );
    const logo = await t.api('POST', '/settings/logo', {
      token: staff,
      body: { contentType: 'image/png', size: png.length },
    });
    assert.equal(logo.status, 201);
    await uploadWith(logo.body.upload, png, 'image/png');
    const { updatedAt, updatedBy, logoUrl, ...editable } = current.body;
    const saved = await t.api('PUT', '/settings', {
      token: staff,
      body: {
        ...editable,
        name: 'Asesoría <Pérez> & Hijos',
        colors: { primary: '#123456', accent: '#abcdef' },
        logoKey: logo.body.logoKey,
      },
    });
    assert.equal(saved.status, 200, JSON.stringify(saved.body));
    assert.ok(saved.body.logoUrl);
    assert.equal(
      (await t.api('GET', '/folders/root', { token: staff })).body.folder.name,
      'Asesoría <Pérez> & Hijos',
      'the root is the company',
    );
    const branding = await t.api('GET', '/branding');
    assert.equal(branding.body.name, 'Asesoría <Pérez> & Hijos');
    assert.equal(branding.body.colors.primary, '#123456');
    const got = await download(branding.body.logoUrl);
    assert.ok(got.bytes.equals(png));
    const bogus = await t.api('PUT', '/settings', { token: staff, body: { ...editable, logoKey: 'files/x/y' } });
    assert.equal(bogus.status, 400);
    assert.equal(bogus.body.error.field, 'logoKey');
    const badColor = await t.api('PUT', '/settings', {
      token: staff,
      body: { ...editable, colors: { primary: 'red', accent: '#000000' } },
    });
    assert.equal(badColor.body.error.field, 'colors.primary');
    await t.api('PUT', '/settings', { token: staff, body: { ...editable, logoKey: null } });
  });

  it('exports everything stored about one person', async () => {
    const folder = await makeFolder(t, staff, 'Export');
    const client = await makeClient(t, staff, [folder.id], 'Exportada');
    await t.api('GET', `/portal/folders/${folder.id}`, { token: client.token });
    await t.api('POST', `/folders/${folder.id}/send`, { token: staff, body: { email: client.email, message: 'hola' } });
    await t.api('GET', `/share`, { share: await shareToken(t, client.email) });
    const res = await t.api('GET', `/webusers/${client.id}/export`, { token: staff });
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-disposition')!, /attachment/);
    assert.equal(res.body.profile.email, client.email);
    assert.ok(!('inviteHash' in res.body.profile));
    assert.deepEqual(
      res.body.grants.map((g: any) => g.folderId),
      [folder.id],
    );
    assert.equal(res.body.links.length, 1);
    assert.ok(res.body.activity.asUser.some((e: any) => e.type === 'folder.listed'));
    assert.ok(res.body.activity.aboutUser.some((e: any) => e.type === 'user.created'));
    assert.ok(res.body.activity.throughLinks.some((e: any) => e.type === 'link.opened'));
  });
});
