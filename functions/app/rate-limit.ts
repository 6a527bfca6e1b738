/**
 * The brute-force guard on capability tokens (share links, invitations), and
 * on denials to signed-in clients: more than RATE_LIMIT_FAILURES failed
 * attempts within RATE_LIMIT_WINDOW_SECONDS get 429 with Retry-After, whatever
 * they ask next, until the window has passed. Only failures are counted, per
 * subject: the address, and for tokens also the token's first characters (so a
 * prefix that leaked cannot be brute-forced from many addresses); the counters
 * live in DynamoDB so the limit holds across Lambda instances.
 *
 * `limitFor` reads the counters in the request's first round (alongside the
 * token lookup, so the route keeps its round trips); the caller refuses with
 * `TooManyRequests` before using anything it looked up. A failure then takes a
 * slot with one atomic conditional write (`failed`): when the window is full
 * the answer is 429 too, so with any number of parallel guesses at most the
 * limit are answered anything else.
 */

import { allowance, counterExpiry, decide, type RateLimitPolicy, windowsAt } from '../domain/rate-limit.ts';
import { TooManyRequests } from '../lib/errors.ts';
import type { RequestCtx } from './access.ts';
import type { Needs } from './ports.ts';

export type RateScope = 'share' | 'invite' | 'denied';
type RateDeps = Needs<'rateLimits' | 'config'>;

/** Characters of a token that make its prefix subject: enough to name a leaked prefix, too few to matter alone. */
const PREFIX = 8;

const policy = (deps: RateDeps): RateLimitPolicy => ({
  limit: deps.config.rateLimitFailures,
  windowSeconds: deps.config.rateLimitWindowSeconds,
});

/** Whom a failure is counted against: the address, and the token's prefix when there is a token. */
export function subjectsOf(ctx: RequestCtx, token?: string): string[] {
  return [`ip:${ctx.ip || 'unknown'}`, ...(token && token.length > PREFIX ? [`prefix:${token.slice(0, PREFIX)}`] : [])];
}

export interface Limit {
  blocked: boolean;
  retryAfterSeconds: number;
  /** Per subject: the previous window's count (what the allowance of this window depends on). */
  previous: number[];
  subjects: string[];
}

/** The decision for these subjects now: call it in the first round, then `enforce`. */
export async function limitFor(deps: RateDeps, scope: RateScope, ctx: RequestCtx, subjects: string[]): Promise<Limit> {
  const p = policy(deps);
  const w = windowsAt(ctx.now.getTime(), p);
  const counts = await deps.rateLimits.readCounts(scope, subjects, [w.previous, w.current]);
  const decisions = counts.map(([previous, current]) => decide(previous, current, ctx.now.getTime(), p));
  const blocked = decisions.filter((d) => d.blocked);
  return {
    blocked: blocked.length > 0,
    retryAfterSeconds: Math.max(0, ...blocked.map((d) => d.retryAfterSeconds)),
    previous: counts.map(([previous]) => previous),
    subjects,
  };
}

function refuse(scope: RateScope, retryAfterSeconds: number, ctx: RequestCtx): never {
  ctx.log.warn('rate limited', { scope, ip: ctx.ip || 'unknown', retryAfterSeconds });
  throw new TooManyRequests(retryAfterSeconds);
}

export function enforce(scope: RateScope, limit: Limit, ctx: RequestCtx): void {
  if (limit.blocked) refuse(scope, limit.retryAfterSeconds, ctx);
}

/**
 * Counts one failed attempt against every subject, each in one conditional write; when any window
 * is already full the attempt is over the limit: 429. A counter that cannot be written (the store
 * failing) does not change the answer.
 */
export async function failed(
  deps: RateDeps,
  scope: RateScope,
  ctx: RequestCtx,
  limit: Pick<Limit, 'subjects' | 'previous'>,
) {
  const p = policy(deps);
  const now = ctx.now.getTime();
  const { current } = windowsAt(now, p);
  const taken = await Promise.all(
    limit.subjects.map((subject, i) =>
      deps.rateLimits
        .takeFailureSlot(scope, subject, current, allowance(limit.previous[i] ?? 0, now, p), counterExpiry(current, p))
        .catch((err) => {
          ctx.log.warn('rate counter not written', { scope, err });
          return true;
        }),
    ),
  );
  if (taken.every(Boolean)) return;
  // Full: as blocked as a request that read a full window.
  const full = limit.subjects.map((_, i) => decide(limit.previous[i] ?? 0, p.limit, now, p).retryAfterSeconds);
  refuse(scope, Math.max(1, ...full), ctx);
}
