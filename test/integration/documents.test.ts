import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { download, uploadWith } from '../support/upload.ts';

const MiB = 1024 * 1024;

describe('documents: folders, uploads, versions, trash (staff API)', () => {
  let t: TestStack;
  let token: string;
  const api = (method: string, path: string, body?: unknown) => t.api(method, path, { token, body });

  async function folder(name: string, parentId = 'root') {
    const res = await api('POST', '/folders', { parentId, name });
    assert.equal(res.status, 201, JSON.stringify(res.body));
    return res.body;
  }

  async function uploadFile(folderId: string, name: string, bytes: Uint8Array, contentType = 'application/pdf') {
    const start = await api('POST', `/folders/${folderId}/files`, { name, size: bytes.length, contentType });
    assert.equal(start.status, 201, JSON.stringify(start.body));
    const parts = await uploadWith(start.body.upload, bytes, contentType);
    const done = await api(
      'POST',
      `/files/${start.body.file.id}/versions/${start.body.versionId}/complete`,
      parts ? { parts } : {},
    );
    assert.equal(done.status, 200, JSON.stringify(done.body));
    return { fileId: start.body.file.id as string, versionId: start.body.versionId as string, done: done.body };
  }

  beforeAll(async () => {
    t = await startTestStack({
      MULTIPART_THRESHOLD: String(5 * MiB),
      MULTIPART_PART_SIZE: String(5 * MiB),
      MAX_MULTIPART_UPLOAD: String(64 * MiB),
      MAX_SINGLE_UPLOAD: String(5 * MiB),
    });
    token = await t.adminToken();
  });
  afterAll(() => t?.stop());

  it('creates folders and lists them sorted by name, ignoring case and accents', async () => {
    const parent = await folder('Clientes');
    for (const n of ['zeta', 'Árbol', 'beta', 'Álvarez García', 'alfa']) await folder(n, parent.id);
    const res = await api('GET', `/folders/${parent.id}`);
    assert.equal(res.status, 200);
    assert.deepEqual(
      res.body.folders.map((f: any) => f.name),
      ['alfa', 'Álvarez García', 'Árbol', 'beta', 'zeta'],
    );
    assert.deepEqual(res.body.path.map((p: any) => p.name).slice(1), ['Clientes']);
    assert.equal(res.body.path[0].id, 'root');
    for (const key of ['id', 'name', 'parentId', 'version', 'createdAt', 'updatedAt'])
      assert.ok(key in res.body.folder, key);
    const root = await api('GET', '/folders/root');
    assert.ok(root.body.folders.some((f: any) => f.id === parent.id));
  });

  it('pages a folder with a cursor', async () => {
    const parent = await folder('Paginada');
    for (let i = 0; i < 5; i++) await folder(`carpeta ${i}`, parent.id);
    const first = await api('GET', `/folders/${parent.id}?limit=2`);
    assert.equal(first.body.folders.length, 2);
    assert.ok(first.body.nextCursor);
    const seen = [...first.body.folders];
    let cursor = first.body.nextCursor;
    while (cursor) {
      const next = await api('GET', `/folders/${parent.id}?limit=2&cursor=${cursor}`);
      seen.push(...next.body.folders);
      cursor = next.body.nextCursor;
    }
    assert.deepEqual(
      seen.map((f) => f.name),
      [0, 1, 2, 3, 4].map((i) => `carpeta ${i}`),
    );
    const bad = await api('GET', `/folders/${parent.id}?cursor=garbage`);
    assert.equal(bad.status, 400);
    assert.equal(bad.body.error.field, 'cursor');
  });

  it('refuses a second child with the same name ignoring case, and a missing parent', async () => {
    const parent = await folder('Nombres');
    await folder('Facturas 2025', parent.id);
    const dup = await api('POST', '/folders', { parentId: parent.id, name: 'FACTURAS 2025' });
    assert.equal(dup.status, 409);
    assert.equal(dup.body.error.code, 'name_taken');
    const missing = await api('POST', '/folders', { parentId: '01JZZZZZZZZZZZZZZZZZZZZZZZ', name: 'x' });
    assert.equal(missing.status, 404);
    assert.deepEqual(missing.body, { error: { code: 'not_found', message: 'Not found.' } });
  });

  it('applies the naming rules and names the field in every 400', async () => {
    const cases: Array<[unknown, string]> = [
      [{ parentId: 'root', name: '   ' }, 'name'],
      [{ parentId: 'root', name: 'a/b' }, 'name'],
      [{ parentId: 'root', name: 'a\\b' }, 'name'],
      [{ parentId: 'root', name: '..' }, 'name'],
      [{ parentId: 'root', name: '.' }, 'name'],
      [{ parentId: 'root', name: 'tab\there' }, 'name'],
      [{ parentId: 'root', name: 'x'.repeat(256) }, 'name'],
      [{ parentId: 'root', name: 'evil\u202Efdp.exe' }, 'name'],
      [{ parentId: 'root', name: 42 }, 'name'],
      [{ parentId: 'root' }, 'name'],
      [{ parentId: 'root', name: 'ok', ownerId: 'me' }, 'ownerId'],
    ];
    for (const [body, field] of cases) {
      const res = await api('POST', '/folders', body);
      assert.equal(res.status, 400, JSON.stringify(body));
      assert.equal(res.body.error.field, field, JSON.stringify(res.body));
      assert.equal(typeof res.body.error.message, 'string');
    }
    const malformed = await t.api('POST', '/folders', {
      token,
      rawBody: '{"parentId":',
      headers: { 'content-type': 'application/json' },
    });
    assert.equal(malformed.status, 400);
    assert.equal(malformed.body.error.field, 'body');
    // Any other Unicode is kept exactly, after trimming and NFC.
    const kept = await folder('  Ñandú 😀 e\u0301  ');
    assert.equal(kept.name, 'Ñandú 😀 é');
    assert.equal(kept.name.length, 'Ñandú 😀 é'.length);
  });

  it('uploads with the presigned POST, completes, and downloads the same bytes', async () => {
    const parent = await folder('Subidas');
    const bytes = randomBytes(70_000);
    const { fileId, versionId } = await uploadFile(parent.id, 'Declaración IVA.pdf', bytes);
    const listing = await api('GET', `/folders/${parent.id}`);
    assert.deepEqual(
      listing.body.files.map((f: any) => f.name),
      ['Declaración IVA.pdf'],
    );
    const file = listing.body.files[0];
    assert.equal(file.size, bytes.length);
    assert.equal(file.currentVersionId, versionId);
    const dl = await api('GET', `/files/${fileId}/download`);
    assert.equal(dl.status, 200);
    assert.ok(Date.parse(dl.body.expiresAt) - Date.now() <= 300_000);
    const got = await download(dl.body.url);
    assert.equal(got.status, 200);
    assert.ok(got.bytes.equals(bytes));
    assert.match(
      got.headers.get('content-disposition')!,
      /^attachment; filename="Declaraci_n IVA.pdf"; filename\*=UTF-8''Declaraci%C3%B3n%20IVA\.pdf$/,
    );
    const inline = await api('GET', `/files/${fileId}/download?disposition=inline`);
    assert.match((await download(inline.body.url)).headers.get('content-disposition')!, /^inline;/);
  });

  it('never shows an upload that was not completed, and completing is idempotent', async () => {
    const parent = await folder('Pendientes');
    const start = await api('POST', `/folders/${parent.id}/files`, {
      name: 'a medias.pdf',
      size: 10,
      contentType: 'application/pdf',
    });
    assert.equal(start.status, 201);
    assert.equal((await api('GET', `/folders/${parent.id}`)).body.files.length, 0);
    assert.equal((await api('GET', `/files/${start.body.file.id}`)).status, 404);
    const early = await api('POST', `/files/${start.body.file.id}/versions/${start.body.versionId}/complete`, {});
    assert.equal(early.status, 409);
    assert.equal(early.body.error.code, 'upload_missing');
    // The POST policy pins the exact size: S3 (the local gateway, as S3 does) stores nothing else.
    await assert.rejects(uploadWith(start.body.upload, randomBytes(7), 'application/pdf'), /EntityTooSmall/);
    const wrong = await api('POST', `/files/${start.body.file.id}/versions/${start.body.versionId}/complete`, {});
    assert.equal(wrong.status, 409);
    assert.equal(wrong.body.error.code, 'upload_missing');
    await uploadWith(start.body.upload, randomBytes(10), 'application/pdf');
    const first = await api('POST', `/files/${start.body.file.id}/versions/${start.body.versionId}/complete`, {});
    const again = await api('POST', `/files/${start.body.file.id}/versions/${start.body.versionId}/complete`, {});
    assert.equal(first.status, 200);
    assert.equal(again.status, 200);
    assert.deepEqual(again.body.file, first.body.file);
    assert.equal((await api('GET', `/folders/${parent.id}`)).body.files.length, 1);
  });

  it('uploads a file just over the multipart threshold in parts', async () => {
    const parent = await folder('Grandes');
    const bytes = randomBytes(5 * MiB + 1);
    const start = await api('POST', `/folders/${parent.id}/files`, {
      name: 'estudio.dcm',
      size: bytes.length,
      contentType: 'application/dicom',
    });
    assert.equal(start.status, 201);
    assert.equal(start.body.upload.type, 'multipart');
    assert.equal(start.body.upload.parts.length, 2);
    const noParts = await api('POST', `/files/${start.body.file.id}/versions/${start.body.versionId}/complete`, {});
    assert.equal(noParts.status, 400);
    const parts = await uploadWith(start.body.upload, bytes, 'application/dicom');
    const done = await api('POST', `/files/${start.body.file.id}/versions/${start.body.versionId}/complete`, { parts });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    const dl = await api('GET', `/files/${start.body.file.id}/download`);
    assert.ok((await download(dl.body.url)).bytes.equals(bytes));
  });

  it('refuses declared sizes over the limits with 413', async () => {
    const res = await api('POST', '/folders/root/files', {
      name: 'huge.bin',
      size: 65 * MiB,
      contentType: 'application/octet-stream',
    });
    assert.equal(res.status, 413);
    assert.equal(res.body.error.field, 'size');
    const badType = await api('POST', '/folders/root/files', { name: 'x.bin', size: 1, contentType: 'not a type' });
    assert.equal(badType.status, 400);
    assert.equal(badType.body.error.field, 'contentType');
  });

  it('replaces what download returns with a new version, and keeps the old one by versionId', async () => {
    const parent = await folder('Versiones');
    const v1 = randomBytes(1000);
    const v2 = randomBytes(2000);
    const { fileId, versionId: first } = await uploadFile(parent.id, 'contrato.pdf', v1);
    const start = await api('POST', `/files/${fileId}/versions`, { size: v2.length, contentType: 'application/pdf' });
    assert.equal(start.status, 201);
    // Until completed, the current version is still the first.
    assert.ok((await download((await api('GET', `/files/${fileId}/download`)).body.url)).bytes.equals(v1));
    await uploadWith(start.body.upload, v2, 'application/pdf');
    assert.equal((await api('POST', `/files/${fileId}/versions/${start.body.versionId}/complete`, {})).status, 200);
    assert.ok((await download((await api('GET', `/files/${fileId}/download`)).body.url)).bytes.equals(v2));
    assert.ok(
      (await download((await api('GET', `/files/${fileId}/download?versionId=${first}`)).body.url)).bytes.equals(v1),
    );
    const details = await api('GET', `/files/${fileId}`);
    assert.deepEqual(
      details.body.versions.map((v: any) => v.versionId),
      [start.body.versionId, first],
    );
    assert.equal(details.body.file.size, 2000);
    assert.deepEqual(details.body.path.map((p: any) => p.name).slice(1), ['Versiones']);
    assert.equal((await api('GET', `/files/${fileId}/download?versionId=01JZZZZZZZZZZZZZZZZZZZZZZZ`)).status, 404);
  });

  it('renames and moves folders, keeps the subtree ancestry right, and refuses moving into itself', async () => {
    const a = await folder('Mover A');
    const b = await folder('Mover B');
    const child = await folder('Hija', a.id);
    const grandchild = await folder('Nieta', child.id);
    const { fileId } = await uploadFile(grandchild.id, 'nota.pdf', randomBytes(10));
    const into = await api('PATCH', `/folders/${a.id}`, { parentId: grandchild.id, version: a.version });
    assert.equal(into.status, 400);
    assert.equal(into.body.error.field, 'parentId');
    assert.equal((await api('PATCH', `/folders/${a.id}`, { parentId: a.id, version: a.version })).status, 400);

    const moved = await api('PATCH', `/folders/${child.id}`, {
      parentId: b.id,
      name: 'Hija movida',
      version: child.version,
    });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    assert.equal(moved.body.parentId, b.id);
    assert.equal(moved.body.version, child.version + 1);
    const deep = await api('GET', `/folders/${grandchild.id}`);
    assert.deepEqual(deep.body.path.map((p: any) => p.name).slice(1), ['Mover B', 'Hija movida', 'Nieta']);
    const file = await api('GET', `/files/${fileId}`);
    assert.deepEqual(file.body.path.map((p: any) => p.name).slice(1), ['Mover B', 'Hija movida', 'Nieta']);
    assert.equal((await api('GET', `/folders/${a.id}`)).body.folders.length, 0);

    const stale = await api('PATCH', `/folders/${child.id}`, { name: 'otra', version: child.version });
    assert.equal(stale.status, 409);
    // The old name is free again in the old parent.
    await folder('Hija', a.id);
  });

  it('renames and moves files with the same conflict rules', async () => {
    const a = await folder('Archivos A');
    const b = await folder('Archivos B');
    const { fileId } = await uploadFile(a.id, 'informe.pdf', randomBytes(10));
    await uploadFile(b.id, 'INFORME.pdf', randomBytes(10));
    const meta = (await api('GET', `/files/${fileId}`)).body.file;
    const clash = await api('PATCH', `/files/${fileId}`, { folderId: b.id, version: meta.version });
    assert.equal(clash.status, 409);
    const ok = await api('PATCH', `/files/${fileId}`, {
      folderId: b.id,
      name: 'informe final.pdf',
      version: meta.version,
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.folderId, b.id);
    assert.deepEqual(
      (await api('GET', `/folders/${b.id}`)).body.files.map((f: any) => f.name),
      ['informe final.pdf', 'INFORME.pdf'],
    );
  });

  it('trashes a folder with everything under it and restores it to its place', async () => {
    const top = await folder('Papelera');
    const inner = await folder('Dentro', top.id);
    const { fileId } = await uploadFile(inner.id, 'dentro.pdf', randomBytes(10));
    assert.equal((await api('DELETE', `/folders/${top.id}`)).status, 204);
    assert.equal((await api('GET', `/folders/${top.id}`)).status, 404);
    assert.equal((await api('GET', `/folders/${inner.id}`)).status, 404);
    assert.equal((await api('GET', `/files/${fileId}`)).status, 404);
    assert.ok(!(await api('GET', '/folders/root')).body.folders.some((f: any) => f.id === top.id));
    const trash = await api('GET', '/trash');
    const entry = trash.body.items.find((i: any) => i.id === top.id);
    assert.equal(entry.kind, 'folder');
    assert.equal(entry.trashedBy, t.stack.admin.id);
    assert.ok(entry.trashedAt);
    assert.equal((await api('DELETE', `/folders/${top.id}`)).status, 404);

    // Its name is free meanwhile; restoring then clashes unless renamed.
    const usurper = await folder('Papelera');
    const clash = await api('POST', `/trash/${top.id}/restore`, {});
    assert.equal(clash.status, 409);
    const restored = await api('POST', `/trash/${top.id}/restore`, { name: 'Papelera (recuperada)' });
    assert.equal(restored.status, 200, JSON.stringify(restored.body));
    assert.equal(restored.body.name, 'Papelera (recuperada)');
    assert.equal((await api('GET', `/files/${fileId}`)).status, 200);
    assert.ok(usurper.id);
    assert.ok(!(await api('GET', '/trash')).body.items.some((i: any) => i.id === top.id));
  });

  it('trashes and restores a single file', async () => {
    const parent = await folder('Un archivo');
    const { fileId } = await uploadFile(parent.id, 'borrar.pdf', randomBytes(10));
    assert.equal((await api('DELETE', `/files/${fileId}`)).status, 204);
    assert.equal((await api('GET', `/files/${fileId}/download`)).status, 404);
    assert.equal((await api('GET', `/folders/${parent.id}`)).body.files.length, 0);
    assert.equal((await api('POST', `/trash/${fileId}/restore`, {})).status, 200);
    assert.equal((await api('GET', `/folders/${parent.id}`)).body.files.length, 1);
  });

  it('lets exactly one of two concurrent renames win', async () => {
    const f = await folder('Carrera');
    const [r1, r2] = await Promise.all([
      api('PATCH', `/folders/${f.id}`, { name: 'Carrera uno', version: f.version }),
      api('PATCH', `/folders/${f.id}`, { name: 'Carrera dos', version: f.version }),
    ]);
    assert.deepEqual([r1.status, r2.status].sort(), [200, 409]);
    const winner = r1.status === 200 ? r1.body.name : r2.body.name;
    const loser = r1.status === 200 ? 'Carrera dos' : 'Carrera uno';
    assert.equal((await api('GET', `/folders/${f.id}`)).body.folder.name, winner);
    // The loser's name claim was released: nothing is left blocked.
    await folder(loser);
  });

  it('creates exactly one of two same-named folders made at the same instant', async () => {
    const parent = await folder('Simultáneas');
    const results = await Promise.all(
      Array.from({ length: 6 }, () => api('POST', '/folders', { parentId: parent.id, name: 'Duplicada' })),
    );
    assert.equal(results.filter((r) => r.status === 201).length, 1);
    assert.equal(results.filter((r) => r.status === 409).length, 5);
    assert.equal((await api('GET', `/folders/${parent.id}`)).body.folders.length, 1);
  });

  it('keeps web users out of every staff route', async () => {
    const client = await t.user('webuser');
    const res = await t.api('GET', '/folders/root', { token: client.token });
    assert.equal(res.status, 403);
    assert.equal((await t.api('GET', '/folders/root')).status, 401);
  });
});
