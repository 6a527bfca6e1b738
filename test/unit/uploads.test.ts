/**
 * Upload URLs live no longer than their upload needs (issue 14, finding 12), part URLs come in pages so any
 * size S3 accepts fits in a response (issue 18, item 6), and a completed version's bytes are pinned: the
 * version id S3 gave them is recorded, and every download URL names it. In-memory fakes of the ports.
 */

import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { completeUpload, staffDownload, startUpload, uploadPartUrls } from '../../functions/app/documents.ts';
import { objectKeyOf } from '../../functions/domain/model.ts';
import {
  CHECKSUM_PART_PAGE_MAX,
  PART_PAGE_MAX,
  partChecksums,
  recordedChecksum,
  SLOWEST_UPLOAD_BYTES_PER_SECOND,
  sha256Base64,
  uploadUrlSeconds,
  uploadWindowSeconds,
} from '../../functions/domain/uploads.ts';
import type { AppError } from '../../functions/lib/errors.ts';
import { fakeWorld, folder } from '../support/fakes.ts';

const MiB = 1024 * 1024;

function world() {
  const w = fakeWorld();
  const docs = folder('DOCS', undefined);
  w.nodes.folders.set(docs.id, docs);
  const ctx = { ...w.ctx, actor: { kind: 'staff' as const, id: 'staff-1' } };
  return { ...w, docs, ctx };
}

describe('upload URL lifetimes', () => {
  it('a URL lives as long as its bytes take at 256 KiB/s, plus five minutes, within the cap', () => {
    assert.equal(uploadUrlSeconds(10_000, 3600), 301);
    assert.equal(uploadUrlSeconds(100 * MiB, 3600), 300 + (100 * MiB) / SLOWEST_UPLOAD_BYTES_PER_SECOND);
    assert.equal(uploadUrlSeconds(5 * 1024 * MiB, 3600), 3600);
    assert.equal(uploadWindowSeconds(2 * 1024 ** 4), 86_400, 'a name is held a day at most');
  });

  it('a small file gets a POST policy of about five minutes, not an hour', async () => {
    const w = world();
    await startUpload(w.deps, w.docs.id, { name: 'a.pdf', size: 10_000, contentType: 'application/pdf' }, w.ctx);
    assert.ok(
      w.journal.some((l) => /^files\.presignUploadPost files\/\S+ 301s$/.test(l)),
      w.journal.join('\n'),
    );
  });

  it('a multipart upload starts with one page of part URLs; the rest come in pages of at most 100', async () => {
    const w = world();
    const size = 1024 * MiB; // 205 parts of 5 MiB in the fakes
    const start = await startUpload(
      w.deps,
      w.docs.id,
      { name: 'big.dcm', size, contentType: 'application/dicom' },
      w.ctx,
    );
    assert.equal(start.upload.type, 'multipart');
    if (start.upload.type !== 'multipart') return;
    assert.equal(start.upload.partCount, 205);
    assert.deepEqual(
      start.upload.parts.map((p) => p.partNumber),
      [1, 2, 3, 4, 5, 6, 7, 8, 9, 10],
    );
    const page = await uploadPartUrls(w.deps, start.file.id, start.versionId, { from: 101, to: 200 });
    assert.deepEqual(
      page.parts.map((p) => p.partNumber),
      Array.from({ length: 100 }, (_, i) => 101 + i),
    );
    // 100 parts of 5 MiB take ~33 min at the slowest rate: the page's URLs live that long.
    assert.ok(
      w.journal.includes(`files.presignParts 101-200 ${300 + (100 * 5 * MiB) / SLOWEST_UPLOAD_BYTES_PER_SECOND}s`),
    );
    for (const [range, field] of [
      [{ from: 1, to: PART_PAGE_MAX + 1 }, 'to'],
      [{ from: 200, to: 206 }, 'to'],
      [{ from: 0, to: 3 }, 'from'],
    ] as const)
      await assert.rejects(uploadPartUrls(w.deps, start.file.id, start.versionId, range), { status: 400, field });
  });

  it('part URLs of an upload that is not a pending multipart one: 404', async () => {
    const w = world();
    const start = await startUpload(
      w.deps,
      w.docs.id,
      { name: 'a.pdf', size: 10, contentType: 'application/pdf' },
      w.ctx,
    );
    await assert.rejects(uploadPartUrls(w.deps, start.file.id, start.versionId, { from: 1, to: 1 }), { status: 404 });
    await assert.rejects(uploadPartUrls(w.deps, 'nope', 'nope', { from: 1, to: 1 }), { status: 404 });
  });
});

