/**
 * A stale ancestry chain (a move whose subtree rewrite has not finished, or
 * crashed) is answered correctly by the client functions without writing any
 * node item: their roles may not (the gateway enforces the roles as AWS does,
 * so a write there would be AccessDenied and a 500). Staff reads repair it.
 */

import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { makeClient, makeFile, makeFolder, shareToken } from '../support/story.ts';

describe('a stale chain, read by clients and by staff', () => {
  let t: TestStack;
  let staff: string;
  const ids = {} as Record<'A' | 'B' | 'C' | 'file', string>;
  let client: { token: string };
  let link: string;

  beforeAll(async () => {
    t = await startTestStack();
    staff = await t.adminToken();
    const A = await makeFolder(t, staff, 'Antes');
    const B = await makeFolder(t, staff, 'Movida', A.id);
    const C = await makeFolder(t, staff, 'Después');
    const file = await makeFile(t, staff, B.id, 'contrato.pdf');
    Object.assign(ids, { A: A.id, B: B.id, C: C.id, file: file.id });
    // B moves under C; its file's stored ancestry is rewritten by the move...
    const moved = await t.api('PATCH', `/folders/${B.id}`, {
      token: staff,
      body: { parentId: C.id, version: B.version },
    });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    // ...and is put back as if that rewrite had crashed half-way: the file still says root/A/B.
    const nodes = await import('../../functions/store/nodes.ts');
    await nodes.setAncestors('file', file.id, ['root', A.id, B.id]);
    client = await makeClient(t, staff, [C.id]);
    await t.api('POST', `/folders/${C.id}/send`, { token: staff, body: { email: 'stale-link@example.com' } });
    link = await shareToken(t, 'stale-link@example.com');
  });
  afterAll(() => t?.stop());

  const stored = async () => {
    const nodes = await import('../../functions/store/nodes.ts');
    return (await nodes.getFile(ids.file))!.ancestors;
  };

  it('the portal downloads the file through its true chain, and writes nothing of the tree', async () => {
    const res = await t.api('GET', `/portal/files/${ids.file}/download`, { token: client.token });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.ok(res.body.url);
    const event = (await t.api('GET', `/activity?fileId=${ids.file}&type=download`, { token: staff })).body.events[0];
    assert.deepEqual(event.target.path, ['Después', 'Movida'], 'recorded with the path the client sees');
    assert.deepEqual(await stored(), ['root', ids.A, ids.B], 'the client function repaired nothing');
  });

  it('a link holder does too', async () => {
    const res = await t.api('GET', `/share/files/${ids.file}/download`, { share: link });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(await stored(), ['root', ids.A, ids.B]);
  });

  it('no function was refused anything along the way', async () => {
    assert.deepEqual(await t.denials(), []);
  });

  it('staff reading the file repair its stored chain', async () => {
    const res = await t.api('GET', `/files/${ids.file}`, { token: staff });
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.path.map((p: { name: string }) => p.name),
      [res.body.path[0].name, 'Después', 'Movida'],
    );
    assert.deepEqual(await stored(), ['root', ids.C, ids.B]);
  });
});
