/**
 * Issue 16, item 5: "download all" and "download the selection" for staff, clients and link holders.
 * Up to 100 files a call with a cursor for the rest; each file recorded as a single download is,
 * before its URL; what is out of reach is left out silently; bytes come straight from S3.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { makeClient, makeFile, makeFolder, shareToken } from '../support/story.ts';
import { download } from '../support/upload.ts';

describe('folder downloads: every file of a subtree or a selection, audit first', () => {
  let t: TestStack;
  let staff: string;
  let A: { id: string }, Asub: { id: string }, B: { id: string }, gone: { id: string };
  const bytes = new Map<string, Buffer>();
  const inSub: string[] = [];
  let top: string;
  let Bfile: string;
  let trashedFile: string;
  let client: { id: string; token: string };
  let link: string;

  async function file(folderId: string, name: string) {
    const b = randomBytes(500 + Math.floor(Math.random() * 2000));
    const f = await makeFile(t, staff, folderId, name, b);
    bytes.set(f.id, b);
    return f.id;
  }

  async function downloadEvents(fileId: string) {
    const res = await t.api('GET', `/activity?fileId=${fileId}&limit=100`, { token: staff });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    return res.body.events.filter((e: any) => e.type === 'download');
  }

  beforeAll(async () => {
    t = await startTestStack();
    staff = await t.adminToken();
    A = await makeFolder(t, staff, 'Estudio 4711');
    Asub = await makeFolder(t, staff, 'Serie 2', A.id);
    top = await file(A.id, 'informe.pdf');
    for (let i = 0; i < 101; i++) inSub.push(await file(Asub.id, `imagen-${String(i).padStart(3, '0')}.dcm`));
    gone = await makeFolder(t, staff, 'Descartes', A.id);
    trashedFile = await file(gone.id, 'descartada.dcm');
    assert.equal((await t.api('DELETE', `/folders/${gone.id}`, { token: staff })).status, 204);
    B = await makeFolder(t, staff, 'Otro paciente');
    Bfile = await file(B.id, 'ajeno.pdf');
    client = await makeClient(t, staff, [A.id], 'Paciente');
    const sent = await t.api('POST', `/folders/${Asub.id}/send`, { token: staff, body: { email: 'zip@example.com' } });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    link = await shareToken(t, 'zip@example.com');
  });
  afterAll(() => t?.stop());

  /** Every file of a whole-folder download, following the cursor; checks each page holds at most 100. */
  async function all(path: string, opts: { token?: string; share?: string }) {
    const files: any[] = [];
    let cursor: string | undefined;
    let calls = 0;
    do {
      const res = await t.api('POST', path, { ...opts, body: cursor ? { cursor } : {} });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      assert.ok(res.body.files.length <= 100);
      files.push(...res.body.files);
      cursor = res.body.nextCursor;
      calls++;
    } while (cursor);
    return { files, calls };
  }

  it('gives a client every file of the granted folder, in pages of 100, bytes identical, each recorded', async () => {
    const { files, calls } = await all(`/portal/folders/${A.id}/downloads`, { token: client.token });
    assert.ok(calls >= 2, 'over 100 files need more than one call');
    assert.deepEqual(files.map((f) => f.id).sort(), [top, ...inSub].sort(), 'the trashed folder’s file is left out');
    const sub = files.find((f) => f.id === inSub[7]);
    assert.deepEqual(sub.path, [{ id: Asub.id, name: 'Serie 2' }]);
    assert.equal(sub.name, 'imagen-007.dcm');
    assert.deepEqual(files.find((f) => f.id === top).path, []);
    for (const f of [sub, files.find((x) => x.id === top)]) {
      const got = await download(f.url);
      assert.equal(got.status, 200);
      assert.ok(got.bytes.equals(bytes.get(f.id)!), f.name);
      assert.equal(f.size, bytes.get(f.id)!.length);
      assert.ok(Date.parse(f.expiresAt) > Date.now());
      const events = await downloadEvents(f.id);
      assert.equal(events.length, 1, 'one download event per file taken');
      assert.equal(events[0].actor.id, client.id);
    }
  });

  it('takes a selection, silently leaving out what is trashed, elsewhere or out of reach', async () => {
    const res = await t.api('POST', `/portal/folders/${A.id}/downloads`, {
      token: client.token,
      body: { fileIds: [inSub[0], top, Bfile, trashedFile, 'no-such-file', inSub[0]] },
    });
    assert.equal(res.status, 200, JSON.stringify(res.body));
    assert.deepEqual(res.body.files.map((f: any) => f.id).sort(), [inSub[0], top].sort());
    assert.equal(res.body.nextCursor, undefined);
    assert.equal((await downloadEvents(Bfile)).length, 0, 'nothing recorded, nothing handed out');
    // A folder the client cannot reach is the same 404 as any other.
    const other = await t.api('POST', `/portal/folders/${B.id}/downloads`, { token: client.token, body: {} });
    assert.equal(other.status, 404);
    assert.ok(!JSON.stringify(other.body).includes('http'));
  });

  it('gives a link holder only the linked folder’s files, and staff any folder’s', async () => {
    const { files } = await all(`/share/folders/${Asub.id}/downloads`, { share: link });
    assert.deepEqual(files.map((f) => f.id).sort(), [...inSub].sort());
    assert.deepEqual(files[0].path, []);
    const above = await t.api('POST', `/share/folders/${A.id}/downloads`, { share: link, body: { fileIds: [top] } });
    assert.equal(above.status, 404);
    const got = await download(files[3].url);
    assert.ok(got.bytes.equals(bytes.get(files[3].id)!));
    const byStaff = await t.api('POST', `/folders/${B.id}/downloads`, { token: staff, body: {} });
    assert.equal(byStaff.status, 200, JSON.stringify(byStaff.body));
    assert.deepEqual(
      byStaff.body.files.map((f: any) => f.name),
      ['ajeno.pdf'],
    );
    assert.equal((await downloadEvents(Bfile)).length, 1);
  });

  it('refuses a malformed body, naming the field', async () => {
    const path = `/portal/folders/${A.id}/downloads`;
    const both = await t.api('POST', path, { token: client.token, body: { fileIds: [top], cursor: 'x' } });
    assert.equal(both.status, 400);
    assert.equal(both.body.error.field, 'cursor');
    const many = Array.from({ length: 101 }, (_, i) => `id${i}`);
    const tooMany = await t.api('POST', path, { token: client.token, body: { fileIds: many } });
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.body.error.field, 'fileIds');
    const unknown = await t.api('POST', path, { token: client.token, body: { everything: true } });
    assert.equal(unknown.status, 400);
    const badCursor = await t.api('POST', path, { token: client.token, body: { cursor: 'garbage' } });
    assert.equal(badCursor.status, 400);
    assert.equal(badCursor.body.error.field, 'cursor');
  });

  it('audit first: when the events cannot be stored, no URL is handed out', async () => {
    const before = (await downloadEvents(inSub[50])).length;
    await t.faults([{ service: 'dynamodb', operation: 'PutItem', kind: 'error' }]);
    try {
      for (const [path, token, share] of [
        [`/portal/folders/${A.id}/downloads`, client.token, undefined],
        [`/share/folders/${Asub.id}/downloads`, undefined, link],
        [`/folders/${Asub.id}/downloads`, staff, undefined],
      ] as const) {
        const res = await t.api('POST', path, { token, share, body: { fileIds: [inSub[50]] } });
        assert.equal(res.status, 503, `${path}: ${JSON.stringify(res.body)}`);
        assert.ok(!JSON.stringify(res.body).includes('X-Amz'), 'no URL');
      }
    } finally {
      await t.faults([]);
    }
    assert.equal((await downloadEvents(inSub[50])).length, before);
  });
});
