/**
 * Any size S3 accepts can be uploaded (issue 18, item 6): the start of a multipart upload answers one page
 * of part URLs, and GET /files/{id}/versions/{versionId}/parts hands out the rest a page at a time, so a
 * 10,000-part upload never puts 10,000 URLs (each with a session token) in one Lambda response. Upload URLs
 * live no longer than their bytes need (issue 14, finding 12). Against the local stack, with S3's own
 * signatures checked by the gateway.
 */

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { download, uploadWith } from '../support/upload.ts';

const MiB = 1024 * 1024;
const TiB = 1024 ** 4;

describe('big uploads: part URLs in pages, URLs that expire with their upload', () => {
  let t: TestStack;
  let token: string;
  let folderId: string;
  const api = (method: string, path: string, body?: unknown) => t.api(method, path, { token, body });
  const expiresOf = (url: string) => Number(new URL(url).searchParams.get('X-Amz-Expires'));

  beforeAll(async () => {
    t = await startTestStack({ MULTIPART_THRESHOLD: String(5 * MiB), MULTIPART_PART_SIZE: String(5 * MiB) });
    token = await t.adminToken();
    folderId = (await api('POST', '/folders', { parentId: 'root', name: 'Estudios' })).body.id;
  });
  afterAll(() => t?.stop());

  it('a 5 TiB study: 10,000 parts, ten URLs at the start, the others in pages of 100, up to part 10,000', async () => {
    const start = await api('POST', `/folders/${folderId}/files`, {
      name: 'estudio-completo.dcm',
      size: 5 * TiB,
      contentType: 'application/dicom',
    });
    assert.equal(start.status, 201, JSON.stringify(start.body));
    const { upload } = start.body;
    assert.equal(upload.type, 'multipart');
    assert.equal(upload.partCount, 10_000, "S3's most parts");
    assert.equal(upload.parts.length, 10);
    assert.ok(JSON.stringify(start.body).length < 64 * 1024, 'the answer stays small');
    const base = `/files/${start.body.file.id}/versions/${start.body.versionId}/parts`;
    // The pages right after the first, in the middle and at the very end (S3's part 10,000).
    for (const from of [11, 5001, 9901]) {
      const to = from + 99;
      const page = await api('GET', `${base}?from=${from}&to=${to}`);
      assert.equal(page.status, 200, JSON.stringify(page.body));
      assert.deepEqual(
        page.body.parts.map((p: any) => p.partNumber),
        Array.from({ length: 100 }, (_, i) => from + i),
      );
      for (const p of page.body.parts) {
        assert.equal(new URL(p.url).searchParams.get('partNumber'), String(p.partNumber));
        assert.equal(new URL(p.url).searchParams.get('uploadId'), upload.uploadId);
        assert.ok(expiresOf(p.url) <= 3600, 'a page of URLs lives an hour at most');
      }
    }
    const tooMany = await api('GET', `${base}?from=1&to=101`);
    assert.equal(tooMany.status, 400);
    assert.equal(tooMany.body.error.field, 'to');
    const beyond = await api('GET', `${base}?from=10001&to=10001`);
    assert.equal(beyond.status, 400);
    assert.equal(beyond.body.error.field, 'from');
  });

  it('an upload of eleven parts through two pages of URLs completes, byte for byte', async () => {
    const bytes = randomBytes(10 * 5 * MiB + 1234);
    const start = await api('POST', `/folders/${folderId}/files`, {
      name: 'serie.dcm',
      size: bytes.length,
      contentType: 'application/dicom',
    });
    const { file, versionId, upload } = start.body;
    assert.equal(upload.partCount, 11);
    const more = async (from: number, to: number) => {
      const page = await api('GET', `/files/${file.id}/versions/${versionId}/parts?from=${from}&to=${to}`);
      assert.equal(page.status, 200, JSON.stringify(page.body));
      return page.body.parts;
    };
    const parts = await uploadWith(upload, bytes, 'application/dicom', more);
    assert.equal(parts?.length, 11);
    const done = await api('POST', `/files/${file.id}/versions/${versionId}/complete`, { parts });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    const dl = await api('GET', `/files/${file.id}/download`);
    const got = await download(dl.body.url);
    assert.equal(
      createHash('sha256').update(got.bytes).digest('hex'),
      createHash('sha256').update(bytes).digest('hex'),
    );
    // Done: no more part URLs for it.
    const after = await api('GET', `/files/${file.id}/versions/${versionId}/parts?from=1&to=1`);
    assert.equal(after.status, 404);
  });

  it('S3 refuses to complete an upload whose first part is under its 5 MiB minimum: 400 naming the parts', async () => {
    const bytes = randomBytes(5 * MiB + 10);
    const start = await api('POST', `/folders/${folderId}/files`, {
      name: 'corta.dcm',
      size: bytes.length,
      contentType: 'application/dicom',
    });
    const { file, versionId, upload } = start.body;
    assert.equal(upload.partCount, 2);
    // Part 1 carries 10 bytes instead of 5 MiB; part 2, the last, may be small.
    const sizes = [10, 5 * MiB];
    const parts = [];
    for (const p of upload.parts) {
      const res = await fetch(p.url, { method: 'PUT', body: bytes.subarray(0, sizes[p.partNumber - 1]) });
      assert.equal(res.status, 200);
      parts.push({ partNumber: p.partNumber, etag: res.headers.get('etag')! });
    }
    const done = await api('POST', `/files/${file.id}/versions/${versionId}/complete`, { parts });
    assert.equal(done.status, 400, JSON.stringify(done.body));
    assert.equal(done.body.error.field, 'parts');
    assert.equal(done.body.error.rule, 'parts_refused');
    const listing = await api('GET', `/folders/${folderId}`);
    assert.ok(!JSON.stringify(listing.body).includes('corta.dcm'), 'nothing half-made is listed');
  });

  it("a small file's POST policy expires in about five minutes, not an hour", async () => {
    const start = await api('POST', `/folders/${folderId}/files`, {
      name: 'nomina.pdf',
      size: 2000,
      contentType: 'application/pdf',
    });
    const { upload } = start.body;
    assert.equal(upload.type, 'post');
    const policy = JSON.parse(Buffer.from(upload.fields.Policy, 'base64').toString('utf8'));
    const lifetime = (Date.parse(policy.expiration) - Date.now()) / 1000;
    assert.ok(lifetime > 240 && lifetime <= 302, `policy lives ${lifetime.toFixed(0)} s`);
    assert.ok(Math.abs(Date.parse(upload.expiresAt) - Date.parse(policy.expiration)) < 2000, 'the answer says when');
  });
});

