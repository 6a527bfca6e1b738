/**
 * What a route handler sees and returns. A route file is:
 *   export default defineRoute({ params, query, body }, async (input, req) => ok(await useCase(req.deps, ...)))
 * with `defineRoute` from its function's folder (functions/http/<fn>/define.ts), which types `req.deps`
 * as what that Lambda wires. Input is validated with zod before the handler runs; any failure is a 400
 * naming the field and the rule.
 */

import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import type * as z from 'zod';
import { Invalid } from './errors.ts';
import type { Logger } from './logger.ts';

export interface Caller {
  /** Cognito `sub`: our user id. */
  sub: string;
  username: string;
  groups: string[];
  clientId: string;
  /** When the user signed in (same across token refreshes): marks a new session. */
  authTime?: string;
  /**
   * The bearer access token itself, for the Cognito calls that act on the token's own user (GetUser,
   * AssociateSoftwareToken). Not enumerable, so no log line or JSON of a caller ever carries it.
   */
  readonly accessToken?: string;
}

export interface RequestInfo<D = unknown> {
  requestId: string;
  ip: string;
  userAgent: string;
  now: Date;
  caller?: Caller;
  log: Logger;
  /** The adapters this Lambda built once per container (functions/lambda/*). */
  deps: D;
}

export interface Reply {
  status: number;
  body?: unknown;
  headers?: Record<string, string>;
  /** Raw (non-JSON) body, e.g. CSV or PDF. */
  raw?: { contentType: string; data: string | Uint8Array };
}

export type RouteHandler<D = unknown> = (event: APIGatewayProxyEventV2, req: RequestInfo<D>) => Promise<Reply>;

export const ok = (body: unknown): Reply => ({ status: 200, body });
export const created = (body: unknown): Reply => ({ status: 201, body });
/** Done, with more to happen outside the request (a mail on its way). */
export const accepted = (body: unknown): Reply => ({ status: 202, body });
export const noContent = (): Reply => ({ status: 204 });

type Schema = z.ZodType;
type Out<S> = S extends z.ZodType<infer T> ? T : undefined;

function describe(where: string, error: z.ZodError): Invalid {
  const issue = error.issues[0];
  const path = issue.path.map(String);
  if (issue.code === 'unrecognized_keys') path.push(...issue.keys.slice(0, 1));
  const field = path.length ? path.join('.') : where;
  const message = issue.code === 'unrecognized_keys' ? `Unknown field "${field}".` : `${field}: ${issue.message}`;
  // zod's issue code is the rule (too_big, invalid_type, invalid_format, unrecognized_keys...).
  return new Invalid(message, field, issue.code);
}

function parseWith<S extends Schema>(schema: S | undefined, value: unknown, where: string): Out<S> {
  if (!schema) return undefined as Out<S>;
  const result = schema.safeParse(value);
  if (!result.success) throw describe(where, result.error);
  return result.data as Out<S>;
}

function readBody(event: APIGatewayProxyEventV2): unknown {
  if (event.body === undefined || event.body === null || event.body === '') return {};
  const text = event.isBase64Encoded ? Buffer.from(event.body, 'base64').toString('utf8') : event.body;
  try {
    return JSON.parse(text);
  } catch {
    throw new Invalid('The request body is not valid JSON.', 'body', 'json');
  }
}

/** `defineRoute` for the routes of one function, whose handlers get that function's deps as `req.deps`. */
export function routesWith<D>() {
  return function defineRoute<
    P extends Schema | undefined = undefined,
    Q extends Schema | undefined = undefined,
    B extends Schema | undefined = undefined,
    H extends Schema | undefined = undefined,
  >(
    spec: { params?: P; query?: Q; body?: B; headers?: H },
    run: (
      input: { params: Out<P>; query: Out<Q>; body: Out<B>; headers: Out<H> },
      req: RequestInfo<D>,
    ) => Promise<Reply>,
  ): RouteHandler<D> {
    return async (event, req) => {
      const params = parseWith(spec.params, event.pathParameters ?? {}, 'path') as Out<P>;
      const query = parseWith(spec.query, event.queryStringParameters ?? {}, 'query') as Out<Q>;
      // Header names arrive lower-cased (API Gateway's payload v2); a schema names only those it reads.
      const headers = parseWith(spec.headers, event.headers ?? {}, 'headers') as Out<H>;
      const body = spec.body ? parseWith(spec.body, readBody(event), 'body') : (undefined as Out<B>);
      return run({ params, query, body, headers }, req);
    };
  };
}
