/**
 * Hashes that S3 itself checked (issue 17, item 6), through HTTP against the local stack, whose gateway
 * checks checksums as S3 does: an upload declares its SHA-256; a single POST's policy pins
 * `x-amz-checksum-sha256`, so S3 stores those bytes or nothing; a multipart upload's part URLs each sign
 * their part's SHA-256, so a tampered part is refused; `complete` records the hash and who checked it,
 * and the file, its receipts and the receipt PDF show both. Without a declared hash nothing is recorded.
 */

import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { makeClient, makeFile, makeFolder } from '../support/story.ts';

const KiB = 1024;
const sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('hex');
const base64Sha256 = (b: Uint8Array) => createHash('sha256').update(b).digest('base64');

/** A presigned POST of `bytes` with the policy's fields, optionally leaving some out. */
async function post(upload: any, bytes: Uint8Array, leaveOut: string[] = []) {
  const form = new FormData();
  for (const [k, v] of Object.entries(upload.fields as Record<string, string>))
    if (!leaveOut.includes(k)) form.append(k, v);
  form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'application/pdf' }), 'x.pdf');
  const res = await fetch(upload.url, { method: 'POST', body: form });
  return { status: res.status, text: await res.text() };
}

describe('hashes that S3 itself checked', () => {
  let t: TestStack;
  let staff: string;
  let folderId: string;
  const api = (method: string, path: string, body?: unknown) => t.api(method, path, { token: staff, body });
  const complete = (fileId: string, versionId: string, body: unknown = {}) =>
    api('POST', `/files/${fileId}/versions/${versionId}/complete`, body);

  beforeAll(async () => {
    // Multipart from 4 KiB in 1 KiB parts, S3's part minimum lowered to match (functions and gateway).
    t = await startTestStack({
      MULTIPART_THRESHOLD: String(4 * KiB),
      MULTIPART_PART_SIZE: String(KiB),
      S3_MIN_PART_SIZE: String(KiB),
    });
    staff = await t.adminToken();
    folderId = (await makeFolder(t, staff, 'Pólizas firmadas')).id;
  });
  afterAll(() => t?.stop());

  it('a single upload: S3 stores the declared bytes or nothing; the file, receipts and PDF show the hash', async () => {
    const bytes = randomBytes(3 * KiB);
    const start = await api('POST', `/folders/${folderId}/files`, {
      name: 'Póliza 2026.pdf',
      size: bytes.length,
      contentType: 'application/pdf',
      // Upper case is accepted; the hash is kept as sha256sum prints it.
      sha256: sha256(bytes).toUpperCase(),
    });
    assert.equal(start.status, 201, JSON.stringify(start.body));
    const { file, versionId, upload } = start.body;
    assert.equal(upload.type, 'post');
    assert.equal(upload.fields['x-amz-checksum-sha256'], base64Sha256(bytes));

    // Other bytes of the same size: S3 computes their SHA-256 and refuses them.
    const tampered = Buffer.from(bytes);
    tampered[100] ^= 0xff;
    const refused = await post(upload, tampered);
    assert.equal(refused.status, 400, refused.text);
    assert.match(refused.text, /BadDigest/);
    // Leaving the checksum out breaks the policy that pins it.
    const unpinned = await post(upload, tampered, ['x-amz-checksum-sha256']);
    assert.equal(unpinned.status, 403, unpinned.text);
    // Nothing was stored: completing now finds no upload, and nothing is listed.
    const early = await complete(file.id, versionId);
    assert.equal(early.status, 409, JSON.stringify(early.body));
    assert.equal(early.body.error.code, 'upload_missing');

    assert.equal((await post(upload, bytes)).status, 204);
    const done = await complete(file.id, versionId);
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body.version.sha256, sha256(bytes));
    assert.equal(done.body.version.verifiedBy, 's3');
    const details = await api('GET', `/files/${file.id}`);
    assert.equal(details.body.versions[0].sha256, sha256(bytes));
    assert.equal(details.body.versions[0].verifiedBy, 's3');

    // A client downloads it: the receipts and the receipt PDF carry the hash and who checked it.
    const client = await makeClient(t, staff, [folderId], 'Tomadora');
    assert.equal((await t.api('GET', `/portal/files/${file.id}/download`, { token: client.token })).status, 200);
    const receipts = await api('GET', `/files/${file.id}/receipts`);
    assert.equal(receipts.body.file.sha256, sha256(bytes));
    assert.equal(receipts.body.file.verifiedBy, 's3');
    const mine = receipts.body.recipients.find((r: any) => r.id === client.id);
    const receipt = await api('GET', `/receipts/${mine.receiptId}`);
    assert.equal(receipt.body.what.sha256, sha256(bytes));
    assert.equal(receipt.body.what.verifiedBy, 's3');
    const pdf = await fetch(`${t.stack.apiUrl}/receipts/${mine.receiptId}?format=pdf`, {
      headers: { authorization: `Bearer ${staff}` },
    });
    const text = Buffer.from(await pdf.arrayBuffer()).toString('latin1');
    assert.ok(text.includes(`SHA-256: ${sha256(bytes)}`), 'the PDF names the hash');
    assert.ok(text.includes('Amazon S3, que rechaza'), 'and that S3 checked it');
  });

  it("multipart: each part URL signs its part's SHA-256; a tampered part is refused; 's3-parts'", async () => {
    const bytes = randomBytes(5 * KiB + 100);
    const partOf = (n: number) => bytes.subarray((n - 1) * KiB, n * KiB);
    const start = await api('POST', `/folders/${folderId}/files`, {
      name: 'Expediente.pdf',
      size: bytes.length,
      contentType: 'application/pdf',
      sha256: sha256(bytes),
    });
    assert.equal(start.status, 201, JSON.stringify(start.body));
    const { file, versionId, upload } = start.body;
    assert.equal(upload.type, 'multipart');
    assert.equal(upload.partCount, 6);
    assert.equal(upload.checksums, 'sha256');
    assert.deepEqual(upload.parts, [], 'part URLs come with their checksums, page by page');
    const page = (query: string) => api('GET', `/files/${file.id}/versions/${versionId}/parts?${query}`);

    const without = await page('from=1&to=6');
    assert.equal(without.status, 400);
    assert.deepEqual([without.body.error.field, without.body.error.rule], ['checksums', 'required']);
    const short = await page(`from=1&to=6&checksums=${sha256(partOf(1))}`);
    assert.deepEqual([short.body.error.field, short.body.error.rule], ['checksums', 'count']);
    const sums = [1, 2, 3, 4, 5, 6].map((n) => sha256(partOf(n)));
    const urls = await page(`from=1&to=6&checksums=${sums.join(',')}`);
    assert.equal(urls.status, 200, JSON.stringify(urls.body));
    const parts = urls.body.parts as Array<{ partNumber: number; url: string; headers: Record<string, string> }>;
    assert.equal(parts[0].headers['x-amz-checksum-sha256'], base64Sha256(partOf(1)));
    // A signed header, not a query parameter (S3 ignores a checksum in the query).
    const query = new URL(parts[0].url).searchParams;
    assert.equal(query.get('x-amz-checksum-sha256'), null);
    assert.ok(query.get('X-Amz-SignedHeaders')?.split(';').includes('x-amz-checksum-sha256'));

    const put = (url: string, body: Uint8Array, headers: Record<string, string> = {}) =>
      fetch(url, { method: 'PUT', body: body as Uint8Array<ArrayBuffer>, headers });
    // Part 2 tampered in transit: S3 checks it against its SHA-256 and refuses it.
    const bad = Buffer.from(partOf(2));
    bad[0] ^= 1;
    const tampered = await put(parts[1].url, bad, parts[1].headers);
    assert.equal(tampered.status, 400, await tampered.clone().text());
    assert.match(await tampered.text(), /BadDigest/);
    // Sending the tampered part with its own checksum instead: the URL signed the other one.
    const reSummed = await put(parts[1].url, bad, { 'x-amz-checksum-sha256': base64Sha256(bad) });
    assert.equal(reSummed.status, 403);
    // Without the header at all: the signature names it.
    assert.equal((await put(parts[1].url, partOf(2))).status, 403);

    const etags: Array<{ partNumber: number; etag: string; sha256: string }> = [];
    for (const p of parts) {
      const res = await put(p.url, partOf(p.partNumber), p.headers);
      assert.equal(res.status, 200, await res.text());
      etags.push({ partNumber: p.partNumber, etag: res.headers.get('etag')!, sha256: sums[p.partNumber - 1] });
    }
    const unsummed = await complete(file.id, versionId, {
      parts: etags.map(({ partNumber, etag }) => ({ partNumber, etag })),
    });
    assert.deepEqual([unsummed.status, unsummed.body.error.rule], [400, 'checksum_required']);
    const wrong = await complete(file.id, versionId, {
      parts: etags.map((p) => (p.partNumber === 3 ? { ...p, sha256: sums[0] } : p)),
    });
    assert.deepEqual([wrong.status, wrong.body.error.rule], [400, 'parts_refused']);
    const done = await complete(file.id, versionId, { parts: etags });
    assert.equal(done.status, 200, JSON.stringify(done.body));
    assert.equal(done.body.version.sha256, sha256(bytes));
    assert.equal(done.body.version.verifiedBy, 's3-parts');
    const got = await fetch((await api('GET', `/files/${file.id}/download`)).body.url);
    assert.equal(sha256(Buffer.from(await got.arrayBuffer())), sha256(bytes), 'S3 holds the bytes uploaded');
  });

  it('an upload that declares no SHA-256 records none: "not recorded", never a made-up value', async () => {
    const bad = await api('POST', `/folders/${folderId}/files`, {
      name: 'x.pdf',
      size: 10,
      contentType: 'application/pdf',
      sha256: 'not-a-hash',
    });
    assert.equal(bad.status, 400);
    assert.deepEqual([bad.body.error.field, bad.body.error.rule], ['sha256', 'invalid_format']);

    const plain = await makeFile(t, staff, folderId, 'Sin hash.pdf', randomBytes(500), 'application/pdf', false);
    const details = await api('GET', `/files/${plain.id}`);
    assert.equal(details.body.versions[0].sha256, null);
    assert.equal(details.body.versions[0].verifiedBy, null);
    const client = await makeClient(t, staff, [folderId], 'Sin hash');
    assert.equal((await t.api('GET', `/portal/files/${plain.id}/download`, { token: client.token })).status, 200);
    const mine = (await api('GET', `/files/${plain.id}/receipts`)).body.recipients.find((r: any) => r.id === client.id);
    const pdf = await fetch(`${t.stack.apiUrl}/receipts/${mine.receiptId}?format=pdf`, {
      headers: { authorization: `Bearer ${staff}` },
    });
    assert.ok(
      Buffer.from(await pdf.arrayBuffer())
        .toString('latin1')
        .includes('SHA-256: no registrado'),
    );
  });
});
