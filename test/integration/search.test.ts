/**
 * Issue 16, item 3: search by name, for staff anywhere, for clients and link holders only within
 * reach. Case- and accent-insensitive word prefixes, paths shaped like the listings' and never above
 * a grant, paged; kept right through rename, move, trash and restore, and grant changes.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { makeClient, makeFile, makeFolder, shareToken } from '../support/story.ts';

describe('search by name within reach', () => {
  let t: TestStack;
  let staff: string;
  let A: { id: string }, Asub: { id: string }, B: { id: string }, timed: { id: string };
  let nomina: { id: string };
  let clientA: { id: string; token: string };
  let clientB: { id: string; token: string };
  let link: string;
  const names = (res: { body: any }) => res.body.items.map((i: any) => i.name).sort();
  const search = (path: string, q: string, opts: { token?: string; share?: string; headers?: any }) =>
    t.api('GET', `${path}?q=${encodeURIComponent(q)}`, opts);

  beforeAll(async () => {
    t = await startTestStack();
    staff = await t.adminToken();
    A = await makeFolder(t, staff, 'Cliente Álvarez');
    Asub = await makeFolder(t, staff, 'Nóminas 2026', A.id);
    nomina = await makeFile(t, staff, Asub.id, 'Nómina octubre 2026.pdf');
    await makeFile(t, staff, Asub.id, 'NOMINA noviembre 2026.pdf');
    await makeFile(t, staff, A.id, 'Contrato.pdf');
    B = await makeFolder(t, staff, 'Cliente Bermúdez');
    await makeFile(t, staff, B.id, 'Nómina octubre 2026 B.pdf');
    timed = await makeFolder(t, staff, 'Temporal');
    await makeFile(t, staff, timed.id, 'nomina temporal.pdf');
    clientA = await makeClient(t, staff, [A.id], 'Cliente A');
    clientB = await makeClient(t, staff, [B.id], 'Cliente B');
    const expiresAt = new Date(Date.now() + 3600_000).toISOString();
    const grant = await t.api('PUT', `/folders/${timed.id}/grants/${clientA.id}`, {
      token: staff,
      body: { expiresAt },
    });
    assert.equal(grant.status, 200, JSON.stringify(grant.body));
    const sent = await t.api('POST', `/folders/${Asub.id}/send`, {
      token: staff,
      body: { email: 'busca@example.com' },
    });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    link = await shareToken(t, 'busca@example.com');
  });
  afterAll(() => t?.stop());

  it('finds by word prefixes ignoring case and accents, with the path from the root, for staff', async () => {
    const res = await search('/search', 'nomina oct', { token: staff });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(names(res), ['Nómina octubre 2026 B.pdf', 'Nómina octubre 2026.pdf']);
    const hit = res.body.items.find((i: any) => i.id === nomina.id);
    assert.deepEqual(hit.path.slice(1), [
      { id: A.id, name: 'Cliente Álvarez' },
      { id: Asub.id, name: 'Nóminas 2026' },
    ]);
    assert.equal(hit.path[0].id, 'root');
    assert.equal(hit.kind, 'file');
    assert.equal(hit.folderId, Asub.id);
    // Word prefixes, not substrings: "mina" starts no word.
    assert.deepEqual(names(await search('/search', 'mina', { token: staff })), []);
    const folders = await search('/search', 'NÓMINAS', { token: staff });
    assert.deepEqual(
      folders.body.items.map((i: any) => [i.kind, i.name]),
      [['folder', 'Nóminas 2026']],
    );
  });

  it('pages the results with a cursor, each item once', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    do {
      const res = await t.api(
        'GET',
        `/search?q=nomina&limit=2${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        { token: staff },
      );
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.ok(res.body.items.length <= 2);
      seen.push(...res.body.items.map((i: any) => i.name));
      cursor = res.body.nextCursor;
    } while (cursor);
    assert.deepEqual(seen.sort(), [
      'NOMINA noviembre 2026.pdf',
      'Nómina octubre 2026 B.pdf',
      'Nómina octubre 2026.pdf',
      'Nóminas 2026',
      'nomina temporal.pdf',
    ]);
  });

  it('answers a client only what their grants reach, with paths starting at the grant', async () => {
    const a = await search('/portal/search', 'nomina', { token: clientA.token });
    assert.equal(a.status, 200, JSON.stringify(a.body));
    assert.deepEqual(names(a), [
      'NOMINA noviembre 2026.pdf',
      'Nómina octubre 2026.pdf',
      'Nóminas 2026',
      'nomina temporal.pdf',
    ]);
    const hit = a.body.items.find((i: any) => i.id === nomina.id);
    assert.deepEqual(hit.path, [
      { id: A.id, name: 'Cliente Álvarez' },
      { id: Asub.id, name: 'Nóminas 2026' },
    ]);
    const top = await search('/portal/search', 'alvarez', { token: clientA.token });
    assert.deepEqual(
      top.body.items.map((i: any) => [i.name, i.path]),
      [['Cliente Álvarez', []]],
      'the granted folder itself, with nothing above it',
    );
    const b = await search('/portal/search', 'nomina oct', { token: clientB.token });
    assert.deepEqual(names(b), ['Nómina octubre 2026 B.pdf']);
    // Past the grant's expiry, its folder's documents are no longer found.
    const later = new Date(Date.now() + 2 * 3600_000).toISOString();
    const expired = await search('/portal/search', 'temporal', {
      token: clientA.token,
      headers: { 'x-carpeta-now': later },
    });
    assert.equal(expired.status, 200);
    assert.deepEqual(names(expired), []);
  });

  it('"view as": staff get exactly what the portal search answers that client, and nothing for staff ids', async () => {
    for (const [client, q] of [
      [clientA, 'nomina'],
      [clientB, 'nomina oct'],
      [clientA, 'alvarez'],
    ] as const) {
      const portal = await search('/portal/search', q, { token: client.token });
      const viewed = await search(`/webusers/${client.id}/view/search`, q, { token: staff });
      assert.equal(viewed.status, 200, JSON.stringify(viewed.body));
      assert.deepEqual(viewed.body.items, portal.body.items, `${client.id} "${q}"`);
    }
    const me = (await t.api('GET', '/me', { token: staff })).body;
    const notClient = await search(`/webusers/${me.id}/view/search`, 'nomina', { token: staff });
    assert.equal(notClient.status, 404, 'a staff account is not a web user');
    const asClient = await search(`/webusers/${clientA.id}/view/search`, 'nomina', { token: clientA.token });
    assert.equal(asClient.status, 403, 'a staff route');
  });

  it('answers a link holder only inside the linked folder, paths starting there', async () => {
    const res = await search('/share/search', 'nomina', { share: link });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(names(res), ['NOMINA noviembre 2026.pdf', 'Nómina octubre 2026.pdf', 'Nóminas 2026']);
    const hit = res.body.items.find((i: any) => i.id === nomina.id);
    assert.deepEqual(hit.path, [{ id: Asub.id, name: 'Nóminas 2026' }]);
    assert.deepEqual(names(await search('/share/search', 'contrato', { share: link })), []);
    const garbage = await search('/share/search', 'nomina', { share: 'x'.repeat(43) });
    assert.equal(garbage.status, 404);
  });

  it('refuses q shorter than 2 or longer than 100 characters, naming q', async () => {
    for (const q of ['n', ' ', 'x'.repeat(101)]) {
      const res = await search('/search', q, { token: staff });
      assert.equal(res.status, 400, q);
      assert.equal(res.body.error.field, 'q');
      const portal = await search('/portal/search', q, { token: clientA.token });
      assert.equal(portal.status, 400);
      assert.equal(portal.body.error.field, 'q');
    }
    const none = await t.api('GET', '/share/search', { share: link });
    assert.equal(none.status, 400);
    assert.equal(none.body.error.field, 'q');
  });

  it('keeps results right through rename, move, trash and restore, and grant changes', async () => {
    const api = (method: string, path: string, body?: unknown) => t.api(method, path, { token: staff, body });
    const file = (await api('GET', `/files/${nomina.id}`)).body.file;
    // Rename: found by the new words only.
    const renamed = await api('PATCH', `/files/${nomina.id}`, { name: 'Finiquito Ñandú.pdf', version: file.version });
    assert.equal(renamed.status, 200, JSON.stringify(renamed.body));
    assert.deepEqual(names(await search('/portal/search', 'nomina oct', { token: clientA.token })), []);
    assert.deepEqual(names(await search('/portal/search', 'nandu fini', { token: clientA.token })), [
      'Finiquito Ñandú.pdf',
    ]);
    // Move the whole subfolder into B: client A and the link no longer find it; client B does.
    const sub = (await api('GET', `/folders/${Asub.id}`)).body.folder;
    const moved = await api('PATCH', `/folders/${Asub.id}`, { parentId: B.id, version: sub.version });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.deepEqual(names(await search('/portal/search', 'finiquito', { token: clientA.token })), []);
    const forB = await search('/portal/search', 'finiquito', { token: clientB.token });
    assert.deepEqual(names(forB), ['Finiquito Ñandú.pdf']);
    assert.deepEqual(
      forB.body.items[0].path.map((p: any) => p.name),
      ['Cliente Bermúdez', 'Nóminas 2026'],
    );
    const staffPath = (await search('/search', 'finiquito', { token: staff })).body.items[0].path;
    assert.deepEqual(
      staffPath.slice(1).map((p: any) => p.id),
      [B.id, Asub.id],
    );
    // Trash the folder: nothing beneath it is found by anyone; restore brings it back.
    assert.equal((await api('DELETE', `/folders/${Asub.id}`)).status, 204);
    for (const [path, token] of [
      ['/search', staff],
      ['/portal/search', clientB.token],
    ] as const) {
      assert.deepEqual(names(await search(path, 'finiquito', { token })), [], path);
      assert.deepEqual(names(await search(path, 'nominas', { token })), [], path);
    }
    assert.equal((await api('POST', `/trash/${Asub.id}/restore`, {})).status, 200);
    assert.deepEqual(names(await search('/portal/search', 'finiquito', { token: clientB.token })), [
      'Finiquito Ñandú.pdf',
    ]);
    // A trashed file is not found; restored, it is.
    const contrato = (await search('/search', 'contrato', { token: staff })).body.items[0];
    assert.equal((await api('DELETE', `/files/${contrato.id}`)).status, 204);
    assert.deepEqual(names(await search('/portal/search', 'contrato', { token: clientA.token })), []);
    assert.equal((await api('POST', `/trash/${contrato.id}/restore`, {})).status, 200);
    assert.deepEqual(names(await search('/portal/search', 'contrato', { token: clientA.token })), ['Contrato.pdf']);
    // Revoking client B's grant: their search reaches nothing, and answers an empty list.
    assert.equal((await api('DELETE', `/folders/${B.id}/grants/${clientB.id}`)).status, 204);
    const revoked = await search('/portal/search', 'finiquito', { token: clientB.token });
    assert.equal(revoked.status, 200);
    assert.deepEqual(names(revoked), []);
  });
});
