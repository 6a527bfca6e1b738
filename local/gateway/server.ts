/**
 * The local AWS gateway: one endpoint on 127.0.0.1 in front of the emulators,
 * standing in for AWS's front doors. Every AWS request a function makes (its
 * SDK clients are pointed here by AWS_ENDPOINT_URL) and every presigned URL
 * or POST a browser uses comes through it, and it does what AWS does before a
 * service sees the request:
 *   1. authenticates it: Signature V4 (header or query), session token,
 *      expiry, clock skew; S3 POST policies and their conditions;
 *   2. authorizes it: IAM for the role of the function whose credentials
 *      signed it (for a presigned URL, the role that minted it, at the time
 *      of use), from the synthesized template's policies and the bucket
 *      policy, by a maintained evaluator (./iam.ts);
 *   3. checks what S3 checks of a body: declared SHA-256 checksums.
 * Refusals answer in each service's shape and are logged with the function,
 * action, resource and reason. Faults can be injected per service, operation
 * and caller (./faults.ts). Only then is the request passed to the emulator.
 *
 * Control endpoints (loopback Host only): GET/PUT/DELETE /__carpeta/faults,
 * GET /__carpeta/denials.
 */

import { createHash, randomUUID } from 'node:crypto';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Deployment } from '../deployment.ts';
import { isLoopbackHost, keepIdleConnections } from '../hosts.ts';
import {
  type AwsErrorReply,
  accessDenied,
  awsError,
  type Service,
  signatureError,
  throttled,
  unavailable,
} from './errors.ts';
import { type FaultRule, Faults } from './faults.ts';
import { IamEvaluator } from './iam.ts';
import { checkPostPolicy, parsePostForm } from './s3-post.ts';
import {
  type Classified,
  classifyCognito,
  classifyDynamo,
  classifyS3,
  classifySes,
  parseS3Path,
  ServiceRefusal,
} from './services.ts';
import { claimedService, type IncomingAwsRequest, type Principal, verify } from './sigv4.ts';

export interface EmulatorUrls {
  dynamodb: string;
  s3: string;
  cognito: string;
  ses: string;
}

export interface Denial {
  at: string;
  function: string;
  action: string;
  resource: string;
  reason: string;
}

export interface GatewayOptions {
  deployment: Deployment;
  emulators: EmulatorUrls;
  principals: Principal[];
  /** JSON log lines (denials, faults). */
  log: (entry: Record<string, unknown>) => void;
  /** @default 0: a free port */
  port?: number;
  /**
   * S3's smallest multipart part but the last, checked at CompleteMultipartUpload (s3rver checks none).
   * @default 5 MiB, S3's; only tests that upload thousands of tiny parts lower it.
   */
  minPartSize?: number;
}

export interface Gateway {
  url: string;
  faults: Faults;
  denials(): Denial[];
  stop(): Promise<void>;
}

/** s3rver only knows its own key; it checks no signature (the gateway has). */
const S3RVER_KEY = 'S3RVER';

function parseQuery(qs: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const part of qs.split('&')) {
    if (!part) continue;
    const i = part.indexOf('=');
    const k = decodeURIComponent(i < 0 ? part : part.slice(0, i));
    const v = i < 0 ? '' : decodeURIComponent(part.slice(i + 1));
    const prev = out[k];
    out[k] = prev === undefined ? v : Array.isArray(prev) ? [...prev, v] : [prev, v];
  }
  return out;
}

function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function reply(res: ServerResponse, r: AwsErrorReply, method: string, cors?: Record<string, string>): void {
  res.writeHead(r.status, {
    ...r.headers,
    ...cors,
    'content-length': method === 'HEAD' ? '0' : String(Buffer.byteLength(r.body)),
  });
  res.end(method === 'HEAD' ? undefined : r.body);
}

