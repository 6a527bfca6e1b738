/**
 * Issue 8, attack case 9: brute force. More than 20 failed share-token or
 * invitation attempts from one address within 5 minutes get 429 with the
 * error shape and Retry-After, even with a valid token (the decision comes
 * before anything looked up is used); another address is not affected; the
 * window passing (injectable clock) lifts it; successes never count; the
 * counters are DynamoDB items (`RATE#<scope>#<ip>`, with `ttl`), so the limit
 * holds across Lambda instances; both numbers come from the environment.
 */

import assert from 'node:assert/strict';
import http from 'node:http';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { windowStart } from '../../functions/domain/rate-limit.ts';
import { allEvents, assertErrorShape, NOT_FOUND, scanTable } from '../support/security.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { invitationToken, makeClient, makeFile, makeFolder, shareToken } from '../support/story.ts';

/** A request from another loopback address (127.0.0.2): what another client's IP looks like locally. */
function fromAddress(
  url: string,
  localAddress: string,
  opts: { method?: string; body?: string; headers?: Record<string, string> } = {},
): Promise<{ status: number; body: any }> {
  return new Promise((resolve, reject) => {
    const req = http.request(
      url,
      {
        method: opts.method ?? 'GET',
        localAddress,
        headers: { ...(opts.body ? { 'content-type': 'application/json' } : {}), ...opts.headers },
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c) => chunks.push(c));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          resolve({ status: res.statusCode!, body: text ? JSON.parse(text) : undefined });
        });
      },
    );
    req.on('error', reject);
    req.end(opts.body);
  });
}

