/**
 * Upgrading a deployment made before sorted listings and search (issue 16): folders and files written
 * then have no sort keys and no name-index entries. The backfill (scripts/backfill-index.ts, the store's
 * backfillSortAndSearch) gives them both, once, for live nodes only. Against the local stack, as the
 * operator would run it; the items are made "old" by removing what the old code did not write.
 */
import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { makeFile, makeFolder } from '../support/story.ts';

describe('backfill of sort keys and the name index', () => {
  let t: TestStack;
  let staff: string;
  beforeAll(async () => {
    t = await startTestStack();
    staff = await t.adminToken();
  });
  afterAll(() => t?.stop());

  it('old folders and files become sortable and findable; trashed ones stay out; a rerun changes nothing', async () => {
    const folder = await makeFolder(t, staff, 'Expedientes antiguos');
    const sub = await makeFolder(t, staff, 'Renta 2019', folder.id);
    const small = await makeFile(t, staff, folder.id, 'Declaración pequeña.pdf', Buffer.alloc(100, 1));
    const big = await makeFile(t, staff, folder.id, 'Declaración grande.pdf', Buffer.alloc(5000, 2));
    const gone = await makeFile(t, staff, folder.id, 'Declaración borrada.pdf', Buffer.alloc(50, 3));
    assert.equal((await t.api('DELETE', `/files/${gone.id}`, { token: staff })).status, 204);

    // As the code before issue 16 wrote them: no sort keys, no index entries.
    const { db, table } = await import('../../functions/store/client.ts');
    const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
    const { deleteEntries } = await import('../../functions/store/search.ts');
    const nodes: Array<{ kind: 'folder' | 'file'; id: string; name: string; ancestors: string[] }> = [
      { kind: 'folder', id: folder.id, name: 'Expedientes antiguos', ancestors: ['root'] },
      { kind: 'folder', id: sub.id, name: 'Renta 2019', ancestors: ['root', folder.id] },
      { kind: 'file', id: small.id, name: 'Declaración pequeña.pdf', ancestors: ['root', folder.id] },
      { kind: 'file', id: big.id, name: 'Declaración grande.pdf', ancestors: ['root', folder.id] },
      { kind: 'file', id: gone.id, name: 'Declaración borrada.pdf', ancestors: ['root', folder.id] },
    ];
    for (const n of nodes) {
      await db.send(
        new UpdateCommand({
          TableName: table(),
          Key: { PK: `${n.kind === 'folder' ? 'FOLDER' : 'FILE'}#${n.id}`, SK: 'META' },
          UpdateExpression: 'REMOVE GSI3SK, GSI4SK',
        }),
      );
      await deleteEntries(n);
    }
    const search = async (q: string) =>
      (await t.api('GET', `/search?q=${encodeURIComponent(q)}`, { token: staff })).body.items.map((i: any) => i.name);
    const bySize = async () =>
      (await t.api('GET', `/folders/${folder.id}?sort=size&order=desc`, { token: staff })).body.files.map(
        (f: any) => f.name,
      );
    assert.deepEqual(await search('declaracion'), [], 'before: the old items are not in the index');
    assert.deepEqual(await bySize(), [], 'nor in the size order');

    const { backfillSortAndSearch } = await import('../../functions/store/backfill.ts');
    const first = await backfillSortAndSearch({ pageSize: 7 });
    assert.ok(first.nodes >= 4, `${first.nodes} nodes given their keys`);
    assert.equal(first.next, undefined, 'the whole table was walked');
    assert.deepEqual((await search('declaracion')).sort(), ['Declaración grande.pdf', 'Declaración pequeña.pdf']);
    assert.deepEqual(await search('renta'), ['Renta 2019']);
    assert.deepEqual(await bySize(), ['Declaración grande.pdf', 'Declaración pequeña.pdf'], 'largest first');
    // The trashed file got nothing back: restoring it is what lists it again.
    const trash = (await t.api('GET', '/trash', { token: staff })).body.items.map((i: any) => i.name);
    assert.ok(trash.includes('Declaración borrada.pdf'));

    const again = await backfillSortAndSearch();
    assert.equal(again.nodes, first.nodes, 'a rerun writes the same, no more');
    assert.deepEqual(await bySize(), ['Declaración grande.pdf', 'Declaración pequeña.pdf']);
  });
});
