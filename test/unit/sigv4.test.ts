/**
 * Our SigV4 (functions/aws/sigv4.ts) against AWS's documented example and
 * against the real SDK: presigned GET / UploadPart URLs and presigned POST
 * fields must be byte-for-byte what the SDK produces, and header signatures
 * must equal @smithy/signature-v4's for the same request.
 */
import { after, before, describe, it, mock } from 'node:test';
import assert from 'node:assert/strict';
import { createHash, createHmac } from 'node:crypto';
import { S3Client, GetObjectCommand, UploadPartCommand } from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { createPresignedPost } from '@aws-sdk/s3-presigned-post';
import { SignatureV4 } from '@smithy/signature-v4';
import { signRequest, presignUrl, amzDate, encodeKeyPath, type Credentials } from '../../functions/aws/sigv4.ts';
import { contentDisposition } from '../../functions/domain/download.ts';

const NOW = new Date('2026-11-03T10:20:30.456Z');
const creds: Credentials = { accessKeyId: 'AKIAIOSFODNN7EXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY', sessionToken: 'IQoJb3JpZ2luX2VjE/session+token=' };

/** A ChecksumConstructor for smithy's signer, on node:crypto. */
class Sha256 {
  private h;
  constructor(secret?: string | Uint8Array) {
    this.h = secret ? createHmac('sha256', secret) : createHash('sha256');
  }
  update(data: string | Uint8Array) {
    this.h.update(data);
  }
  async digest() {
    return new Uint8Array(this.h.digest());
  }
}

const ENV = ['AWS_REGION', 'AWS_ACCESS_KEY_ID', 'AWS_SECRET_ACCESS_KEY', 'AWS_SESSION_TOKEN', 'BUCKET_NAME', 'CARPETA_S3_ENDPOINT', 'DOWNLOAD_URL_SECONDS'] as const;
const saved = Object.fromEntries(ENV.map((k) => [k, process.env[k]]));
function setEnv(vars: Partial<Record<(typeof ENV)[number], string | undefined>>) {
  for (const [k, v] of Object.entries(vars)) {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  }
}