export async function startGateway(opts: GatewayOptions): Promise<Gateway> {
  const { deployment: d } = opts;
  const byKey = new Map(opts.principals.map((p) => [p.accessKeyId, p]));
  const lookup = (k: string) => byKey.get(k);
  const iam = new IamEvaluator();
  const faults = new Faults();
  const denials: Denial[] = [];

  /** Every check must be allowed; the first refusal is logged and answered. */
  async function authorize(c: Classified, p: Principal): Promise<AwsErrorReply | undefined> {
    const identity = d.policies.get(p.roleArn) ?? [];
    for (const check of c.checks) {
      const resourcePolicy = c.service === 's3' && c.bucket === d.bucket.name ? d.bucket.policy : undefined;
      const decision = await iam.decide(
        {
          principal: p.sessionArn,
          action: check.action,
          resource: check.resource,
          context: { ...check.context, 'aws:PrincipalArn': p.roleArn },
        },
        { identity, resource: resourcePolicy, account: d.account },
      );
      if (decision.allowed) continue;
      const denial = {
        at: new Date().toISOString(),
        function: p.function,
        action: check.action,
        resource: check.resource,
        reason: decision.reason,
      };
      denials.push(denial);
      if (denials.length > 500) denials.shift();
      opts.log({
        level: 'warn',
        msg: 'access denied',
        service: c.service,
        operation: c.operation,
        ...denial,
        context: check.context,
      });
      return accessDenied(c.service, p.sessionArn, check.action, check.resource, decision.reason);
    }
    return undefined;
  }

  /**
   * Passes the request on to the emulator and its answer back. `intercept` may replace an answer by
   * its status before anything is written (S3's 403-for-404).
   */
  function forward(
    target: string,
    req: IncomingAwsRequest,
    rawQuery: string,
    res: ServerResponse,
    service: Service,
    intercept?: (status: number) => Promise<AwsErrorReply | undefined>,
  ): Promise<number> {
    const url = new URL(target);
    const headers: Record<string, string> = { ...req.headers, host: url.host };
    let query = rawQuery;
    if (service === 's3') {
      if (headers.authorization)
        headers.authorization = headers.authorization.replace(/Credential=[^/]+\//, `Credential=${S3RVER_KEY}/`);
      query = query.replace(/(X-Amz-Credential=)[^%&]+(%2F)/i, `$1${S3RVER_KEY}$2`);
    }
    delete headers['content-length'];
    if (req.body.length) headers['content-length'] = String(req.body.length);
    return new Promise((resolve, reject) => {
      const up = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: req.method,
          path: req.path + (query ? `?${query}` : ''),
          headers,
        },
        async (answer) => {
          const status = answer.statusCode ?? 502;
          const replaced = intercept ? await intercept(status).catch(() => undefined) : undefined;
          if (replaced) {
            answer.resume();
            reply(res, replaced, req.method);
            return resolve(replaced.status);
          }
          const out: Record<string, string | string[]> = {};
          for (const [k, v] of Object.entries(answer.headers))
            if (v !== undefined && k !== 'connection' && k !== 'keep-alive') out[k] = v;
          res.writeHead(status, out);
          answer.pipe(res);
          answer.on('end', () => resolve(status));
          answer.on('error', reject);
        },
      );
      // The emulator did not answer: to the caller, the service is unavailable.
      up.on('error', () => {
        if (!res.headersSent) reply(res, unavailable(service), req.method);
        else res.destroy();
        resolve(503);
      });
      up.end(req.body.length ? req.body : undefined);
    });
  }

  /** Whether the caller may list the bucket (S3 answers 403, not 404, for a missing key otherwise). */
  async function mayListBucket(c: Classified, p: Principal): Promise<boolean> {
    const decision = await iam.decide(
      {
        principal: p.sessionArn,
        action: 's3:ListBucket',
        resource: `arn:aws:s3:::${c.bucket}`,
        context: { 'aws:SecureTransport': 'true', 'aws:PrincipalArn': p.roleArn },
      },
      { identity: d.policies.get(p.roleArn) ?? [], resource: d.bucket.policy, account: d.account },
    );
    return decision.allowed;
  }

  async function injectFault(
    c: Classified,
    caller: string | undefined,
    req: IncomingAwsRequest,
    res: ServerResponse,
  ): Promise<boolean> {
    const method = req.method;
    // The SDK sends the same invocation id with every attempt of one call.
    const callId = req.headers['amz-sdk-invocation-id'] ?? randomUUID();
    const rule = faults.match({ service: c.service, operation: c.operation, function: caller, callId });
    if (!rule) return false;
    opts.log({
      level: 'info',
      msg: 'fault injected',
      service: c.service,
      operation: c.operation,
      function: caller,
      kind: rule.kind,
    });
    if (rule.kind === 'cut') {
      res.socket?.destroy();
      return true;
    }
    if (rule.kind === 'unprocessed' && c.service === 'dynamodb' && /^Batch(Get|Write)Item$/.test(c.operation)) {
      const items = (JSON.parse(req.body.toString('utf8') || '{}') as { RequestItems?: unknown }).RequestItems ?? {};
      const body = JSON.stringify(
        c.operation === 'BatchGetItem' ? { Responses: {}, UnprocessedKeys: items } : { UnprocessedItems: items },
      );
      res.writeHead(200, { 'content-type': 'application/x-amz-json-1.0', 'content-length': Buffer.byteLength(body) });
      res.end(body);
      return true;
    }
    if (rule.kind === 'timeout') {
      // Never answers; the caller's own request timeout gives up first. Closed after a minute.
      setTimeout(() => res.socket?.destroy(), 60_000).unref();
      return true;
    }
    reply(
      res,
      rule.kind === 'throttle'
        ? throttled(c.service)
        : rule.error
          ? awsError(c.service, rule.error.code, rule.error.message ?? rule.error.code, rule.error.status)
          : unavailable(c.service),
      method,
    );
    return true;
  }

  async function handlePost(req: IncomingAwsRequest, res: ServerResponse, cors: Record<string, string>): Promise<void> {
    const { bucket } = parseS3Path(req.path);
    let form: Awaited<ReturnType<typeof parsePostForm>>;
    try {
      form = await parsePostForm(req.body, req.headers['content-type'] ?? '');
    } catch {
      return reply(
        res,
        awsError(
          's3',
          'MalformedPOSTRequest',
          'The body of your POST request is not well-formed multipart/form-data.',
          400,
        ),
        'POST',
        cors,
      );
    }
    const check = await checkPostPolicy(form, bucket ?? '', lookup);
    if (!check.ok)
      return reply(res, awsError('s3', check.code, check.message, check.status, check.extra), 'POST', cors);
    const c = classifyS3(
      'POST',
      req.path,
      {},
      req.headers,
      { type: 'POST', signedAt: check.signedAt, now: new Date() },
      check.key,
    );
    if (await injectFault(c, check.principal.function, req, res)) return;
    const denied = await authorize(c, check.principal);
    if (denied) return reply(res, denied, 'POST', cors);
    // Stored with a PUT of exactly the file, as S3 stores a POST upload.
    const put: IncomingAwsRequest = {
      method: 'PUT',
      path: `/${encodeURIComponent(bucket!)}/${check.key.split('/').map(encodeURIComponent).join('/')}`,
      query: {},
      headers: {
        ...(check.contentType ? { 'content-type': check.contentType } : {}),
        ...check.metadata,
        ...(req.headers.origin ? { origin: req.headers.origin } : {}),
      },
      body: form.file!.bytes,
    };
    const stored = await new Promise<{ status: number; headers: http.IncomingHttpHeaders }>((resolve, reject) => {
      const url = new URL(opts.emulators.s3);
      const up = http.request(
        {
          host: url.hostname,
          port: url.port,
          method: 'PUT',
          path: put.path,
          headers: { ...put.headers, host: url.host, 'content-length': String(put.body.length) },
        },
        (a) => {
          a.resume();
          a.on('end', () => resolve({ status: a.statusCode ?? 502, headers: a.headers }));
        },
      );
      up.on('error', reject);
      up.end(put.body);
    });
    if (stored.status >= 300) return reply(res, unavailable('s3'), 'POST', cors);
    const status = Number(form.fields.get('success_action_status') ?? 204);
    const location = `${opts.emulators.s3}${put.path}`;
    const etag = String(stored.headers.etag ?? '');
    if (status === 201) {
      const body =
        `<?xml version="1.0" encoding="UTF-8"?>\n<PostResponse><Location>${location}</Location>` +
        `<Bucket>${bucket}</Bucket><Key>${check.key}</Key><ETag>${etag}</ETag></PostResponse>`;
      res.writeHead(201, { ...cors, 'content-type': 'application/xml', etag, location });
      return void res.end(body);
    }
    res.writeHead(status === 200 ? 200 : 204, { ...cors, etag, location });
    res.end();
  }

  /** S3's own checks of a body against what the request declares. */
  function s3BodyCheck(req: IncomingAwsRequest): AwsErrorReply | undefined {
    const declared = req.headers['x-amz-content-sha256'];
    if (
      declared &&
      /^[0-9a-f]{64}$/.test(declared) &&
      createHash('sha256').update(req.body).digest('hex') !== declared
    ) {
      return awsError(
        's3',
        'XAmzContentSHA256Mismatch',
        "The provided 'x-amz-content-sha256' header does not match what was computed.",
        400,
      );
    }
    // Only the header counts: S3 ignores an x-amz-checksum-sha256 hoisted into a presigned URL's query.
    const sum = req.headers['x-amz-checksum-sha256'];
    if (
      sum &&
      (req.method === 'PUT' || req.method === 'POST') &&
      createHash('sha256').update(req.body).digest('base64') !== sum
    ) {
      return awsError('s3', 'BadDigest', 'The SHA256 you specified did not match the calculated checksum.', 400);
    }
    return undefined;
  }

  const minPartSize = opts.minPartSize ?? 5 * 1024 * 1024;
  /** Sizes (and declared SHA-256s) of the parts uploaded so far, by upload id and part number, for completion. */
  const uploadedParts = new Map<string, { size: number; sha256?: string }>();

  async function handle(raw: IncomingMessage, res: ServerResponse): Promise<void> {
    const [path, rawQuery = ''] = (raw.url ?? '/').split('?');
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(raw.headers))
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
    const body = await readBody(raw);
    const req: IncomingAwsRequest = { method: raw.method ?? 'GET', path, query: parseQuery(rawQuery), headers, body };

    if (path.startsWith('/__carpeta/')) return control(req, res);

    const target = headers['x-amz-target'] ?? '';
    const service: Service =
      (claimedService(req) as Service | undefined) ??
      (target.startsWith('DynamoDB_')
        ? 'dynamodb'
        : target.startsWith('AWSCognitoIdentityProviderService.')
          ? 'cognito-idp'
          : path.startsWith('/v2/email')
            ? 'ses'
            : 's3');
    const cors: Record<string, string> = headers.origin
      ? { 'access-control-allow-origin': headers.origin, 'access-control-expose-headers': 'ETag, x-amz-request-id' }
      : {};

    if (service === 's3' && req.method === 'OPTIONS')
      return void (await forward(opts.emulators.s3, req, rawQuery, res, 's3'));
    if (service === 's3' && req.method === 'POST' && /^multipart\/form-data/i.test(headers['content-type'] ?? ''))
      return handlePost(req, res, cors);

    let c: Classified | 'public';
    let json: unknown;
    try {
      json = service !== 's3' && body.length ? JSON.parse(body.toString('utf8')) : {};
      c =
        service === 'dynamodb'
          ? classifyDynamo(target, json, d)
          : service === 'cognito-idp'
            ? classifyCognito(target, json, d)
            : service === 'ses'
              ? classifySes(req.method, path, json, d)
              : classifyS3(req.method, path, req.query, headers, {
                  type: headers.authorization ? 'REST-HEADER' : 'REST-QUERY-STRING',
                  now: new Date(),
                });
    } catch (e) {
      if (e instanceof ServiceRefusal) return reply(res, awsError(service, e.code, e.message, e.status), req.method);
      return reply(
        res,
        awsError(service, 'SerializationException', 'The request body could not be read.', 400),
        req.method,
      );
    }
    if (c === 'public') return void (await forward(opts.emulators.cognito, req, rawQuery, res, service));

    const v = await verify(req, lookup);
    if (!v.ok) {
      opts.log({
        level: 'warn',
        msg: 'signature refused',
        service,
        operation: c.operation,
        failure: v.failure,
        detail: v.detail,
      });
      return reply(res, signatureError(service, v.failure, v.detail), req.method, service === 's3' ? cors : undefined);
    }
    const p = v.signed.principal;
    if (service === 's3')
      c = classifyS3(req.method, path, req.query, headers, {
        type: v.signed.mechanism === 'header' ? 'REST-HEADER' : 'REST-QUERY-STRING',
        signedAt: v.signed.signedAt,
        now: new Date(),
      });
    if (await injectFault(c, p.function, req, res)) return;
    const denied = await authorize(c, p);
    if (denied) return reply(res, denied, req.method, service === 's3' ? cors : undefined);
    if (service === 's3') {
      const bad = s3BodyCheck(req) ?? (c.operation === 'CompleteMultipartUpload' ? partsRefused(req) : undefined);
      if (bad) return reply(res, bad, req.method, cors);
    }
    const emulator =
      service === 'dynamodb'
        ? opts.emulators.dynamodb
        : service === 's3'
          ? opts.emulators.s3
          : service === 'ses'
            ? opts.emulators.ses
            : opts.emulators.cognito;
    const classified = c;
    // A missing key is 404 only for a caller who may list the bucket; 403 otherwise (nothing is revealed).
    const intercept =
      service === 's3' && (c.operation === 'GetObject' || c.operation === 'HeadObject')
        ? async (status: number): Promise<AwsErrorReply | undefined> => {
            if (status !== 404 || (await mayListBucket(classified, p))) return undefined;
            const denied = awsError('s3', 'AccessDenied', 'Access Denied', 403);
            return { ...denied, headers: { ...denied.headers, ...cors } };
          }
        : undefined;
    const status = await forward(emulator, req, rawQuery, res, service, intercept);
    if (c.operation === 'UploadPart' && status === 200)
      uploadedParts.set(`${req.query.uploadId}#${req.query.partNumber}`, {
        size: req.body.length,
        sha256: req.headers['x-amz-checksum-sha256'],
      });
  }

  /**
   * S3 refuses to complete an upload in which a part other than the last is under the minimum, or whose
   * list names a part's SHA-256 other than the one the part was uploaded with.
   */
  function partsRefused(req: IncomingAwsRequest): AwsErrorReply | undefined {
    const listed = [...req.body.toString('utf8').matchAll(/<Part>([\s\S]*?)<\/Part>/g)].map((m) => ({
      n: /<PartNumber>(\d+)<\/PartNumber>/.exec(m[1])?.[1],
      sha256: /<ChecksumSHA256>([^<]*)<\/ChecksumSHA256>/.exec(m[1])?.[1],
    }));
    const parts = listed.map((p) => uploadedParts.get(`${req.query.uploadId}#${p.n}`));
    for (const part of parts.slice(0, -1))
      if (part !== undefined && part.size < minPartSize)
        return awsError('s3', 'EntityTooSmall', 'Your proposed upload is smaller than the minimum allowed size', 400);
    if (listed.some((p, i) => parts[i] && (p.sha256 ?? undefined) !== parts[i]?.sha256))
      return awsError(
        's3',
        'InvalidPart',
        'One or more of the specified parts could not be found. The part may not have been uploaded, ' +
          "or the specified entity tag or checksum may not match the part's.",
        400,
      );
    for (const p of listed) uploadedParts.delete(`${req.query.uploadId}#${p.n}`);
    return undefined;
  }

  function control(req: IncomingAwsRequest, res: ServerResponse): undefined {
    const json = (status: number, value: unknown): undefined => {
      res.writeHead(status, { 'content-type': 'application/json' });
      res.end(JSON.stringify(value));
    };
    if (!isLoopbackHost(req.headers.host)) return json(403, { error: 'control endpoints answer loopback hosts only' });
    if (req.path === '/__carpeta/faults') {
      if (req.method === 'GET') return json(200, { rules: faults.list() });
      if (req.method === 'DELETE') {
        faults.set([]);
        return json(200, { rules: [] });
      }
      if (req.method === 'PUT') {
        const rules = (JSON.parse(req.body.toString('utf8') || '{}') as { rules?: FaultRule[] }).rules ?? [];
        const batchless = rules.find(
          (r) => r.kind === 'unprocessed' && !/^Batch(Get|Write)Item$/.test(r.operation ?? ''),
        );
        if (batchless)
          return json(400, { error: 'an unprocessed fault names operation BatchGetItem or BatchWriteItem' });
        faults.set(rules);
        return json(200, { rules: faults.list() });
      }
    }
    if (req.path === '/__carpeta/denials' && req.method === 'GET') return json(200, { denials });
    json(404, { error: 'no such control endpoint' });
  }

  const server = http.createServer((req, res) => {
    handle(req, res).catch((err) => {
      opts.log({
        level: 'error',
        msg: 'gateway error',
        err: String((err as Error)?.stack ?? err),
        requestId: randomUUID(),
      });
      if (!res.headersSent) reply(res, unavailable('s3'), req.method ?? 'GET');
      else res.destroy();
    });
  });
  keepIdleConnections(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    faults,
    denials: () => [...denials],
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
}