describe("more than 1,000 parts, end to end (S3's part minimum lowered to 1 KiB, functions and gateway)", () => {
  let t: TestStack;
  afterAll(() => t?.stop());

  it('a 1,001-part upload fetches ten pages of part URLs, completes, and downloads byte for byte', async () => {
    const KiB = 1024;
    t = await startTestStack({
      MULTIPART_THRESHOLD: String(64 * KiB),
      MULTIPART_PART_SIZE: String(KiB),
      S3_MIN_PART_SIZE: String(KiB),
    });
    const token = await t.adminToken();
    const api = (method: string, path: string, body?: unknown) => t.api(method, path, { token, body });
    const folderId = (await api('POST', '/folders', { parentId: 'root', name: 'Serie larga' })).body.id;
    const bytes = randomBytes(1000 * KiB + 321);
    const start = await api('POST', `/folders/${folderId}/files`, {
      name: 'serie-1001.dcm',
      size: bytes.length,
      contentType: 'application/dicom',
    });
    assert.equal(start.status, 201, JSON.stringify(start.body));
    const { file, versionId, upload } = start.body;
    assert.equal(upload.partCount, 1001);
    let pages = 0;
    const parts = await uploadWith(upload, bytes, 'application/dicom', async (from, to) => {
      pages++;
      const page = await api('GET', `/files/${file.id}/versions/${versionId}/parts?from=${from}&to=${to}`);
      assert.equal(page.status, 200, JSON.stringify(page.body));
      return page.body.parts;
    });
    assert.equal(pages, 10);
    assert.equal(parts?.length, 1001);
    const done = await api('POST', `/files/${file.id}/versions/${versionId}/complete`, { parts });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    const got = await download((await api('GET', `/files/${file.id}/download`)).body.url);
    assert.equal(got.bytes.length, bytes.length);
    assert.ok(got.bytes.equals(bytes), 'the object S3 assembled is the bytes uploaded');
  });
});
