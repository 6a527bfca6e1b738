/**
 * Issue 8, attack case 10: fuzz every route in functions/routes.ts with
 * fast-check: generated path parameters, query strings and bodies (wrong
 * types, huge strings, deep nesting, Unicode edge cases, lone surrogates,
 * real ids mixed with junk), sent by the right kind of caller so the
 * handlers' code is reached. No answer is a 5xx, and every 4xx has the error
 * shape { error: { code, message, field? } }.
 *
 * FUZZ_RUNS requests per route (default 30 in `npm test`; `npm run fuzz` runs 1,000).
 */

import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import fc from 'fast-check';
import { type Route, routeKey, routes } from '../../functions/routes.ts';
import { assertErrorShape, hasBody } from '../support/security.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { makeClient, makeFile, makeFolder, shareToken } from '../support/story.ts';

const RUNS = Number(process.env.FUZZ_RUNS ?? 30);
const SEED = process.env.FUZZ_SEED ? Number(process.env.FUZZ_SEED) : undefined;
const ULID_CHARS = '0123456789ABCDEFGHJKMNPQRSTVWXYZ'.split('');

const FIELDS = [
  'name',
  'parentId',
  'version',
  'size',
  'contentType',
  'parts',
  'partNumber',
  'etag',
  'folderId',
  'email',
  'language',
  'folderIds',
  'status',
  'expiresAt',
  'notify',
  'message',
  'token',
  'password',
  'colors',
  'primary',
  'accent',
  'defaultLanguage',
  'linkDefaultDays',
  'notifications',
  'batchMinutes',
  'uploaderReceipts',
  'retentionMonths',
  'logoKey',
  'id',
  'kind',
  'ancestors',
  '__proto__',
  'constructor',
];
const QUERY_KEYS = [
  'limit',
  'cursor',
  'q',
  'disposition',
  'versionId',
  'actorId',
  'folderId',
  'fileId',
  'type',
  'from',
  'to',
  'format',
  'userId',
  'lang',
];

const WEIRD = [
  '',
  ' ',
  '.',
  '..',
  '../..',
  '..%2f..%2f',
  '%2e%2e%2f',
  '%',
  '%%',
  '%zz',
  '\u0000',
  '\u202e',
  '\ufeff',
  '\uffff',
  '\ud800',
  '\udfff',
  'root',
  'null',
  'undefined',
  'true',
  '__proto__',
  'constructor',
  'prototype',
  'toString',
  '{}',
  '[]',
  "' OR 1=1 --",
  '"; DROP TABLE x; --',
  '<script>alert(1)</script>',
  '$(reboot)',
  '`id`',
  '${7*7}',
  'NaN',
  'Infinity',
  '-1',
  '0',
  '1e309',
  '0x10',
  '9'.repeat(400),
  'A'.repeat(5000),
  '😀'.repeat(300),
  'e\u0301'.repeat(100),
  'LINK#x',
  'FOLDER#root',
  'USER#x|PROFILE',
  'files/../../etc/passwd',
  '2026-02-30T25:61:00Z',
  '+275760-09-13T00:00:00.000Z',
  '1970-01-01T00:00:00Z',
];

