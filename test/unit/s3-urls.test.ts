/**
 * The local S3 checks no signatures or policies, so what we sign is checked
 * here: the POST policy's key, exact size and expiry, and the download URL's
 * expiry, disposition and version-pinned key.
 */

import assert from 'node:assert/strict';
import { beforeAll, describe, it } from '@jest/globals';

describe('presigned URLs we generate', () => {
  let s3: typeof import('../../functions/aws/s3.ts');
  beforeAll(async () => {
    Object.assign(process.env, {
      BUCKET_NAME: 'docs-bucket',
      AWS_REGION: 'eu-west-1',
      AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
      AWS_SECRET_ACCESS_KEY: 'secret',
    });
    s3 = await import('../../functions/aws/s3.ts');
  });

  it('pins the POST policy to the key, the exact size, the type, and an expiry', async () => {
    const before = Date.now();
    const post = await s3.presignUploadPost('files/F1/V1', 12345, 'application/pdf', 600);
    assert.equal(post.fields.key, 'files/F1/V1');
    const policy = JSON.parse(Buffer.from(post.fields.Policy, 'base64').toString('utf8'));
    const conditions = policy.conditions as unknown[];
    assert.ok(conditions.some((c) => JSON.stringify(c) === JSON.stringify(['content-length-range', 12345, 12345])));
    assert.ok(conditions.some((c) => JSON.stringify(c) === JSON.stringify({ key: 'files/F1/V1' })));
    assert.ok(conditions.some((c) => JSON.stringify(c) === JSON.stringify(['eq', '$Content-Type', 'application/pdf'])));
    assert.ok(conditions.some((c) => JSON.stringify(c) === JSON.stringify({ bucket: 'docs-bucket' })));
    const expires = Date.parse(policy.expiration);
    assert.ok(expires > before + 590_000 && expires <= Date.now() + 600_000, policy.expiration);
    assert.match(post.url, /docs-bucket/);
  });

  it('signs downloads for at most 300 s, for one exact key, with an encoded disposition', async () => {
    const { url, expiresAt } = await s3.mintDownloadUrl(
      'files/F1/V2',
      'Nómina "mayo";\r\n.pdf',
      'application/pdf',
      'attachment',
    );
    const u = new URL(url);
    assert.equal(u.pathname.endsWith('/files/F1/V2'), true);
    assert.equal(u.searchParams.get('X-Amz-Expires'), '300');
    assert.ok(Date.parse(expiresAt) <= Date.now() + 300_000);
    const disposition = u.searchParams.get('response-content-disposition')!;
    assert.equal(
      disposition,
      `attachment; filename="N_mina _mayo____.pdf"; filename*=UTF-8''N%C3%B3mina%20%22mayo%22%3B%0D%0A.pdf`,
    );
    assert.ok(!/[\r\n]/.test(disposition));
    assert.equal(u.searchParams.get('response-content-type'), 'application/octet-stream');
  });

  it('serves only PDFs and raster images inline', async () => {
    for (const [type, expected] of [
      ['application/pdf', 'inline'],
      ['image/png', 'inline'],
      ['image/svg+xml', 'attachment'],
      ['text/html', 'attachment'],
      ['application/x-unknown', 'attachment'],
    ] as const) {
      const { url } = await s3.mintDownloadUrl('files/F/V', 'x', type, 'inline');
      assert.ok(new URL(url).searchParams.get('response-content-disposition')!.startsWith(`${expected};`), type);
    }
  });

  it('plans multipart parts within S3 limits', () => {
    assert.deepEqual(s3.partPlan(5 * 1024 * 1024 + 1, 5 * 1024 * 1024), { partSize: 5 * 1024 * 1024, count: 2 });
    const huge = s3.partPlan(5 * 1024 ** 4, 16 * 1024 * 1024);
    assert.ok(huge.count <= 10_000);
    assert.ok(huge.partSize * huge.count >= 5 * 1024 ** 4);
  });
});
