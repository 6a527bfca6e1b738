/**
 * The brute-force guard on capability tokens (share links, invitations):
 * more than RATE_LIMIT_FAILURES failed attempts from one address within
 * RATE_LIMIT_WINDOW_SECONDS get 429 with Retry-After, whatever they ask next,
 * until the window has passed. Only failures are counted; the counters live
 * in DynamoDB so the limit holds across Lambda instances.
 *
 * `limitFor` reads the counters in the request's first round (alongside the
 * token lookup, so the route keeps its round trips); the caller refuses with
 * `TooManyRequests` before using anything it looked up.
 */
import { TooManyRequests } from '../lib/errors.ts';
import { counterExpiry, decide, windowsAt, type RateLimitPolicy } from '../domain/rate-limit.ts';
import type { RequestCtx } from './access.ts';
import type { Needs } from './ports.ts';

export type RateScope = 'share' | 'invite';
type RateDeps = Needs<'rateLimits' | 'config'>;

const policy = (deps: RateDeps): RateLimitPolicy => ({
  limit: deps.config.rateLimitFailures,
  windowSeconds: deps.config.rateLimitWindowSeconds,
});
const who = (ip: string) => ip || 'unknown';

/** The decision for this address now: call it in the first round, then `enforce`. */
export async function limitFor(
  deps: RateDeps,
  scope: RateScope,
  ctx: RequestCtx,
): Promise<{ blocked: boolean; retryAfterSeconds: number }> {
  const p = policy(deps);
  const w = windowsAt(ctx.now.getTime(), p);
  const [previous, current] = await deps.rateLimits.readCounts(scope, who(ctx.ip), [w.previous, w.current]);
  return decide(previous, current, ctx.now.getTime(), p);
}

export function enforce(
  scope: RateScope,
  decision: { blocked: boolean; retryAfterSeconds: number },
  ctx: RequestCtx,
): void {
  if (!decision.blocked) return;
  ctx.log.warn('rate limited', { scope, ip: who(ctx.ip), retryAfterSeconds: decision.retryAfterSeconds });
  throw new TooManyRequests(decision.retryAfterSeconds);
}

/** Counts one failed attempt. A counter that cannot be written does not change the answer (still 404). */
export async function recordFailure(deps: RateDeps, scope: RateScope, ctx: RequestCtx): Promise<void> {
  const p = policy(deps);
  const { current } = windowsAt(ctx.now.getTime(), p);
  await deps.rateLimits
    .addFailure(scope, who(ctx.ip), current, counterExpiry(current, p))
    .catch((err) => ctx.log.warn('rate counter not written', { scope, err }));
}