describe(`security: fuzz every route (${RUNS} runs each, case 10)`, () => {
  let t: TestStack;
  const tokens = {} as Record<'staff' | 'client', string>;
  let real: string[] = [];
  let linkToken = '';

  beforeAll(async () => {
    // The brute-force limit would turn most link fuzzing into 429s: it has its own test.
    t = await startTestStack({ RATE_LIMIT_FAILURES: '1000000' });
    tokens.staff = await t.adminToken();
    const folder = await makeFolder(t, tokens.staff, 'Fuzz');
    const sub = await makeFolder(t, tokens.staff, 'Sub', folder.id);
    const file = await makeFile(t, tokens.staff, sub.id, 'fuzz.pdf');
    const client = await makeClient(t, tokens.staff, [folder.id]);
    tokens.client = client.token;
    const sent = await t.api('POST', `/folders/${folder.id}/send`, {
      token: tokens.staff,
      body: { email: 'fuzz-holder@example.com' },
    });
    linkToken = await shareToken(t, 'fuzz-holder@example.com');
    real = [folder.id, sub.id, file.id, file.versionId, client.id, sent.body.link.id, 'root'];
  });
  afterAll(() => t?.stop());

  const str = () =>
    fc.oneof(
      { weight: 3, arbitrary: fc.string({ maxLength: 80 }) },
      { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }) },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 300 }) },
      { weight: 3, arbitrary: fc.constantFrom(...WEIRD) },
      { weight: 2, arbitrary: fc.string({ unit: fc.constantFrom(...ULID_CHARS), minLength: 26, maxLength: 26 }) },
      { weight: 3, arbitrary: fc.constantFrom(...real) },
      { weight: 1, arbitrary: fc.date({ noInvalidDate: true }).map((d) => d.toISOString()) },
    );
  const value = (): fc.Arbitrary<unknown> =>
    fc.oneof(
      { weight: 4, arbitrary: str() },
      {
        weight: 2,
        arbitrary: fc.oneof(
          fc.integer(),
          fc.double(),
          fc.constantFrom(0, -1, 1, 2 ** 53, -(2 ** 53), 1e308, 5 * 1024 ** 4 + 1),
        ),
      },
      { weight: 1, arbitrary: fc.boolean() },
      { weight: 1, arbitrary: fc.constant(null) },
      { weight: 1, arbitrary: fc.array(str(), { maxLength: 5 }) },
      { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }) },
      { weight: 1, arbitrary: fc.dictionary(fc.constantFrom(...FIELDS), str(), { maxKeys: 3 }) },
    );
  const depth = (n: number) => '['.repeat(n) + ']'.repeat(n);
  const body = (): fc.Arbitrary<{ raw: string; json: boolean }> =>
    fc.oneof(
      {
        weight: 6,
        arbitrary: fc
          .dictionary(
            fc.oneof(
              { weight: 5, arbitrary: fc.constantFrom(...FIELDS) },
              { weight: 1, arbitrary: fc.string({ maxLength: 20 }) },
            ),
            value(),
            { maxKeys: 8 },
          )
          .map((o) => ({ raw: JSON.stringify(o), json: true })),
      },
      { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 6 }).map((v) => ({ raw: JSON.stringify(v), json: true })) },
      { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 200 }).map((s) => ({ raw: s, json: false })) },
      {
        weight: 1,
        arbitrary: fc
          .constantFrom(
            depth(5000),
            `{"a":${depth(2000)}}`,
            JSON.stringify({ name: 'x'.repeat(1_000_000) }),
            '{"name":"\\ud800"}',
            '{"__proto__":{"admin":true}}',
            'null',
            '[]',
            '""',
            '{',
            '\u0000',
          )
          .map((raw) => ({ raw, json: true })),
      },
    );
  const query = () =>
    fc
      .array(
        fc.tuple(
          fc.oneof(
            { weight: 5, arbitrary: fc.constantFrom(...QUERY_KEYS) },
            { weight: 1, arbitrary: fc.string({ maxLength: 10 }) },
          ),
          str(),
        ),
        { maxLength: 5 },
      )
      .map((pairs) => pairs.map(([k, v]) => `${enc(k)}=${enc(v)}`).join('&'));
  const enc = (s: string) => encodeURIComponent(Buffer.from(s, 'utf8').toString('utf8'));

  /** A share token for the X-Share-Token header: garbage (what a header may carry), the real one, a lookalike. */
  const shareArb = () =>
    fc.oneof(
      { weight: 3, arbitrary: str().filter((s) => /^[\x21-\x7e]([\x20-\x7e]*[\x21-\x7e])?$/.test(s)) },
      { weight: 2, arbitrary: fc.constant(linkToken) },
      {
        weight: 2,
        arbitrary: fc
          .base64String({ minLength: 44, maxLength: 44 })
          .map((s) => s.slice(0, 43).replace(/\+/g, '-').replace(/\//g, '_')),
      },
    );

  function paramArb(route: Route, name: string): fc.Arbitrary<string> {
    if (name === 'token')
      return fc.oneof(
        { weight: 3, arbitrary: str() },
        { weight: 2, arbitrary: fc.constant(linkToken) },
        {
          weight: 2,
          arbitrary: fc
            .base64String({ minLength: 44, maxLength: 44 })
            .map((s) => s.slice(0, 43).replace(/\+/g, '-').replace(/\//g, '_')),
        },
      );
    return str().filter((s) => s !== '') as fc.Arbitrary<string>;
  }

  for (const route of routes) {
    it(`${routeKey(route)}: no 5xx, every 4xx has the error shape`, async () => {
      const seen = new Map<number, number>();
      const names = [...route.path.matchAll(/\{(\w+)\}/g)].map((m) => m[1]);
      const params = fc.record(
        Object.fromEntries(names.map((n) => [n, paramArb(route, n)])) as Record<string, fc.Arbitrary<string>>,
      );
      const token =
        route.audience === 'webuser'
          ? tokens.client
          : route.audience === 'staff' || route.audience === 'admin' || route.audience === 'signedin'
            ? tokens.staff
            : undefined;
      const input = fc.record({
        params,
        query: query(),
        body: hasBody(route.method) ? body() : fc.constant(undefined),
        asClient: fc.boolean(),
        share: route.path.startsWith('/share') ? fc.option(shareArb(), { nil: undefined }) : fc.constant(undefined),
      });
      await fc.assert(
        fc.asyncProperty(input, async ({ params, query, body, asClient, share }) => {
          const path = route.path.replace(/\{(\w+)\}/g, (_, n: string) => enc(params[n]));
          // signedin routes are tried by both kinds of signed-in user.
          const who = route.audience === 'signedin' && asClient ? tokens.client : token;
          const res = await t.api(route.method, `${path}${query ? `?${query}` : ''}`, {
            token: who,
            share,
            rawBody: body?.raw,
            headers: body ? { 'content-type': body.json ? 'application/json' : 'text/plain' } : undefined,
          });
          const what = `${route.method} ${path.slice(0, 200)}?${query.slice(0, 200)} body=${body?.raw.slice(0, 200)}`;
          seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
          assert.ok(res.status < 500, `${what} -> ${res.status} ${JSON.stringify(res.body).slice(0, 300)}`);
          if (res.status >= 400) assertErrorShape(res.status, res.body, what);
        }),
        { numRuns: RUNS, ...(SEED !== undefined ? { seed: SEED } : {}), endOnFailure: RUNS > 100 },
      );
      console.log(
        `${routeKey(route)} ` +
          `statuses: ${[...seen]
            .sort(([a], [b]) => a - b)
            .map(([s, n]) => `${s}×${n}`)
            .join(' ')}`,
      );
    });
  }
});
