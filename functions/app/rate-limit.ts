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
import { config } from '../lib/config.ts';
import { TooManyRequests } from '../lib/errors.ts';
import { logger } from '../lib/logger.ts';
import { counterExpiry, decide, windowsAt, type RateLimitPolicy } from '../domain/rate-limit.ts';
import { addFailure, readCounts } from '../store/rate.ts';

export type RateScope = 'share' | 'invite';

const policy = (): RateLimitPolicy => ({
  limit: config.rateLimitFailures,
  windowSeconds: config.rateLimitWindowSeconds,
});
const who = (ip: string) => ip || 'unknown';

/** The decision for this address now: call it in the first round, then `enforce`. */
export async function limitFor(
  scope: RateScope,
  ctx: { ip: string; now: Date },
): Promise<{ blocked: boolean; retryAfterSeconds: number }> {
  const p = policy();
  const w = windowsAt(ctx.now.getTime(), p);
  const [previous, current] = await readCounts(scope, who(ctx.ip), [w.previous, w.current]);
  return decide(previous, current, ctx.now.getTime(), p);
}

export function enforce(
  scope: RateScope,
  decision: { blocked: boolean; retryAfterSeconds: number },
  ctx: { ip: string },
): void {
  if (!decision.blocked) return;
  logger.warn('rate limited', { scope, ip: who(ctx.ip), retryAfterSeconds: decision.retryAfterSeconds });
  throw new TooManyRequests(decision.retryAfterSeconds);
}

/** Counts one failed attempt. A counter that cannot be written does not change the answer (still 404). */
export async function recordFailure(scope: RateScope, ctx: { ip: string; now: Date }): Promise<void> {
  const p = policy();
  const { current } = windowsAt(ctx.now.getTime(), p);
  await addFailure(scope, who(ctx.ip), current, counterExpiry(current, p)).catch((err) =>
    logger.warn('rate counter not written', { scope, err }),
  );
}
