/**
 * Issue 16, item 2: the server sorts the whole folder, for staff, clients and link holders alike.
 * Pages are small here so every order crosses pages and the folders/files boundary; what a person
 * notices is checked: the first page of "largest first" holds the largest of all, and edits move
 * items in the orders they change.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { makeClient, makeFile, makeFolder, shareToken } from '../support/story.ts';
import { uploadWith } from '../support/upload.ts';

describe('sorted listings: name, modified, size, both directions, folders first', () => {
  let t: TestStack;
  let token: string;
  let study: { id: string };
  const sizes: Record<string, number> = {};
  const api = (method: string, path: string, body?: unknown) => t.api(method, path, { token, body });

  /** Every entry of a listing route in order, following the cursor `limit` at a time. */
  async function all(path: string, opts: { token?: string; share?: string } = { token }) {
    const names: string[] = [];
    let cursor: string | undefined;
    let pages = 0;
    do {
      const sep = path.includes('?') ? '&' : '?';
      const res = await t.api('GET', `${path}${sep}limit=3${cursor ? `&cursor=${cursor}` : ''}`, opts);
      assert.equal(res.status, 200, JSON.stringify(res.body));
      names.push(...res.body.folders.map((f: any) => `${f.name}/`), ...res.body.files.map((f: any) => f.name));
      cursor = res.body.nextCursor;
      assert.ok(++pages < 50, 'the cursor never ends');
    } while (cursor);
    return names;
  }

  const folders = ['Anexos', 'Placas', 'informes'];
  const files = ['c-torax.pdf', 'A-craneo.pdf', 'b-rodilla.pdf', 'Ñu.pdf', 'd-mano.pdf'];

  beforeAll(async () => {
    t = await startTestStack();
    token = await t.adminToken();
    study = await makeFolder(t, token, 'Estudio 2026');
    for (const n of folders) await makeFolder(t, token, n, study.id);
    // Uploaded one after another: this is also the "modified" order, oldest first.
    const byteCounts = [3000, 9000, 1000, 5000, 7000];
    for (const [i, n] of files.entries()) {
      await makeFile(t, token, study.id, n, randomBytes(byteCounts[i]));
      sizes[n] = byteCounts[i];
    }
  });
  afterAll(() => t?.stop());

  it('orders the whole folder by name, both ways, folders first', async () => {
    const asc = await all(`/folders/${study.id}`);
    assert.deepEqual(asc, [
      'Anexos/',
      'informes/',
      'Placas/',
      'A-craneo.pdf',
      'b-rodilla.pdf',
      'c-torax.pdf',
      'd-mano.pdf',
      'Ñu.pdf',
    ]);
    const desc = await all(`/folders/${study.id}?sort=name&order=desc`);
    assert.deepEqual(desc, [
      'Placas/',
      'informes/',
      'Anexos/',
      'Ñu.pdf',
      'd-mano.pdf',
      'c-torax.pdf',
      'b-rodilla.pdf',
      'A-craneo.pdf',
    ]);
  });

  it('puts the largest of all first for "size, descending", folders (no size) first by name', async () => {
    const first = await api('GET', `/folders/${study.id}?sort=size&order=desc&limit=4`);
    assert.equal(first.status, 200);
    assert.deepEqual(
      first.body.folders.map((f: any) => f.name),
      ['Anexos', 'informes', 'Placas'],
    );
    assert.deepEqual(
      first.body.files.map((f: any) => f.name),
      ['A-craneo.pdf'],
    );
    const desc = await all(`/folders/${study.id}?sort=size&order=desc`);
    assert.deepEqual(desc.slice(3), ['A-craneo.pdf', 'd-mano.pdf', 'Ñu.pdf', 'c-torax.pdf', 'b-rodilla.pdf']);
    const asc = await all(`/folders/${study.id}?sort=size&order=asc`);
    assert.deepEqual(asc.slice(3), ['b-rodilla.pdf', 'c-torax.pdf', 'Ñu.pdf', 'd-mano.pdf', 'A-craneo.pdf']);
  });

  it('orders by modification time, newest first on page 1, and moves what is edited', async () => {
    const desc = await all(`/folders/${study.id}?sort=modified&order=desc`);
    assert.deepEqual(desc.slice(3), [...files].reverse());
    // A new version of the oldest file makes it the newest, and its size changes too.
    const list = await api('GET', `/folders/${study.id}?sort=modified&order=asc&limit=10`);
    const file = list.body.files[0];
    assert.equal(file.name, 'c-torax.pdf');
    const bytes = randomBytes(20_000);
    const start = await api('POST', `/files/${file.id}/versions`, {
      size: bytes.length,
      contentType: 'application/pdf',
    });
    assert.equal(start.status, 201, JSON.stringify(start.body));
    const parts = await uploadWith(start.body.upload, bytes, 'application/pdf');
    const done = await api(
      'POST',
      `/files/${file.id}/versions/${start.body.versionId}/complete`,
      parts ? { parts } : {},
    );
    assert.equal(done.status, 200, JSON.stringify(done.body));
    const newest = await api('GET', `/folders/${study.id}?sort=modified&order=desc&limit=4`);
    assert.deepEqual(
      newest.body.files.map((f: any) => f.name),
      ['c-torax.pdf'],
    );
    const largest = await api('GET', `/folders/${study.id}?sort=size&order=desc&limit=4`);
    assert.deepEqual(
      largest.body.files.map((f: any) => [f.name, f.size]),
      [['c-torax.pdf', 20_000]],
    );
    // A rename is a modification too.
    const renamed = list.body.files.find((f: any) => f.name === 'A-craneo.pdf');
    const patch = await api('PATCH', `/files/${renamed.id}`, { name: 'A-craneo-final.pdf', version: renamed.version });
    assert.equal(patch.status, 200, JSON.stringify(patch.body));
    const after = await all(`/folders/${study.id}?sort=modified&order=desc`);
    assert.deepEqual(after.slice(3, 5), ['A-craneo-final.pdf', 'c-torax.pdf']);
    assert.deepEqual((await all(`/folders/${study.id}?sort=name&order=asc`)).slice(3, 4), ['A-craneo-final.pdf']);
  });

  it('drops trashed and moved-away items from every order and brings restored ones back', async () => {
    const list = await api('GET', `/folders/${study.id}?limit=50`);
    const nu = list.body.files.find((f: any) => f.name === 'Ñu.pdf');
    const anexos = list.body.folders.find((f: any) => f.name === 'Anexos');
    assert.equal((await api('DELETE', `/files/${nu.id}`)).status, 204);
    assert.equal((await api('DELETE', `/folders/${anexos.id}`)).status, 204);
    for (const q of ['sort=name', 'sort=modified&order=desc', 'sort=size&order=desc', 'sort=size&order=asc']) {
      const names = await all(`/folders/${study.id}?${q}`);
      assert.ok(!names.includes('Ñu.pdf') && !names.includes('Anexos/'), `${q}: ${names}`);
      assert.equal(names.length, 6, `${q}: ${names}`);
    }
    assert.equal((await api('POST', `/trash/${nu.id}/restore`, {})).status, 200);
    const newest = await api('GET', `/folders/${study.id}?sort=modified&order=desc&limit=3`);
    assert.deepEqual(
      newest.body.folders.map((f: any) => f.name),
      ['informes', 'Placas'],
    );
    assert.deepEqual(
      newest.body.files.map((f: any) => f.name),
      ['Ñu.pdf'],
      'restored: the newest change',
    );
    const bySize = await all(`/folders/${study.id}?sort=size&order=desc`);
    assert.ok(bySize.includes('Ñu.pdf'));
    // Moved into "Placas": gone from this folder's orders, there in the new one's.
    const placas = list.body.folders.find((f: any) => f.name === 'Placas');
    const dmano = list.body.files.find((f: any) => f.name === 'd-mano.pdf');
    const moved = await api('PATCH', `/files/${dmano.id}`, { folderId: placas.id, version: dmano.version });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.ok(!(await all(`/folders/${study.id}?sort=size&order=desc`)).includes('d-mano.pdf'));
    assert.deepEqual(await all(`/folders/${placas.id}?sort=modified&order=desc`), ['d-mano.pdf']);
  });

  it('refuses an unknown order, naming the field, and a cursor made for another order', async () => {
    const bad = await api('GET', `/folders/${study.id}?sort=colour`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'sort');
    const badOrder = await api('GET', `/folders/${study.id}?order=up`);
    assert.equal(badOrder.status, 400);
    assert.equal(badOrder.body.error.field, 'order');
    const page = await api('GET', `/folders/${study.id}?sort=size&order=desc&limit=2`);
    assert.ok(page.body.nextCursor);
    const mixed = await api('GET', `/folders/${study.id}?sort=name&limit=2&cursor=${page.body.nextCursor}`);
    assert.equal(mixed.status, 400);
    assert.equal(mixed.body.error.field, 'cursor');
  });

  it('sorts the same way for a client in the portal and for a link holder', async () => {
    const client = await makeClient(t, token, [study.id]);
    const portal = await all(`/portal/folders/${study.id}?sort=size&order=desc`, { token: client.token });
    const staff = await all(`/folders/${study.id}?sort=size&order=desc`);
    assert.deepEqual(portal, staff);
    const email = `enlace-${process.pid}@example.com`;
    const sent = await api('POST', `/folders/${study.id}/send`, { email });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const share = await shareToken(t, email);
    assert.deepEqual(await all('/share?sort=size&order=desc', { share }), staff);
    const placas = (await api('GET', `/folders/${study.id}`)).body.folders.find((f: any) => f.name === 'Placas');
    const inside = await all(`/share/folders/${placas.id}?sort=name&order=desc`, { share });
    assert.deepEqual(inside, ['d-mano.pdf']);
    const bad = await t.api('GET', '/share?order=sideways', { share });
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'order');
  });
});
