/**
 * The local stack judges requests as AWS would (issue 13's negative controls).
 * Requests are signed as the functions sign them, with each function's own
 * credentials from <dataDir>/aws.json, through the local AWS gateway:
 * - a role that does not allow an action or a key gets AccessDenied in the
 *   service's own shape (portal PutItem on FOLDER#, DeleteItem, link mail);
 * - a request signed with a wrong secret, or not signed, is refused;
 * - a presigned GET with its key, expiry or signature changed is refused, and
 *   an expired one says so;
 * - a presigned POST with a larger file than its content-length-range, or
 *   another content type than its `eq` condition, is refused, and nothing is
 *   stored;
 * - every denial is logged with the function, action, resource and reason.
 */

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DeleteItemCommand, DynamoDBClient, GetItemCommand, PutItemCommand } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, HeadObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { SESv2Client, SendEmailCommand } from '@aws-sdk/client-sesv2';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import type { AwsJson } from '../../local/stack.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { makeFile, makeFolder } from '../support/story.ts';
import { download } from '../support/upload.ts';

describe('the local AWS gateway refuses what AWS would refuse', () => {
  let t: TestStack;
  let aws: AwsJson;
  let staff: string;
  let fileKey: string;
  const clients: Array<{ destroy(): void }> = [];
  const as = <C extends { destroy(): void }>(client: C) => (clients.push(client), client);
  const creds = (fn: string, secret?: string) => {
    const c = aws.functions[fn];
    return { accessKeyId: c.accessKeyId, secretAccessKey: secret ?? c.secretAccessKey, sessionToken: c.sessionToken };
  };
  const base = () => ({ endpoint: aws.endpoint, region: aws.region, maxAttempts: 1 });
  const dynamo = (fn: string, secret?: string) => as(new DynamoDBClient({ ...base(), credentials: creds(fn, secret) }));
  const s3 = (fn: string) =>
    as(
      new S3Client({
        ...base(),
        credentials: creds(fn),
        forcePathStyle: true,
        requestChecksumCalculation: 'WHEN_REQUIRED',
      }),
    );
  const fails = async (p: Promise<unknown>) => {
    try {
      await p;
    } catch (e) {
      return e as { name: string; message: string; $metadata: { httpStatusCode?: number } };
    }
    throw new Error('the request was not refused');
  };

  beforeAll(async () => {
    t = await startTestStack();
    aws = JSON.parse(readFileSync(path.join(t.dir, 'aws.json'), 'utf8'));
    staff = await t.adminToken();
    const folder = await makeFolder(t, staff, 'Pasarela');
    const file = await makeFile(t, staff, folder.id, 'firmado.pdf');
    fileKey = `files/${file.id}/${file.versionId}`;
  });
  afterAll(async () => {
    for (const c of clients) c.destroy();
    await t?.stop();
  });

  it('writes aws.json with the gateway, the resources and each function’s credentials and role', () => {
    assert.match(aws.endpoint, /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.deepEqual(Object.keys(aws.functions).sort(), ['jobs', 'link', 'portal', 'staff']);
    for (const f of Object.values(aws.functions)) {
      assert.match(f.accessKeyId, /^ASIA[0-9A-Z]{16}$/);
      assert.ok(f.secretAccessKey && f.sessionToken);
      assert.match(f.roleArn, /^arn:aws:iam::000000000000:role\//);
    }
    assert.ok(aws.tableName && aws.bucketName && aws.userPoolId);
  });

  it(
    'portal may read the table and write its own kinds ' + 'of items, but not a folder: AccessDeniedException',
    async () => {
      const db = dynamo('portal');
      await db.send(
        new GetItemCommand({ TableName: aws.tableName, Key: { PK: { S: 'SETTINGS' }, SK: { S: 'COMPANY' } } }),
      );
      const id = randomBytes(4).toString('hex');
      await db.send(
        new PutItemCommand({ TableName: aws.tableName, Item: { PK: { S: `ACT#IN#gw-${id}` }, SK: { S: 'x' } } }),
      );
      const e = await fails(
        db.send(
          new PutItemCommand({ TableName: aws.tableName, Item: { PK: { S: `FOLDER#${id}` }, SK: { S: 'META' } } }),
        ),
      );
      assert.equal(e.name, 'AccessDeniedException');
      assert.equal(e.$metadata.httpStatusCode, 400);
      assert.match(
        e.message,
        /is not authorized to perform: dynamodb:PutItem on resource: arn:aws:dynamodb:us-east-1:000000000000:table\//,
      );
    },
  );

  it('no client function may delete items, not even its own kinds', async () => {
    for (const fn of ['portal', 'link']) {
      const e = await fails(
        dynamo(fn).send(
          new DeleteItemCommand({ TableName: aws.tableName, Key: { PK: { S: 'ACT#IN#x' }, SK: { S: 'x' } } }),
        ),
      );
      assert.equal(e.name, 'AccessDeniedException', fn);
    }
  });

  it('the link function, which sends no mail, may not: ses:SendEmail is AccessDeniedException', async () => {
    const ses = as(new SESv2Client({ ...base(), credentials: creds('link') }));
    const e = await fails(
      ses.send(
        new SendEmailCommand({
          FromEmailAddress: 'no-reply@carpeta.local',
          Destination: { ToAddresses: ['x@example.com'] },
          Content: { Simple: { Subject: { Data: 's' }, Body: { Text: { Data: 't' } } } },
        }),
      ),
    );
    assert.equal(e.name, 'AccessDeniedException');
    assert.equal(e.$metadata.httpStatusCode, 403);
  });

  it('a request signed with a wrong secret, or not signed at all, is refused in the service’s words', async () => {
    const wrong = await fails(
      dynamo('staff', 'not-the-secret').send(
        new GetItemCommand({ TableName: aws.tableName, Key: { PK: { S: 'x' }, SK: { S: 'y' } } }),
      ),
    );
    assert.equal(wrong.name, 'InvalidSignatureException');
    const unsigned = await fetch(aws.endpoint, {
      method: 'POST',
      headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' },
      body: JSON.stringify({ TableName: aws.tableName, Key: { PK: { S: 'x' }, SK: { S: 'y' } } }),
    });
    assert.equal(unsigned.status, 400);
    assert.match(await unsigned.text(), /MissingAuthenticationTokenException/);
    const unknown = await fails(
      as(
        new DynamoDBClient({ ...base(), credentials: { accessKeyId: 'ASIANOSUCHKEY0000000', secretAccessKey: 'x' } }),
      ).send(new GetItemCommand({ TableName: aws.tableName, Key: { PK: { S: 'x' }, SK: { S: 'y' } } })),
    );
    assert.equal(unknown.name, 'UnrecognizedClientException');
  });

  it('a presigned GET works as minted, and not with its key, expiry or signature changed', async () => {
    const url = await getSignedUrl(s3('portal'), new GetObjectCommand({ Bucket: aws.bucketName, Key: fileKey }), {
      expiresIn: 60,
    });
    assert.equal((await download(url)).status, 200);
    const otherKey = url.replace(encodeURIComponent(fileKey.split('/')[2]).slice(0, 10), 'AAAAAAAAAA');
    const longer = url.replace('X-Amz-Expires=60', 'X-Amz-Expires=600');
    const forged = url.replace(
      /X-Amz-Signature=([0-9a-f])/,
      (_m, c: string) => `X-Amz-Signature=${c === '0' ? '1' : '0'}`,
    );
    for (const [what, u] of [
      ['key', otherKey],
      ['expiry', longer],
      ['signature', forged],
    ] as const) {
      assert.notEqual(u, url, what);
      const res = await fetch(u);
      assert.equal(res.status, 403, what);
      assert.match(await res.text(), /<Code>SignatureDoesNotMatch<\/Code>/, what);
    }
  });

  it('an expired presigned GET answers "Request has expired"', async () => {
    const url = await getSignedUrl(s3('portal'), new GetObjectCommand({ Bucket: aws.bucketName, Key: fileKey }), {
      expiresIn: 60,
      signingDate: new Date(Date.now() - 10 * 60_000),
    });
    const res = await fetch(url);
    assert.equal(res.status, 403);
    const body = await res.text();
    assert.match(body, /<Code>AccessDenied<\/Code>/);
    assert.match(body, /Request has expired/);
  });

  it('the bucket policy denies presigned downloads older than five minutes, even unexpired ones', async () => {
    const url = await getSignedUrl(s3('portal'), new GetObjectCommand({ Bucket: aws.bucketName, Key: fileKey }), {
      expiresIn: 3600,
      signingDate: new Date(Date.now() - 6 * 60_000),
    });
    const res = await fetch(url);
    assert.equal(res.status, 403);
    assert.match(await res.text(), /<Code>AccessDenied<\/Code>/);
  });

  it('a missing object is 404 to a role that may list the bucket, 403 to one that may not', async () => {
    const key = `files/NOSUCH/${randomBytes(4).toString('hex')}`;
    const staffHead = await fails(s3('staff').send(new HeadObjectCommand({ Bucket: aws.bucketName, Key: key })));
    assert.equal(staffHead.$metadata.httpStatusCode, 404);
    const portalHead = await fails(s3('portal').send(new HeadObjectCommand({ Bucket: aws.bucketName, Key: key })));
    assert.equal(portalHead.$metadata.httpStatusCode, 403);
  });

  it('a presigned POST refuses a bigger file, or another content type, and stores nothing', async () => {
    const folder = await makeFolder(t, staff, 'Políticas');
    const start = await t.api('POST', `/folders/${folder.id}/files`, {
      token: staff,
      body: { name: 'diez.pdf', size: 10, contentType: 'application/pdf' },
    });
    assert.equal(start.status, 201);
    const { url, fields } = start.body.upload as { url: string; fields: Record<string, string> };
    const post = async (bytes: Buffer, type: string, override: Record<string, string> = {}) => {
      const form = new FormData();
      for (const [k, v] of Object.entries({ ...fields, ...override })) form.append(k, v);
      form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type }), 'f.bin');
      const res = await fetch(url, { method: 'POST', body: form });
      return { status: res.status, text: await res.text() };
    };
    const big = await post(randomBytes(11), 'application/pdf');
    assert.equal(big.status, 400);
    assert.match(big.text, /<Code>EntityTooLarge<\/Code>/);
    const type = await post(randomBytes(10), 'text/html', { 'Content-Type': 'text/html' });
    assert.equal(type.status, 403);
    assert.match(type.text, /Policy Condition failed/);
    const extra = await post(randomBytes(10), 'application/pdf', { 'x-amz-meta-sneaky': '1' });
    assert.equal(extra.status, 403);
    assert.match(extra.text, /Extra input fields: x-amz-meta-sneaky/);
    const head = await fails(s3('staff').send(new HeadObjectCommand({ Bucket: aws.bucketName, Key: fields.key })));
    assert.equal(head.$metadata.httpStatusCode, 404, 'nothing was stored');
    assert.equal((await post(randomBytes(10), 'application/pdf')).status, 204, 'the upload the policy allows');
  });

  it('logs every denial with the function, the action, the resource and the reason', async () => {
    const denials = await t.denials();
    const folderWrite = denials.find((d) => d.function === 'portal' && d.action === 'dynamodb:PutItem');
    assert.ok(folderWrite, JSON.stringify(denials));
    assert.match(folderWrite.resource, /^arn:aws:dynamodb:us-east-1:000000000000:table\//);
    assert.match(folderWrite.reason, /no identity-based policy allows the dynamodb:PutItem action/);
    assert.ok(denials.some((d) => d.function === 'link' && d.action === 'ses:SendEmail'));
    const logged = t
      .logs()
      .split('\n')
      .filter((l) => l.includes('"access denied"'))
      .map((l) => JSON.parse(l));
    assert.ok(logged.some((l) => l.function === 'portal' && l.action === 'dynamodb:PutItem' && l.reason && l.resource));
  });
});
