/**
 * The local stand-in for API Gateway's HTTP API: matches the request against
 * the route table, runs the JWT authorizer where the route needs it, builds an
 * API Gateway v2 event and invokes the function that serves the route (its
 * deployed bundle, in the local Lambda service), answering as the HTTP API
 * does when the invocation fails.
 */

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import { type FunctionName, functionOf, needsJwt, type Route, routeKey, routes } from '../functions/routes.ts';
import type { JwtVerifier } from './jwt.ts';

interface Compiled {
  route: Route;
  regex: RegExp;
  names: string[];
  literals: number;
}

const compiled: Compiled[] = routes.map((route) => {
  const names: string[] = [];
  const segments = route.path.split('/').filter(Boolean);
  const pattern = segments
    .map((s) => {
      const m = /^\{(\w+)\}$/.exec(s);
      if (m) {
        names.push(m[1]);
        return '([^/]+)';
      }
      return s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  return {
    route,
    regex: new RegExp(`^/${pattern}/?$`),
    names,
    literals: segments.filter((s) => !s.startsWith('{')).length,
  };
});
// API Gateway prefers the most specific route: more literal segments first.
compiled.sort((a, b) => b.literals - a.literals);

export function matchRoute(method: string, path: string): { route: Route; params: Record<string, string> } | undefined {
  for (const c of compiled) {
    if (c.route.method !== method) continue;
    const m = c.regex.exec(path);
    if (!m) continue;
    const params: Record<string, string> = {};
    c.names.forEach((n, i) => {
      try {
        params[n] = decodeURIComponent(m[i + 1]);
      } catch {
        params[n] = m[i + 1];
      }
    });
    return { route: c.route, params };
  }
  return undefined;
}

/** Invokes a function of the deployment with an event; the local Lambda service's answer. */
export type Invoke = (
  fn: FunctionName,
  event: APIGatewayProxyEventV2,
  requestId: string,
) => Promise<{ ok: true; payload: string } | { ok: false; error: { errorType: string; errorMessage: string } }>;

function readBody(req: IncomingMessage, limit = 10 * 1024 * 1024): Promise<Buffer | 'too-large'> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > limit) resolve('too-large');
      else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

function send(res: ServerResponse, status: number, body: string, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'content-type': 'application/json; charset=utf-8', ...headers });
  res.end(body);
}

const unauthorized = JSON.stringify({ error: { code: 'unauthorized', message: 'Sign in to continue.' } });

/** Claims as the HTTP API authorizer hands them to Lambda: strings, arrays as "[a b]". */
function flattenClaims(claims: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(claims)) out[k] = Array.isArray(v) ? `[${v.join(' ')}]` : String(v);
  return out;
}

export function createApiShim(verifier: () => JwtVerifier, opts: { prefix: string; invoke: () => Invoke }) {
  return async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://local');
    const path = url.pathname.slice(opts.prefix.length) || '/';
    const method = (req.method ?? 'GET').toUpperCase();
    const match = matchRoute(method, path);
    if (!match) return send(res, 404, JSON.stringify({ error: { code: 'not_found', message: 'Not found.' } }));

    let claims: Record<string, string> | undefined;
    if (needsJwt(match.route.audience)) {
      const auth = req.headers.authorization ?? '';
      const token = /^Bearer\s+(.+)$/i.exec(auth)?.[1];
      const verified = token ? await verifier().verify(token) : undefined;
      if (!verified) return send(res, 401, unauthorized, { 'www-authenticate': 'Bearer' });
      claims = flattenClaims(verified);
    }

    const raw = await readBody(req);
    if (raw === 'too-large')
      return send(
        res,
        413,
        JSON.stringify({ error: { code: 'too_large', message: 'The request body is too large.' } }),
      );
    const headers: Record<string, string> = {};
    for (const [k, v] of Object.entries(req.headers))
      if (v !== undefined) headers[k.toLowerCase()] = Array.isArray(v) ? v.join(',') : v;
    const query: Record<string, string> = {};
    for (const [k, v] of url.searchParams) query[k] = k in query ? `${query[k]},${v}` : v;
    const contentType = headers['content-type'] ?? '';
    const isText = raw.length === 0 || /json|text|x-www-form-urlencoded|xml/.test(contentType);
    const requestId = randomUUID();
    const now = new Date();
    const key = routeKey(match.route);
    const event: APIGatewayProxyEventV2 = {
      version: '2.0',
      routeKey: key,
      rawPath: path,
      rawQueryString: url.search.slice(1),
      headers,
      queryStringParameters: Object.keys(query).length ? query : undefined,
      pathParameters: Object.keys(match.params).length ? match.params : undefined,
      body: raw.length ? (isText ? raw.toString('utf8') : raw.toString('base64')) : undefined,
      isBase64Encoded: raw.length > 0 && !isText,
      requestContext: {
        accountId: '000000000000',
        apiId: 'local',
        domainName: headers.host ?? 'localhost',
        domainPrefix: 'local',
        http: {
          method,
          path,
          protocol: 'HTTP/1.1',
          sourceIp: req.socket.remoteAddress?.replace(/^::ffff:/, '') ?? '127.0.0.1',
          userAgent: headers['user-agent'] ?? '',
        },
        requestId,
        routeKey: key,
        stage: '$default',
        time: now.toUTCString(),
        timeEpoch: now.getTime(),
        ...(claims ? { authorizer: { jwt: { claims, scopes: null } } } : {}),
      } as APIGatewayProxyEventV2['requestContext'],
    };
    const invocation = await opts.invoke()(functionOf(match.route), event, requestId);
    if (!invocation.ok) {
      // The HTTP API's answers when the integration fails: the function threw, timed out, or its
      // response (or this request) was over Lambda's 6 MB.
      const tooLarge = invocation.error.errorType === 'RequestEntityTooLargeException';
      const message = tooLarge ? 'Request Entity Too Large' : 'Internal Server Error';
      return send(res, tooLarge ? 413 : 500, JSON.stringify({ message }), { 'apigw-requestid': requestId });
    }
    const result = JSON.parse(invocation.payload) as APIGatewayProxyStructuredResultV2;
    const body =
      result.body === undefined ? '' : result.isBase64Encoded ? Buffer.from(result.body, 'base64') : result.body;
    const out = { 'apigw-requestid': requestId, ...((result.headers ?? {}) as Record<string, string>) };
    res.writeHead(result.statusCode ?? 200, out);
    res.end(body);
  };
}
