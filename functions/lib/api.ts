/**
 * One Lambda per trust boundary: createApi builds its handler from the route
 * table. It finds the route by API Gateway's routeKey, enforces the route's
 * audience from the authorizer's claims (401 / 403), loads the route file and
 * maps whatever it throws to the one error shape.
 */
import middy from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyResultV2, Context } from 'aws-lambda';
import { type Audience, type FunctionName, functionOf, type Route, routeKey, routes } from '../routes.ts';
import { clock } from './clock.ts';
import { Forbidden, NotFound, toHttpError, Unauthorized } from './errors.ts';
import type { Caller, Reply, RequestInfo, RouteHandler } from './http.ts';
import { logger as baseLogger, createLogger } from './logger.ts';

export type RouteLoader<D> = (name: string) => Promise<{ default: RouteHandler<D> }>;

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

type Claims = Record<string, string | number | boolean | string[] | undefined>;

/** HTTP API passes array claims as "[a b]"; the local shim does the same. */
export function parseGroups(raw: unknown): string[] {
  if (Array.isArray(raw)) return raw.map(String);
  if (typeof raw !== 'string' || raw === '') return [];
  return raw
    .replace(/^\[|\]$/g, '')
    .split(/[\s,]+/)
    .filter(Boolean);
}

function callerFrom(event: APIGatewayProxyEventV2): Caller | undefined {
  const claims = (event.requestContext as { authorizer?: { jwt?: { claims?: Claims } } }).authorizer?.jwt?.claims;
  if (!claims || typeof claims.sub !== 'string') return undefined;
  const caller = {
    sub: claims.sub,
    username: String(claims.username ?? claims['cognito:username'] ?? claims.sub),
    groups: parseGroups(claims['cognito:groups']),
    clientId: String(claims.client_id ?? ''),
    authTime: claims.auth_time !== undefined ? String(claims.auth_time) : undefined,
    // ID tokens also satisfy the HTTP API authorizer (their aud is the client id): only access tokens are accepted.
    ...(claims.token_use === 'access' ? {} : { invalid: true }),
  } as Caller;
  const bearer = /^Bearer (\S+)$/i.exec(event.headers?.authorization ?? '')?.[1];
  if (bearer) Object.defineProperty(caller, 'accessToken', { value: bearer, enumerable: false });
  return caller;
}

export function checkAudience(audience: Audience, caller: Caller | undefined): void {
  if (audience === 'public' || audience === 'link') return;
  if (!caller || (caller as Caller & { invalid?: boolean }).invalid) throw new Unauthorized();
  const g = caller.groups;
  const allowed =
    audience === 'signedin'
      ? g.length > 0
      : audience === 'staff'
        ? g.includes('staff') || g.includes('admin')
        : audience === 'admin'
          ? g.includes('admin')
          : audience === 'webuser'
            ? g.includes('webusers') && !g.includes('staff') && !g.includes('admin')
            : false;
  if (!allowed) throw new Forbidden();
}

function toResult(reply: Reply, requestId: string): APIGatewayProxyResultV2 {
  const headers: Record<string, string> = { ...SECURITY_HEADERS, 'x-request-id': requestId, ...reply.headers };
  if (reply.raw) {
    const isText = typeof reply.raw.data === 'string';
    headers['content-type'] = reply.raw.contentType;
    return {
      statusCode: reply.status,
      headers,
      body: isText ? (reply.raw.data as string) : Buffer.from(reply.raw.data as Uint8Array).toString('base64'),
      isBase64Encoded: !isText,
    };
  }
  if (reply.body === undefined) return { statusCode: reply.status, headers };
  headers['content-type'] = 'application/json; charset=utf-8';
  return { statusCode: reply.status, headers, body: JSON.stringify(reply.body) };
}

export interface ApiOptions<D> {
  /** The function's adapters, built once per container; every handler gets them as `req.deps`. */
  deps: D;
  /**
   * Runs after the audience check on every route with a signed-in caller: the staff
   * function checks the account is still active, and admin rights and TOTP on admin routes.
   */
  guard?: (deps: D, audience: Audience, caller: Caller) => Promise<void>;
}

export function createApi<D>(fn: FunctionName, load: RouteLoader<D>, options: ApiOptions<D>) {
  const { deps, guard } = options;
  const table = new Map<string, Route>(routes.filter((r) => functionOf(r) === fn).map((r) => [routeKey(r), r]));

  const core = async (event: APIGatewayProxyEventV2, context: Context): Promise<APIGatewayProxyResultV2> => {
    const requestId = event.requestContext?.requestId ?? context.awsRequestId;
    const log = createLogger({ service: `${fn}-api`, requestId, route: event.routeKey });
    const started = Date.now();
    try {
      const route = table.get(event.routeKey);
      if (!route) throw new NotFound();
      const caller = callerFrom(event);
      checkAudience(route.audience, caller);
      if (caller && guard) await guard(deps, route.audience, caller);
      const handler = (await load(route.handler.slice(fn.length + 1))).default;
      const req: RequestInfo<D> = {
        requestId,
        ip: event.requestContext?.http?.sourceIp ?? '',
        userAgent: event.requestContext?.http?.userAgent ?? event.headers?.['user-agent'] ?? '',
        now: clock.now(event),
        caller,
        log,
        deps,
      };
      const reply = await handler(event, req);
      log.info('request', { status: reply.status, ms: Date.now() - started, user: caller?.sub });
      return toResult(reply, requestId);
    } catch (err) {
      const mapped = toHttpError(err);
      if (mapped.status >= 500) log.error('request failed', { status: mapped.status, err, ms: Date.now() - started });
      else log.info('request', { status: mapped.status, code: mapped.body.error.code, ms: Date.now() - started });
      return toResult({ status: mapped.status, body: mapped.body, headers: mapped.headers }, requestId);
    }
  };

  return middy<APIGatewayProxyEventV2, APIGatewayProxyResultV2>(core).use({
    // Last line of defence: anything escaping core still gets the error shape, never a stack.
    onError: async (request) => {
      baseLogger.error('unhandled', { err: request.error });
      request.response = toResult(toHttpError(request.error), request.context.awsRequestId);
    },
  });
}