describe('a completed version is pinned', () => {
  it('complete records S3 version id and ETag; downloads name that version, whatever the key holds later', async () => {
    const w = world();
    const start = await startUpload(
      w.deps,
      w.docs.id,
      { name: 'a.pdf', size: 10, contentType: 'application/pdf' },
      w.ctx,
    );
    const key = objectKeyOf(start.file.id, start.versionId);
    w.objects.set(key, { size: 10, etag: '"abc"', s3VersionId: 'v-first' });
    await completeUpload(w.deps as any, start.file.id, start.versionId, {}, w.ctx);
    const version = w.nodes.versions.get(`${start.file.id}/${start.versionId}`)!;
    assert.equal(version.s3VersionId, 'v-first');
    assert.equal(version.etag, '"abc"');
    // Someone reuses the upload policy: the key now holds other bytes, S3 gives them another version id.
    w.objects.set(key, { size: 10, etag: '"evil"', s3VersionId: 'v-second' });
    await staffDownload(w.deps, start.file.id, { disposition: 'attachment' }, w.ctx);
    await staffDownload(w.deps, start.file.id, { versionId: start.versionId, disposition: 'attachment' }, w.ctx);
    const minted = w.journal.filter((l) => l.startsWith('files.mintDownloadUrl'));
    assert.deepEqual(minted, [
      `files.mintDownloadUrl ${key}?versionId=v-first`,
      `files.mintDownloadUrl ${key}?versionId=v-first`,
    ]);
  });
});

describe('checksums: what a version records of its SHA-256, and who checked it', () => {
  const hex = 'ab'.repeat(32);
  const rule = (f: () => unknown) => {
    try {
      f();
    } catch (e) {
      return (e as { rule?: string }).rule ?? (e as AppError).code;
    }
    return 'no error';
  };

  it("a declared hash is recorded as S3's check for a single upload, part by part for a multipart one", () => {
    assert.deepEqual(recordedChecksum({ declaredSha256: hex }, {}), { sha256: hex, verifiedBy: 's3' });
    assert.deepEqual(recordedChecksum({ declaredSha256: hex, uploadId: 'u' }, {}), {
      sha256: hex,
      verifiedBy: 's3-parts',
    });
    // S3 reporting the same hash changes nothing; another one is refused, never recorded.
    assert.deepEqual(recordedChecksum({ declaredSha256: hex }, { sha256: hex }).verifiedBy, 's3');
    assert.equal(
      rule(() => recordedChecksum({ declaredSha256: hex }, { sha256: 'cd'.repeat(32) })),
      'checksum_mismatch',
    );
  });

  it('without a declared hash: what S3 reports, or nothing (never a made-up value)', () => {
    assert.deepEqual(recordedChecksum({}, { sha256: hex }), { sha256: hex, verifiedBy: 's3' });
    assert.deepEqual(recordedChecksum({}, {}), {});
  });

  it('a page of part URLs carries one SHA-256 per part when the upload declared one, none otherwise', () => {
    assert.deepEqual(partChecksums(true, [1, 2], [hex, hex]), [hex, hex]);
    assert.equal(
      rule(() => partChecksums(true, [1, 2], undefined)),
      'required',
    );
    assert.equal(
      rule(() => partChecksums(true, [1, 2], [hex])),
      'count',
    );
    assert.equal(
      rule(() => partChecksums(false, [1], [hex])),
      'not_declared',
    );
    assert.deepEqual(partChecksums(false, [1, 2], undefined), []);
    const many = Array.from({ length: CHECKSUM_PART_PAGE_MAX + 1 }, (_, i) => i + 1);
    assert.equal(
      rule(() =>
        partChecksums(
          true,
          many,
          many.map(() => hex),
        ),
      ),
      'too_many',
    );
  });

  it("S3's header is the same 32 bytes in base64", () => {
    assert.equal(
      sha256Base64('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855'),
      '47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=',
    );
  });
});
