/**
 * The short version of `npm run load` (scripts/load.ts) in `npm test`: a few
 * clients and staff for a fixed number of requests against a stack of its own, doing the
 * realistic mix; zero 5xx, zero unexpected answers, zero lost writes. The
 * latency table is printed as diagnostics; no timing is asserted.
 */

import assert from 'node:assert/strict';
import { test } from '@jest/globals';
import { printReport, runLoad } from '../../scripts/load.ts';

test('load (short): zero 5xx and zero lost writes under a concurrent mix', async () => {
  const lines: string[] = [];
  // A fixed amount of work (not a fixed time, so a busy machine changes how long it takes, not what it
  // checks); the minute is only a bound.
  const REQUESTS = Number(process.env.LOAD_REQUESTS ?? 200);
  const report = await runLoad({ seconds: 60, clients: 8, staff: 3, maxRequests: REQUESTS, log: (l) => lines.push(l) });
  printReport(report, (l) => lines.push(l));
  console.log(lines.join('\n'));
  assert.ok(report.requests >= REQUESTS, `${report.requests} of ${REQUESTS} requests made within the bound`);
  assert.equal(report.serverErrors, 0, JSON.stringify(report.statuses));
  assert.deepEqual(report.unexpected, []);
  assert.deepEqual(report.lostWrites, []);
  assert.ok(
    report.writes.uploads > 0 && report.writes.grants > 0 && report.writes.downloads > 0,
    JSON.stringify(report.writes),
  );
});
