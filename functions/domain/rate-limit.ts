/**
 * Brute-force limit on guessing capability tokens (share links, invitations):
 * pure window math, no AWS. Failures are counted per address in fixed windows
 * of `windowSeconds`; the decision uses a sliding estimate over the current
 * and the previous window (the previous one weighted by how much of it still
 * overlaps the last `windowSeconds`), so 20 failures just before a window
 * boundary and 20 just after still count as 40 within five minutes.
 */
export interface RateLimitPolicy {
  /** Failures allowed within the window; the next attempt is refused. */
  limit: number;
  windowSeconds: number;
}

/** Start (epoch seconds) of the fixed window that holds `nowMs`. */
export function windowStart(nowMs: number, windowSeconds: number): number {
  const s = Math.floor(nowMs / 1000);
  return s - (((s % windowSeconds) + windowSeconds) % windowSeconds);
}

/** The current and the previous window starts: the counters a decision reads. */
export function windowsAt(nowMs: number, policy: RateLimitPolicy): { current: number; previous: number } {
  const current = windowStart(nowMs, policy.windowSeconds);
  return { current, previous: current - policy.windowSeconds };
}

/** Failures in the last `windowSeconds`, estimated from the two counters. */
export function estimate(previous: number, current: number, nowMs: number, policy: RateLimitPolicy): number {
  const w = policy.windowSeconds * 1000;
  const start = windowStart(nowMs, policy.windowSeconds) * 1000;
  const overlap = 1 - Math.min(1, Math.max(0, (nowMs - start) / w));
  return previous * overlap + current;
}

export interface RateDecision {
  blocked: boolean;
  /** When blocked: seconds until an attempt would be allowed again (no more failures meanwhile). */
  retryAfterSeconds: number;
}

/** Over the limit? A partly-aged failure still counts as a whole one (errs on the side of refusing). */
const over = (n: number, policy: RateLimitPolicy) => Math.ceil(n - 1e-9) >= policy.limit;

export function decide(previous: number, current: number, nowMs: number, policy: RateLimitPolicy): RateDecision {
  if (!over(estimate(previous, current, nowMs, policy), policy)) return { blocked: false, retryAfterSeconds: 0 };
  // Walk forward second by second (at most two windows): the counters only age.
  const start = windowStart(nowMs, policy.windowSeconds);
  for (let s = 1; s <= 2 * policy.windowSeconds; s++) {
    const t = nowMs + s * 1000;
    const moved = windowStart(t, policy.windowSeconds) !== start;
    const [p, c] =
      windowStart(t, policy.windowSeconds) - start >= 2 * policy.windowSeconds
        ? [0, 0]
        : moved
          ? [current, 0]
          : [previous, current];
    if (!over(estimate(p, c, t, policy), policy)) return { blocked: true, retryAfterSeconds: s };
  }
  return { blocked: true, retryAfterSeconds: 2 * policy.windowSeconds };
}

/** When DynamoDB may delete a counter (epoch seconds): after it can no longer matter. */
export function counterExpiry(windowStartSeconds: number, policy: RateLimitPolicy): number {
  return windowStartSeconds + 2 * policy.windowSeconds + 60;
}

/**
 * How many failures the current window may hold in all, given the previous window's count (closed:
 * it no longer grows) and how much of it still overlaps the last `windowSeconds`. A failure is counted
 * only while the current window holds fewer (one conditional write), so parallel attempts cannot all
 * slip under the limit.
 */
export function allowance(previous: number, nowMs: number, policy: RateLimitPolicy): number {
  return Math.max(0, policy.limit - Math.ceil(estimate(previous, 0, nowMs, policy) - 1e-9));
}