describe('SigV4', () => {
  it('reproduces the AWS documented example (IAM ListUsers, 20150830T123600Z)', () => {
    const headers = signRequest(
      { method: 'GET', url: 'https://iam.amazonaws.com/', query: { Action: 'ListUsers', Version: '2010-05-08' }, headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=utf-8' } },
      { service: 'iam', region: 'us-east-1', date: new Date('2015-08-30T12:36:00Z'), contentSha256Header: false, credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' } },
    );
    assert.equal(headers['x-amz-date'], '20150830T123600Z');
    assert.equal(
      headers.authorization,
      'AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/iam/aws4_request, SignedHeaders=content-type;host;x-amz-date, Signature=5d672d79c15b13162d9279b0855cfba6789a8edb4c82c400e06b5924a6f2b5d7',
    );
  });

  const requests: Array<{ name: string; service: string; host: string; path: string; headers: Record<string, string>; body: string; escape: boolean }> = [
    { name: 'DynamoDB GetItem', service: 'dynamodb', host: 'dynamodb.eu-west-1.amazonaws.com', path: '/', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.GetItem' }, body: JSON.stringify({ TableName: 't', Key: { PK: { S: 'FOLDER#ñ' }, SK: { S: 'META' } }, ConsistentRead: true }), escape: true },
    { name: 'SES v2 SendEmail', service: 'ses', host: 'email.eu-west-1.amazonaws.com', path: '/v2/email/outbound-emails', headers: { 'content-type': 'application/json' }, body: '{"FromEmailAddress":"a@b.c"}', escape: true },
    { name: 'S3 HeadObject', service: 's3', host: 'docs.s3.eu-west-1.amazonaws.com', path: '/' + encodeKeyPath('files/F 1/Nómina (mayo)*.pdf'), headers: { 'x-amz-checksum-mode': 'ENABLED' }, body: '', escape: false },
    { name: 'local endpoint with a port', service: 'dynamodb', host: '127.0.0.1:45678', path: '/', headers: { 'content-type': 'application/x-amz-json-1.0', 'x-amz-target': 'DynamoDB_20120810.Query' }, body: '{}', escape: true },
  ];
  for (const c of requests) {
    it(`signs ${c.name} headers exactly as @smithy/signature-v4 does`, async () => {
      for (const credentials of [creds, { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey }]) {
        const ours = signRequest({ method: 'POST', url: `https://${c.host}${c.path}`, headers: c.headers, body: c.body }, { service: c.service, region: 'eu-west-1', date: NOW, credentials, doubleEncodePath: c.escape });
        const smithy = new SignatureV4({ credentials, region: 'eu-west-1', service: c.service, sha256: Sha256 as never, uriEscapePath: c.escape });
        const [hostname, port] = c.host.split(':');
        const signed = await smithy.sign(
          { method: 'POST', protocol: 'https:', hostname, port: port ? Number(port) : undefined, path: c.path, query: {}, headers: { ...c.headers, host: c.host }, body: c.body },
          { signingDate: NOW },
        );
        const theirs = Object.fromEntries(Object.entries(signed.headers).map(([k, v]) => [k.toLowerCase(), v]));
        assert.equal(ours.authorization, theirs.authorization);
        assert.deepEqual(ours, theirs);
      }
    });
  }

  it('writes x-amz-date without milliseconds', () => assert.equal(amzDate(NOW), '20261103T102030Z'));
});

describe('S3 URLs and POST policies equal the SDK presigners', () => {
  let s3: typeof import('../../functions/aws/s3.ts');
  before(async () => {
    setEnv({ AWS_REGION: 'eu-west-1', AWS_ACCESS_KEY_ID: creds.accessKeyId, AWS_SECRET_ACCESS_KEY: creds.secretAccessKey, AWS_SESSION_TOKEN: creds.sessionToken, BUCKET_NAME: 'carpeta-docs-123', DOWNLOAD_URL_SECONDS: '300' });
    s3 = await import('../../functions/aws/s3.ts');
    mock.timers.enable({ apis: ['Date'], now: NOW });
  });
  after(() => {
    mock.timers.reset();
    setEnv(saved);
  });

  const cases = [
    { label: 'AWS, virtual-hosted', region: 'eu-west-1', endpoint: undefined, token: true },
    { label: 'AWS us-east-1, no session token', region: 'us-east-1', endpoint: undefined, token: false },
    { label: 'local s3rver, path-style', region: 'us-east-1', endpoint: 'http://127.0.0.1:4568', token: false },
  ];
  const sdk = (c: (typeof cases)[number]) =>
    new S3Client({
      region: c.region,
      endpoint: c.endpoint,
      forcePathStyle: !!c.endpoint,
      credentials: c.token ? creds : { accessKeyId: creds.accessKeyId, secretAccessKey: creds.secretAccessKey },
      requestChecksumCalculation: 'WHEN_REQUIRED',
      responseChecksumValidation: 'WHEN_REQUIRED',
    });
  const use = (c: (typeof cases)[number]) => setEnv({ AWS_REGION: c.region, CARPETA_S3_ENDPOINT: c.endpoint, AWS_SESSION_TOKEN: c.token ? creds.sessionToken : undefined });

  for (const c of cases) {
    it(`presigned GET with disposition (${c.label})`, async () => {
      use(c);
      for (const [key, name, type, disp] of [
        ['files/F1/V2', 'Nómina "mayo";\r\n.pdf', 'application/pdf', 'attachment'],
        ['files/F 1/ñ+x~y*(z)!\'', 'photo (1).png', 'image/png', 'inline'],
      ] as const) {
        const ours = await s3.mintDownloadUrl(key, name, type, disp);
        const d = contentDisposition(name, type, disp);
        const theirs = await getSignedUrl(sdk(c), new GetObjectCommand({ Bucket: 'carpeta-docs-123', Key: key, ResponseContentDisposition: d.header, ResponseContentType: d.contentType }), { expiresIn: 300, signingDate: new Date() });
        assert.equal(ours.url, theirs);
        assert.equal(ours.expiresAt, new Date(NOW.getTime() + 300_000).toISOString());
      }
    });

    it(`presigned UploadPart PUT (${c.label})`, async () => {
      use(c);
      const ours = s3.presignUploadPart('files/F1/V1', 'upload/id+=~', 7, 3600);
      const theirs = await getSignedUrl(sdk(c), new UploadPartCommand({ Bucket: 'carpeta-docs-123', Key: 'files/F1/V1', UploadId: 'upload/id+=~', PartNumber: 7 }), { expiresIn: 3600, signingDate: new Date() });
      assert.equal(ours, theirs);
    });

    it(`presigned POST fields and URL (${c.label})`, async () => {
      use(c);
      const ours = await s3.presignUploadPost('files/F1/V1', 12345, 'application/pdf', 600);
      const theirs = await createPresignedPost(sdk(c), {
        Bucket: 'carpeta-docs-123',
        Key: 'files/F1/V1',
        Conditions: [
          ['content-length-range', 12345, 12345],
          ['eq', '$Content-Type', 'application/pdf'],
        ],
        Fields: { 'Content-Type': 'application/pdf' },
        Expires: 600,
      });
      assert.equal(ours.url, theirs.url);
      assert.deepEqual(Object.entries(ours.fields), Object.entries(theirs.fields));
    });
  }

  it('presigns with the generic helper exactly like the SDK for any query', async () => {
    const c = cases[0];
    use(c);
    const ours = presignUrl(
      { method: 'GET', url: `https://carpeta-docs-123.s3.eu-west-1.amazonaws.com/${encodeKeyPath('a/b c')}`, query: { 'response-cache-control': 'no-store', 'x-id': 'GetObject' } },
      { service: 's3', region: 'eu-west-1', expiresSeconds: 60, credentials: creds, date: NOW },
    );
    const theirs = await getSignedUrl(sdk(c), new GetObjectCommand({ Bucket: 'carpeta-docs-123', Key: 'a/b c', ResponseCacheControl: 'no-store' }), { expiresIn: 60, signingDate: NOW });
    assert.equal(ours, theirs);
  });
});
