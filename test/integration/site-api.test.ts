/**
 * What the site's screens read (issue 15), through HTTP against the local stack with real tokens: who a
 * subfolder is shared with (inherited access, and from where), previews recorded apart from downloads,
 * an older version made current again, people found by name ignoring accents, readable activity and its
 * export in the reader's language, the trash's real paths, thumbnails recorded with their listing, and
 * 400s that name their field and rule.
 */

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { makeClient, makeFile, makeFolder, shareToken } from '../support/story.ts';
import { download } from '../support/upload.ts';

/** A 1×1 PNG. */
const PNG = Buffer.from(
  '89504e470d0a1a0a0000000d4948445200000001000000010806000000' +
    '1f15c4890000000d49444154789c6360000002000154a24f5d0000000049454e44ae426082',
  'hex',
);

describe('the API behind the site (issue 15)', () => {
  let t: TestStack;
  let staff: string;
  let adminId: string;
  const ids: Record<string, string> = {};
  let client: Awaited<ReturnType<typeof makeClient>>;
  const call = async (method: string, path: string, opts: { token?: string; body?: unknown } = {}) => {
    const r = await t.api(method, path, { token: opts.token ?? staff, body: opts.body });
    assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };

  beforeAll(async () => {
    t = await startTestStack();
    staff = await t.adminToken();
    adminId = t.stack.admin.id;
    const parent = await makeFolder(t, staff, 'Clientes Núñez');
    const sub = await makeFolder(t, staff, 'Renta 2025', parent.id);
    const deeper = await makeFolder(t, staff, 'Justificantes', sub.id);
    Object.assign(ids, { parent: parent.id, sub: sub.id, deeper: deeper.id });
    client = await makeClient(t, staff, [parent.id], 'María Núñez');
    await call('POST', `/folders/${parent.id}/send`, { body: { email: 'gestor@example.com', name: 'Gestor' } });
    await call('POST', `/folders/${sub.id}/send`, { body: { email: 'asesor@example.com' } });
  });
  afterAll(() => t?.stop());

  it("a subfolder's sharing lists the grant and link on its parent, each saying where it comes from", async () => {
    const s = await call('GET', `/folders/${ids.deeper}/sharing`);
    assert.equal(s.grants.length, 1);
    assert.deepEqual(
      { ...s.grants[0], grantedAt: undefined },
      {
        userId: client.id,
        email: client.email,
        name: 'María Núñez',
        expiresAt: null,
        grantedAt: undefined,
        via: { id: ids.parent, name: 'Clientes Núñez' },
      },
    );
    const links = s.links.map((l: any) => [l.email, l.via?.name ?? null, l.status]).sort();
    assert.deepEqual(links, [
      ['asesor@example.com', 'Renta 2025', 'active'],
      ['gestor@example.com', 'Clientes Núñez', 'active'],
    ]);
    const own = await call('GET', `/folders/${ids.parent}/sharing`);
    assert.equal(own.grants[0].via, null, 'on the folder itself: not inherited');

    // Renaming the web user renames them where the folder's sharing shows them.
    await call('PATCH', `/webusers/${client.id}`, { body: { name: 'María Núñez Gil' } });
    assert.equal((await call('GET', `/folders/${ids.deeper}/sharing`)).grants[0].name, 'María Núñez Gil');
    // Revoked: gone from every folder below at once.
    await call('DELETE', `/folders/${ids.parent}/grants/${client.id}`);
    assert.deepEqual((await call('GET', `/folders/${ids.deeper}/sharing`)).grants, []);
    await call('PUT', `/folders/${ids.parent}/grants/${client.id}`, { body: {} });
  });

  it('a preview is recorded as a preview, a download as a download; receipts count both', async () => {
    const f = await makeFile(t, staff, ids.sub, 'Modelo 100.pdf');
    ids.pdf = f.id;
    const look = await t.api('GET', `/portal/files/${f.id}/download?disposition=inline`, { token: client.token });
    assert.equal(look.status, 200);
    await call('GET', `/portal/files/${f.id}/download?disposition=inline`, { token: client.token });
    await call('GET', `/portal/files/${f.id}/download`, { token: client.token });
    const events = (await call('GET', `/activity?fileId=${f.id}`)).events;
    assert.deepEqual(events.map((e: any) => e.type).sort(), ['download', 'file.uploaded', 'preview', 'preview']);
    const r = (await call('GET', `/files/${f.id}/receipts`)).recipients.find((x: any) => x.id === client.id);
    assert.equal(r.previews, 2);
    assert.equal(r.downloads, 1);
    assert.ok(r.lastPreviewAt && r.lastDownloadAt);

    const preview = events.find((e: any) => e.type === 'preview');
    const json = await call('GET', `/receipts/${preview.id}`);
    assert.equal(json.kind, 'preview');
    const pdf = await t.api('GET', `/receipts/${preview.id}?format=pdf`, { token: staff });
    assert.equal(pdf.status, 200);
    const text = String(pdf.body);
    assert.match(text, /visualizaci/, 'a viewing receipt, not a download receipt');
  });

  it('staff make an older version current again: a new version with the old bytes, recorded', async () => {
    const v1 = randomBytes(1500);
    const f = await makeFile(t, staff, ids.sub, 'Contrato.pdf', v1);
    const v2 = randomBytes(1700);
    const start = await call('POST', `/files/${f.id}/versions`, {
      body: { size: v2.length, contentType: 'application/pdf' },
    });
    const { uploadWith } = await import('../support/upload.ts');
    await uploadWith(start.upload, v2, 'application/pdf');
    await call('POST', `/files/${f.id}/versions/${start.versionId}/complete`, { body: {} });

    const restored = await call('POST', `/files/${f.id}/versions/${f.versionId}/restore`, { body: {} });
    assert.equal(restored.version.restoredFrom, f.versionId);
    const details = await call('GET', `/files/${f.id}`);
    assert.equal(details.versions.length, 3, 'every version stays');
    assert.equal(details.file.currentVersionId, restored.version.versionId);
    assert.equal(details.versions[0].uploadedByEmail, t.stack.admin.email, 'who made it current, by email');
    // The client gets the old bytes.
    const url = (await call('GET', `/portal/files/${f.id}/download`, { token: client.token })).url;
    assert.deepEqual((await download(url)).bytes, v1);
    const events = (await call('GET', `/activity?fileId=${f.id}&type=version.restored`)).events;
    assert.equal(events.length, 1);
    assert.equal(events[0].details.restoredFrom, f.versionId);
  });

  it('people are found by name or email ignoring accents and case', async () => {
    const people = (await call('GET', '/people?q=maria nunez')).people;
    assert.deepEqual(
      people.map((p: any) => [p.kind, p.email]),
      [['webuser', client.email]],
    );
    assert.equal((await call('GET', '/people?q=ADMIN')).people[0].kind, 'staff');
    assert.equal((await call('GET', '/webusers?q=MARÍA')).users[0].id, client.id);
  });

  it('the activity names staff by name and email; the export is readable in Spanish and in English', async () => {
    const page = await call('GET', `/activity?type=grant.added`);
    const e = page.events.find((x: any) => x.details?.userId === client.id);
    assert.ok(e, 'the grant event');
    assert.equal(page.people[e.actor.id].email, t.stack.admin.email);
    assert.equal(page.people[client.id].name, 'María Núñez Gil');

    const es = await call('GET', `/activity/export?folderId=${ids.parent}&lang=es`);
    const csvEs = (await download(es.url)).bytes.toString('utf8');
    const [headEs, ...rowsEs] = csvEs
      .replace(/^\uFEFF/, '')
      .trim()
      .split('\r\n');
    assert.match(headEs, /^"Fecha y hora \(UTC\)";"Qué";"Quién";"Email"/);
    assert.ok(
      rowsEs.some((r) => r.includes('"Vista"') && r.includes('"María Núñez Gil"')),
      'event names and people in words',
    );
    assert.ok(
      rowsEs.every((r) => !r.includes(`"${adminId}"`)),
      'no staff id where a name belongs',
    );
    const en = await call('GET', `/activity/export?folderId=${ids.parent}&lang=en`);
    const csvEn = (await download(en.url)).bytes.toString('utf8');
    assert.match(csvEn.replace(/^\uFEFF/, ''), /^"Date and time \(UTC\)","What","Who"/);
    assert.match(csvEn, /"Download"/);
  });

  it('the trash says where each item was, folder by folder, and who trashed it', async () => {
    const f = await makeFile(t, staff, ids.deeper, 'borrador.pdf');
    await call('DELETE', `/files/${f.id}`);
    const item = (await call('GET', '/trash')).items.find((i: any) => i.id === f.id);
    assert.deepEqual(
      item.from.map((p: any) => p.name),
      ['Carpeta', 'Clientes Núñez', 'Renta 2025', 'Justificantes'],
    );
    assert.equal(item.trashedByEmail, t.stack.admin.email);
  });

  it('listings hand out thumbnails of small images only, named in the listing’s event', async () => {
    const img = await makeFile(t, staff, ids.deeper, 'foto.png', PNG, 'image/png');
    const portal = await call('GET', `/portal/folders/${ids.deeper}`, { token: client.token });
    const shown = portal.files.find((f: any) => f.id === img.id);
    assert.match(shown.thumbnailUrl, /^http/);
    assert.equal((await download(shown.thumbnailUrl)).bytes.length, PNG.length);
    assert.ok(
      portal.files.filter((f: any) => f.id !== img.id).every((f: any) => !f.thumbnailUrl),
      'PDFs: none',
    );
    const listed = (await call('GET', `/activity?folderId=${ids.deeper}&type=folder.listed`)).events[0];
    assert.deepEqual(listed.details.thumbnails, [img.id]);

    const staffView = await call('GET', `/folders/${ids.deeper}`);
    assert.ok(staffView.files.find((f: any) => f.id === img.id).thumbnailUrl);
    const previews = (await call('GET', `/activity?folderId=${ids.deeper}&type=preview`)).events;
    assert.ok(previews.some((e: any) => e.actor.kind === 'staff' && e.details?.thumbnails?.includes(img.id)));

    const link = await shareToken(t, 'gestor@example.com');
    const viaLink = await t.api('GET', `/share/folders/${ids.deeper}`, { share: link });
    assert.ok(viaLink.body.files.find((f: any) => f.id === img.id).thumbnailUrl);
  });

  it('a bad name is a 400 that names the field and the rule', async () => {
    const r = await t.api('POST', '/folders', { token: staff, body: { parentId: ids.parent, name: 'a/b' } });
    assert.equal(r.status, 400);
    assert.equal(r.body.error.field, 'name');
    assert.equal(r.body.error.rule, 'slash');
    const move = await t.api('PATCH', `/folders/${ids.parent}`, {
      token: staff,
      body: { parentId: ids.deeper, version: 1 },
    });
    assert.equal(move.status, 400);
    assert.deepEqual([move.body.error.field, move.body.error.rule], ['parentId', 'into_itself']);
  });
});
