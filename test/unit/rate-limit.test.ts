/** The brute-force limit's window math (functions/domain/rate-limit.ts). */

import assert from 'node:assert/strict';
import { test } from '@jest/globals';
import { counterExpiry, decide, estimate, windowStart, windowsAt } from '../../functions/domain/rate-limit.ts';

const policy = { limit: 20, windowSeconds: 300 };
const T0 = 1_800_000_000_000 - (1_800_000_000 % 300) * 1000; // a window start, in ms

test('windows are aligned to the window size', () => {
  assert.equal(windowStart(T0, 300) * 1000, T0);
  assert.equal(windowStart(T0 + 299_999, 300) * 1000, T0);
  assert.equal(windowStart(T0 + 300_000, 300) * 1000, T0 + 300_000);
  assert.deepEqual(windowsAt(T0 + 10_000, policy), { current: T0 / 1000, previous: T0 / 1000 - 300 });
});

test('20 failures in a window: the next attempt is refused; 19 are not', () => {
  assert.equal(decide(0, 19, T0 + 1000, policy).blocked, false);
  const d = decide(0, 20, T0 + 1000, policy);
  assert.equal(d.blocked, true);
  assert.ok(d.retryAfterSeconds > 0 && d.retryAfterSeconds <= 600, String(d.retryAfterSeconds));
});

test('the previous window still counts for what overlaps the last five minutes', () => {
  // 20 failures just before the boundary, none after: still blocked one second later.
  assert.equal(estimate(20, 0, T0 + 1000, policy) >= 19.9, true);
  assert.equal(decide(20, 0, T0 + 1000, policy).blocked, true);
  // 15 before, 6 after: more than 20 within five minutes.
  assert.equal(decide(15, 6, T0 + 1000, policy).blocked, true);
  // Half a window later, half of the previous window's failures still count.
  assert.equal(estimate(20, 0, T0 + 150_000, policy), 10);
  assert.equal(decide(20, 0, T0 + 150_000, policy).blocked, false);
});

test('retry-after is when the estimate falls below the limit with no more failures', () => {
  const now = T0 + 100_000;
  const d = decide(0, 20, now, policy);
  assert.ok(d.blocked);
  const later = now + d.retryAfterSeconds * 1000;
  const moved = windowStart(later, 300) !== windowStart(now, 300);
  assert.ok(moved, 'it has to wait for the window to end');
  assert.equal(decide(20, 0, later, policy).blocked, false);
  assert.equal(
    decide(20, 0, later - 1000, policy).blocked || windowStart(later - 1000, 300) === windowStart(now, 300),
    true,
  );
});

test('counters expire only after they can no longer matter', () => {
  const start = T0 / 1000;
  assert.ok(counterExpiry(start, policy) >= start + 600);
});

test('configurable: 3 failures in 60 s', () => {
  const p = { limit: 3, windowSeconds: 60 };
  assert.equal(decide(0, 2, T0, p).blocked, false);
  const d = decide(0, 3, T0 + 5000, p);
  assert.ok(d.blocked && d.retryAfterSeconds <= 120);
});