describe('security: brute-force limit on share and invitation tokens (case 9)', () => {
  let t: TestStack;
  let staff: string;
  let link: string;
  let folderId: string;
  let fileId: string;
  const WINDOW = 300;
  /** Each test runs at its own (injected) time, in fresh windows. */
  let day = 0;
  const freshTime = () => new Date((windowStart(Date.now(), WINDOW) + ++day * 86400) * 1000 + 5000);
  const at = (d: Date, plusSeconds = 0) => ({
    'x-carpeta-now': new Date(d.getTime() + plusSeconds * 1000).toISOString(),
  });
  const garbage = (i: number) => `guess${String(i).padStart(38, '0')}`;

  beforeAll(async () => {
    // The defaults (20 failures / 300 s) are what is tested; nothing is overridden.
    t = await startTestStack();
    staff = await t.adminToken();
    folderId = (await makeFolder(t, staff, 'Fuerza bruta')).id;
    fileId = (await makeFile(t, staff, folderId, 'f.pdf')).id;
    assert.equal(
      (
        await t.api('POST', `/folders/${folderId}/send`, {
          token: staff,
          body: { email: 'bf-holder@example.com', expiresAt: new Date(Date.now() + 300 * 86400_000).toISOString() },
        })
      ).status,
      201,
    );
    link = await shareToken(t, 'bf-holder@example.com');
  });
  afterAll(() => t?.stop());

  it(
    'share tokens: 20 failures are 404, the 21st attempt ' + 'is 429 with Retry-After, even with a valid token',
    async () => {
      const now = freshTime();
      // Failures across the three share routes count together.
      const paths = ['/share', `/share/folders/${folderId}`, `/share/files/${fileId}/download`];
      for (let i = 0; i < 20; i++) {
        const res = await t.api('GET', paths[i % 3], { share: garbage(i), headers: at(now, i) });
        assert.equal(res.status, 404, `attempt ${i + 1}`);
        assert.deepEqual(res.body, NOT_FOUND);
      }
      for (const [p, share] of [['/share', garbage(99)], ...paths.map((x) => [x, link])]) {
        const res = await t.api('GET', p, { share, headers: at(now, 30) });
        assert.equal(res.status, 429, `${p.slice(0, 20)}: ${JSON.stringify(res.body)}`);
        assertErrorShape(429, res.body, p);
        assert.equal(res.body.error.code, 'too_many_requests');
        const retry = Number(res.headers.get('retry-after'));
        assert.ok(Number.isInteger(retry) && retry > 0 && retry <= 2 * WINDOW, `retry-after ${retry}`);
        assert.ok(!('url' in res.body));
      }
      // Another address is not blocked.
      const other = await fromAddress(`${t.stack.apiUrl}/share`, '127.0.0.2', {
        headers: { ...at(now, 31), 'x-share-token': link },
      });
      assert.equal(other.status, 200, JSON.stringify(other.body));
      // Still blocked four minutes in; free again once the failures are more than five minutes old.
      assert.equal((await t.api('GET', `/share`, { share: link, headers: at(now, 240) })).status, 429);
      assert.equal((await t.api('GET', `/share`, { share: link, headers: at(now, WINDOW * 2 + 10) })).status, 200);
    },
  );

  it(
    'the limit slides: 15 failures before a window ' + 'boundary and 6 after are more than 20 in five minutes',
    async () => {
      const start = freshTime();
      const beforeBoundary = new Date(windowStart(start.getTime(), WINDOW) * 1000 + (WINDOW - 5) * 1000);
      for (let i = 0; i < 15; i++)
        assert.equal((await t.api('GET', `/share`, { share: garbage(i), headers: at(beforeBoundary) })).status, 404);
      const afterBoundary = new Date(beforeBoundary.getTime() + 10_000);
      const statuses: number[] = [];
      for (let i = 0; i < 8; i++)
        statuses.push((await t.api('GET', `/share`, { share: garbage(100 + i), headers: at(afterBoundary) })).status);
      assert.deepEqual(
        statuses,
        [404, 404, 404, 404, 404, 429, 429, 429],
        'the 21st attempt within five minutes is refused',
      );
    },
  );

  it('successes never count', async () => {
    const now = freshTime();
    for (let i = 0; i < 40; i++)
      assert.equal((await t.api('GET', `/share`, { share: link, headers: at(now, i) })).status, 200, `open ${i + 1}`);
    for (let i = 0; i < 19; i++)
      assert.equal((await t.api('GET', `/share`, { share: garbage(i), headers: at(now, 50) })).status, 404);
    assert.equal(
      (await t.api('GET', `/share/files/${fileId}/download`, { share: link, headers: at(now, 51) })).status,
      200,
      '19 failures: still allowed',
    );
  });

  it('invitations: 20 failed accepts, then 429 even for the real token; after the window it works', async () => {
    const now = freshTime();
    const email = 'bf-invitee@example.com';
    assert.equal(
      (await t.api('POST', '/webusers', { token: staff, body: { email, name: 'Invitada', folderIds: [folderId] } }))
        .status,
      201,
    );
    const token = await invitationToken(t, email);
    const password = 'Clave-Muy-Segura-7!';
    for (let i = 0; i < 20; i++) {
      const res = await t.api('POST', '/auth/invitations/accept', {
        body: { token: garbage(i), password },
        headers: at(now, i),
      });
      assert.equal(res.status, 404, `attempt ${i + 1}`);
    }
    const blocked = await t.api('POST', '/auth/invitations/accept', {
      body: { token, password },
      headers: at(now, 25),
    });
    assert.equal(blocked.status, 429);
    assertErrorShape(429, blocked.body, 'accept');
    assert.ok(Number(blocked.headers.get('retry-after')) > 0);
    // The share scope is separate: links still open from this address.
    assert.equal((await t.api('GET', `/share`, { share: link, headers: at(now, 26) })).status, 200);
    // A weak password is a 400 about the password, not a failed token (and does not count).
    assert.equal(
      (
        await t.api('POST', '/auth/invitations/accept', {
          body: { token, password: 'weak' },
          headers: at(now, WINDOW * 2 + 5),
        })
      ).status,
      400,
    );
    assert.equal(
      (
        await t.api('POST', '/auth/invitations/accept', {
          body: { token, password },
          headers: at(now, WINDOW * 2 + 10),
        })
      ).status,
      200,
    );
  });

  it('200 parallel bad share guesses from one address: at most the limit answered anything but 429', async () => {
    const now = freshTime();
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) => t.api('GET', '/share', { share: garbage(1000 + i), headers: at(now, 1) })),
    );
    const through = answers.filter((r) => r.status !== 429);
    assert.ok(through.length <= 20, `${through.length} answers were not 429`);
    assert.ok(through.length >= 1, 'the first guesses are answered (404)');
    assert.ok(through.every((r) => r.status === 404));
    // Blocked now, for the real token too.
    assert.equal((await t.api('GET', '/share', { share: link, headers: at(now, 2) })).status, 429);
  });

  it('200 parallel bad invitation guesses: at most the limit answered anything but 429', async () => {
    const now = freshTime();
    const answers = await Promise.all(
      Array.from({ length: 200 }, (_, i) =>
        t.api('POST', '/auth/invitations/accept', {
          body: { token: garbage(2000 + i), password: 'Clave-Segura-123!' },
          headers: at(now, 1),
        }),
      ),
    );
    const through = answers.filter((r) => r.status !== 429);
    assert.ok(through.length <= 20 && through.length >= 1, `${through.length} answers were not 429`);
  });

  it(
    'a token prefix guessed from many addresses is limited ' + 'too (a prefix that leaked cannot be brute-forced)',
    async () => {
      const now = freshTime();
      const prefix = link.slice(0, 8);
      const statuses: number[] = [];
      for (let i = 0; i < 22; i++) {
        // A different loopback address each time: no address is over its own limit.
        const guess = prefix + garbage(3000 + i).slice(8);
        const r = await fromAddress(`${t.stack.apiUrl}/share`, `127.0.1.${i + 1}`, {
          headers: { ...at(now, i), 'x-share-token': guess },
        });
        statuses.push(r.status);
      }
      assert.deepEqual(statuses.slice(0, 20), new Array(20).fill(404));
      assert.ok(
        statuses.slice(20).every((s) => s === 429),
        JSON.stringify(statuses.slice(20)),
      );
      const fromElsewhere = await fromAddress(`${t.stack.apiUrl}/share`, '127.0.2.1', {
        headers: { ...at(now, 30), 'x-share-token': link },
      });
      assert.equal(fromElsewhere.status, 429, 'the real token with that prefix waits out the window too');
    },
  );

  it('a signed-in client probing others’ folders: past the limit, 429 and no more denial events', async () => {
    const client = await makeClient(t, staff, []);
    const now = freshTime();
    const answers = [];
    for (let i = 0; i < 26; i++) {
      answers.push(
        (await t.api('GET', `/portal/folders/${folderId}`, { token: client.token, headers: at(now, i) })).status,
      );
    }
    assert.deepEqual(answers.slice(0, 20), new Array(20).fill(404));
    assert.ok(
      answers.slice(20).every((s) => s === 429),
      JSON.stringify(answers),
    );
    const denied = (await allEvents(t, staff, `actorId=${client.id}`)).filter((e) => e.type === 'access.denied');
    assert.equal(denied.length, 20, 'the audit log grows by at most the limit');
  });

  it('the counters are DynamoDB items per scope and address, with a ttl', async () => {
    const items = (await scanTable()).filter((i) => String(i.PK).startsWith('RATE#'));
    const share = items.filter((i) => i.PK === 'RATE#share#ip:127.0.0.1');
    const invite = items.filter((i) => i.PK === 'RATE#invite#ip:127.0.0.1');
    assert.ok(share.length >= 3 && invite.length >= 1, JSON.stringify(items.map((i) => i.PK)));
    for (const i of items) {
      assert.match(String(i.SK), /^\d+$/, 'SK is the window start');
      assert.equal(Number(i.SK) % WINDOW, 0);
      assert.ok(typeof i.failures === 'number' && i.failures > 0);
      assert.ok(typeof i.ttl === 'number' && i.ttl > Number(i.SK) + WINDOW, 'ttl after the window');
    }
    assert.equal(
      share.reduce((n, i) => n + i.failures, 0),
      20 + 15 + 5 + 19 + 20, // the 200 parallel guesses: 20 slots, the rest refused uncounted
      'every failure counted, nothing else',
    );
  });

  it('both numbers are configurable (RATE_LIMIT_FAILURES, RATE_LIMIT_WINDOW_SECONDS)', async () => {
    // The function's configuration, as a deployment would set it: a stack of its own.
    const small = await startTestStack({ RATE_LIMIT_FAILURES: '3', RATE_LIMIT_WINDOW_SECONDS: '60' });
    try {
      const admin = await small.adminToken();
      const f = await makeFolder(small, admin, 'Límite');
      await small.api('POST', `/folders/${f.id}/send`, { token: admin, body: { email: 'limit3@example.com' } });
      const token = await shareToken(small, 'limit3@example.com');
      const now = new Date((windowStart(Date.now(), 60) + 60) * 1000 + 1000);
      for (let i = 0; i < 3; i++)
        assert.equal((await small.api('GET', `/share`, { share: garbage(i), headers: at(now) })).status, 404);
      const res = await small.api('GET', `/share`, { share: token, headers: at(now, 1) });
      assert.equal(res.status, 429);
      assert.ok(Number(res.headers.get('retry-after')) <= 120);
      assert.equal((await small.api('GET', `/share`, { share: token, headers: at(now, 121) })).status, 200);
    } finally {
      await small.stop();
    }
  });
});
