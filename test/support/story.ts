/** Steps many tests share: a client folder with a file, a web user who accepted the invitation. */
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import type { TestStack } from './stack.ts';
import { uploadWith } from './upload.ts';

export async function makeFolder(t: TestStack, token: string, name: string, parentId = 'root') {
  const res = await t.api('POST', '/folders', { token, body: { parentId, name } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  return res.body as { id: string; name: string; version: number };
}

export async function makeFile(
  t: TestStack,
  token: string,
  folderId: string,
  name: string,
  bytes: Uint8Array = randomBytes(2048),
  contentType = 'application/pdf',
  /** Declare the content's SHA-256 as the site does (S3 then enforces it); false: an API client that does not. */
  declareSha256 = true,
) {
  const sha256 = declareSha256 ? { sha256: createHash('sha256').update(bytes).digest('hex') } : {};
  const start = await t.api('POST', `/folders/${folderId}/files`, {
    token,
    body: { name, size: bytes.length, contentType, ...sha256 },
  });
  assert.equal(start.status, 201, JSON.stringify(start.body));
  const { file, versionId } = start.body;
  const parts = await uploadWith(start.body.upload, bytes, contentType, async (from, to, checksums) => {
    const sums = checksums ? `&checksums=${checksums.join(',')}` : '';
    const page = await t.api('GET', `/files/${file.id}/versions/${versionId}/parts?from=${from}&to=${to}${sums}`, {
      token,
    });
    assert.equal(page.status, 200, JSON.stringify(page.body));
    return page.body.parts;
  });
  const done = await t.api('POST', `/files/${start.body.file.id}/versions/${start.body.versionId}/complete`, {
    token,
    body: parts ? { parts } : {},
  });
  assert.equal(done.status, 200, JSON.stringify(done.body));
  return { id: start.body.file.id as string, versionId: start.body.versionId as string, bytes };
}

/** The invitation token from the newest mail to `email` (as a person would click it). */
export async function invitationToken(t: TestStack, email: string): Promise<string> {
  const mail = (await t.mail()).find((m) => m.to.includes(email) && /\/(invite|join)#/.test(m.text));
  assert.ok(mail, `no invitation mail to ${email}`);
  return /\/(?:invite|join)#([A-Za-z0-9_-]+)/.exec(mail.text)![1];
}

export async function shareToken(t: TestStack, email: string): Promise<string> {
  const mail = (await t.mail()).find((m) => m.to.includes(email) && /\/s#/.test(m.text));
  assert.ok(mail, `no share mail to ${email}`);
  return /\/s#([A-Za-z0-9_-]+)/.exec(mail.text)![1];
}

let n = 0;
/** Creates a web user through the API with grants, accepts the invitation, signs in. */
export async function makeClient(t: TestStack, staffToken: string, folderIds: string[], name = 'Cliente') {
  const email = `cliente-${process.pid}-${++n}@example.com`;
  const res = await t.api('POST', '/webusers', { token: staffToken, body: { email, name, folderIds } });
  assert.equal(res.status, 201, JSON.stringify(res.body));
  const password = `Segura-${randomBytes(6).toString('hex')}!A1`;
  const accept = await t.api('POST', '/auth/invitations/accept', {
    body: { token: await invitationToken(t, email), password },
  });
  assert.equal(accept.status, 200, JSON.stringify(accept.body));
  const { accessToken } = await t.signIn(email, password);
  return { id: res.body.id as string, email, password, token: accessToken };
}
