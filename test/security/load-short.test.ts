/**
 * The short version of `npm run load` (scripts/load.ts) in `npm test`: a few
 * clients and staff for a few seconds against a stack of its own, doing the
 * realistic mix; zero 5xx, zero unexpected answers, zero lost writes. The
 * latency table is printed as diagnostics; no timing is asserted.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { printReport, runLoad } from '../../scripts/load.ts';

test('load (short): zero 5xx and zero lost writes under a concurrent mix', async (t) => {
  const lines: string[] = [];
  const report = await runLoad({
    seconds: Number(process.env.LOAD_SECONDS ?? 5),
    clients: 8,
    staff: 3,
    maxRequests: 20_000,
    log: (l) => lines.push(l),
  });
  printReport(report, (l) => lines.push(l));
  for (const l of lines) t.diagnostic(l);
  assert.ok(report.requests > 50, `${report.requests} requests`);
  assert.equal(report.serverErrors, 0, JSON.stringify(report.statuses));
  assert.deepEqual(report.unexpected, []);
  assert.deepEqual(report.lostWrites, []);
  assert.ok(
    report.writes.uploads > 0 && report.writes.grants > 0 && report.writes.downloads > 0,
    JSON.stringify(report.writes),
  );
});
