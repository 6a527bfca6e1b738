/**
 * Branding in mails: a stable logo address that redirects to the current logo,
 * and the logo on receipts. A stack of its own (one local stack per test file:
 * the handlers' SDK clients are module singletons of the process).
 */

import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { makeFile, makeFolder } from '../support/story.ts';
import { download, uploadWith } from '../support/upload.ts';

describe('branding in mails', () => {
  let t: TestStack;
  beforeAll(async () => {
    t = await startTestStack();
  });
  afterAll(() => t?.stop());

  it('puts a stable logo address in mails that redirects to the current logo', async () => {
    const staff = await t.adminToken();
    assert.equal((await fetch(`${t.stack.apiUrl}/branding/logo`, { redirect: 'manual' })).status, 404, 'no logo yet');
    const jpeg = Buffer.from(
      'ffd8ffe000104a46494600010100000100010000ffc0001108002000400301220002110103110100ffd9',
      'hex',
    );
    const logo = await t.api('POST', '/settings/logo', {
      token: staff,
      body: { contentType: 'image/jpeg', size: jpeg.length },
    });
    await uploadWith(logo.body.upload, jpeg, 'image/jpeg');
    const { updatedAt, updatedBy, logoUrl, ...editable } = (await t.api('GET', '/settings', { token: staff })).body;
    assert.equal(
      (await t.api('PUT', '/settings', { token: staff, body: { ...editable, logoKey: logo.body.logoKey } })).status,
      200,
    );
    const folder = await makeFolder(t, staff, 'Con logo');
    await t.api('POST', `/folders/${folder.id}/send`, { token: staff, body: { email: 'logo@example.com' } });
    const mail = (await t.mail()).find((m) => m.to.includes('logo@example.com'))!;
    const src = /<img src="([^"]+)"/.exec(mail.html)![1].replace(/&amp;/g, '&');
    assert.ok(src.startsWith(`${t.stack.apiUrl}/branding/logo`));
    const redirect = await fetch(src, { redirect: 'manual' });
    assert.equal(redirect.status, 302);
    assert.ok((await download(redirect.headers.get('location')!)).bytes.equals(jpeg));

    // Receipts carry the logo too.
    const file = await makeFile(t, staff, folder.id, 'con logo.pdf');
    await t.api('GET', `/files/${file.id}/download`, { token: staff });
    const event = (await t.api('GET', `/activity?fileId=${file.id}&type=download`, { token: staff })).body.events[0];
    const pdf = await fetch(`${t.stack.apiUrl}/receipts/${event.id}?format=pdf`, {
      headers: { authorization: `Bearer ${staff}` },
    });
    const text = Buffer.from(await pdf.arrayBuffer()).toString('latin1');
    assert.match(
      text,
      /\/Subtype \/Image \/Width \d+ \/Height \d+ \/ColorSpace \/DeviceRGB \/BitsPerComponent 8 \/Filter \/DCTDecode/,
    );
  });
});
