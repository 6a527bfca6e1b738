/**
 * Keeps `npm run bench` from rotting: its core (a local stack, the seeder,
 * share links through the API, the in-process call counter, the load worker)
 * at a tiny size, asserting only facts, never timings: every hot route answers
 * as it should, and each request stays within the DynamoDB rounds and calls
 * docs/ARCHITECTURE.md documents (at most two rounds before the response, plus
 * the activity event where one is due; no Scan).
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { beforeAll, describe, it } from '@jest/globals';
import type { CoreResult } from '../../bench/core.ts';
import { roundsOf } from '../../bench/instrument.ts';
import {
  ancestorsOf,
  fileOrder,
  filesIn,
  grantList,
  itemCount,
  linkFolders,
  reachable,
  SIZES,
  subtree,
} from '../../bench/model.ts';
import { HOT_ROUTES } from '../../bench/routes.ts';

describe('the benchmark at a tiny size', () => {
  let r: CoreResult;
  beforeAll(async () => {
    // In a process of its own, as `npm run bench` runs each size (the stack lives there).
    const dir = mkdtempSync(path.join(tmpdir(), 'carpeta-bench-small-'));
    const out = path.join(dir, 'result.json');
    const options = { size: 'tiny', concurrency: [1, 4], load: { warmup: 2, max: 6, maxMs: 10_000 }, meterRequests: 3 };
    const run = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'bench/child.ts', 'core', JSON.stringify(options), out],
      {
        stdio: ['ignore', 'inherit', 'inherit'],
        env: { ...process.env, NODE_OPTIONS: '' },
      },
    );
    assert.equal(run.status, 0, 'the benchmark core ran');
    r = JSON.parse(readFileSync(out, 'utf8'));
    rmSync(dir, { recursive: true, force: true });
  });

  it('seeds every planned item', () => {
    assert.equal(r.seeding.partial, false);
    assert.equal(r.seeding.items, r.seeding.planned);
    assert.equal(r.seeding.planned, itemCount(SIZES.tiny));
  });

  it('measures every hot route, and every request got the expected answer', () => {
    assert.deepEqual(
      r.routes.map((x) => x.id),
      HOT_ROUTES.map((x) => x.id),
    );
    for (const route of r.routes) {
      const expected = String(HOT_ROUTES.find((h) => h.id === route.id)!.status);
      assert.deepEqual(
        Object.keys(route.cost.statuses),
        [expected],
        `${route.label}: ${JSON.stringify(route.cost.statuses)} ${route.sampleError ?? ''}`,
      );
      for (const [level, s] of Object.entries(route.latency)) {
        assert.ok(s.n > 0, `${route.label} ${level}: no requests measured`);
        assert.equal(s.errors, 0, `${route.label} ${level}: ${route.sampleError ?? ''}`);
      }
    }
    for (const s of Object.values(r.floor)) assert.equal(s.errors, 0, 'raw GetItem failed');
  });

  it('each request stays within its documented DynamoDB rounds and calls, with no Scan', () => {
    for (const route of r.routes) {
      const c = route.cost;
      // The count comes from the functions' own SDK clients: a route that reads nothing counted nothing.
      assert.ok(c.dynamoCalls > 0 && c.rounds > 0, `${route.label}: no DynamoDB call was counted`);
      assert.ok(!c.dynamoByOp.Scan, `${route.label} scans`);
      assert.ok(
        c.rounds - c.eventRounds <= route.doc.rounds,
        `${route.label}: ${c.rounds - c.eventRounds} rounds before the response, documented ${route.doc.rounds}`,
      );
      // The design's budget is two rounds. The one documented exception: a link holder's search, whose scope
      // (the link's folder) is itself a read (docs/ARCHITECTURE.md, "Access patterns and their cost").
      const budget = route.id === 'share-search' ? 3 : 2;
      assert.ok(c.rounds - c.eventRounds <= budget, `${route.label}: more than ${budget} rounds before the response`);
      assert.equal(c.eventRounds, route.doc.event ? 1 : 0, `${route.label}: event rounds`);
      assert.ok(
        c.dynamoCalls - c.eventCalls <= route.doc.calls,
        `${route.label}: ${c.dynamoCalls - c.eventCalls} calls before the event, documented ${route.doc.calls}`,
      );
      assert.deepEqual(
        Object.keys(c.otherCalls),
        [],
        `${route.label} calls other AWS services: ${JSON.stringify(c.otherCalls)}`,
      );
    }
  });

  it('counts rounds from the order of calls: parallel calls share a round', () => {
    const call = (start: number, end: number) => ({
      op: 'GetItem',
      start,
      end,
      rcu: 0,
      wcu: 0,
      event: false,
      t0: 0,
      t1: 0,
    });
    assert.equal(roundsOf([]).rounds, 0);
    assert.equal(roundsOf([call(1, 4), call(2, 3)]).rounds, 1);
    assert.equal(roundsOf([call(1, 2), call(3, 4), call(5, 6)]).rounds, 3);
    assert.equal(roundsOf([call(1, 3), call(2, 5), call(4, 6)]).rounds, 2);
  });

  it('the model gives each web user grants, and grants reach what they should', () => {
    const s = SIZES.small;
    assert.equal(grantList(s).length, s.grants);
    const mine = reachable(s, 0);
    assert.ok(mine.folders.includes(0) && mine.folders.length >= 10);
    assert.ok(mine.files.length >= 100);
    for (const j of subtree(s, 0)) assert.ok(j === 0 || ancestorsOf(s, j).length >= 2);
  });

  it('writes first the files requests are drawn from, so a seed stopped at its deadline still serves them', () => {
    const s = SIZES.medium;
    const order = fileOrder(s);
    const files = [...order.files()];
    assert.deepEqual(
      [...files].sort((a, b) => a - b),
      Array.from({ length: s.files }, (_, i) => i),
      'each file once',
    );
    for (const [r, i] of files.entries()) assert.equal(order.rank(i), r, `rank of file ${i}`);
    const asked = [
      ...Array.from({ length: s.signedIn }, (_, u) => reachable(s, u).files).flat(),
      ...linkFolders(s).flatMap((j) => subtree(s, j).flatMap((f) => filesIn(s, f))),
    ];
    const early = new Set(files.slice(0, new Set(asked).size));
    assert.ok(asked.every((i) => early.has(i)));
    assert.ok(early.size < s.files / 2, 'the rest of the files come after');
  });
});
