/**
 * Issue 8, "Faults": a bad day in production, against the local stack, with
 * the faults injected by its AWS gateway, between the deployed function
 * bundles and the emulators (so retries, timeouts and undo steps are the
 * artifacts' own):
 * - The data store stops answering (the gateway cuts every DynamoDB
 *   connection): every route answers 503 with the error shape (or never
 *   reaches the store), no download URL is minted; once it is back
 *   everything works again.
 * - Audit first: when the activity event cannot be written, no URL.
 * - A dependency fails at every single step of a multi-step write in turn
 *   (the Nth AWS call of the request fails, every attempt of it): the answer
 *   is 503/502, never 500;
 *   nothing half-made is visible afterwards; the retry succeeds and leaves
 *   exactly one of everything.
 * - SES fails: 502 on creating a web user, sending a link, notifying a grant
 *   and re-inviting; nothing half-made; the retry sends exactly one mail.
 * - S3 or Cognito stop answering: 503, and the retry works once they are back.
 */

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { type Route, routeKey, routes } from '../../functions/routes.ts';
import { allEvents, assertErrorShape, assertLogsClean, fill, hasBody } from '../support/security.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { invitationToken, makeClient, makeFile, makeFolder, shareToken } from '../support/story.ts';
import { download, uploadWith } from '../support/upload.ts';

describe('faults: the store, S3, Cognito and SES stop answering', () => {
  let t: TestStack;
  let staff: string;
  const ids = {} as Record<'F' | 'S' | 'X' | 'C' | 'W' | 'L' | 'T', string>;
  let client: { id: string; email: string; password: string; token: string };
  let link: string;
  let xBytes: Buffer;
  const secrets = new Set<string>();

  beforeAll(async () => {
    t = await startTestStack({ RATE_LIMIT_FAILURES: '100000' });
    staff = await t.adminToken();
    const F = await makeFolder(t, staff, 'Fallos');
    const S = await makeFolder(t, staff, 'Sub', F.id);
    xBytes = randomBytes(5000);
    const X = await makeFile(t, staff, S.id, 'x.pdf', xBytes);
    const T = await makeFolder(t, staff, 'Papelera', F.id);
    await t.api('DELETE', `/folders/${T.id}`, { token: staff });
    client = await makeClient(t, staff, [F.id]);
    const W = await makeClient(t, staff, []);
    const sent = await t.api('POST', `/folders/${F.id}/send`, {
      token: staff,
      body: { email: 'faults-holder@example.com' },
    });
    link = await shareToken(t, 'faults-holder@example.com');
    Object.assign(ids, { F: F.id, S: S.id, X: X.id, C: client.id, W: W.id, L: sent.body.link.id, T: T.id });
    secrets.add(link);
  });
  afterAll(() => t?.stop());

  /** A route called by the right kind of caller with well-formed input. */
  function request(r: Route): { path: string; token?: string; share?: string; body?: unknown } {
    const id =
      r.path.startsWith('/files') || r.path.includes('/files/')
        ? ids.X
        : r.path.startsWith('/webusers')
          ? ids.C
          : r.path.startsWith('/links')
            ? ids.L
            : r.path.startsWith('/trash')
              ? ids.T
              : ids.F;
    const path = fill(r, { id, token: link, userId: ids.W, versionId: ids.X, eventId: ids.X });
    const token =
      r.audience === 'webuser' ? client.token : r.audience === 'public' || r.audience === 'link' ? undefined : staff;
    const bodies: Record<string, unknown> = {
      'POST /folders': { parentId: ids.F, name: 'nueva' },
      'POST /folders/{id}/files': { name: 'n.pdf', size: 10, contentType: 'application/pdf' },
      'POST /files/{id}/versions': { size: 10, contentType: 'application/pdf' },
      'POST /webusers': { email: 'down@example.com', name: 'Down', folderIds: [ids.F] },
      'POST /folders/{id}/send': { email: 'down-link@example.com' },
      'POST /auth/invitations/accept': { token: 'x'.repeat(43), password: 'Abcdefgh-123!x' },
      'PATCH /webusers/{id}': { name: 'Nuevo' },
    };
    const share = r.path.startsWith('/share') ? link : undefined;
    if (r.path.endsWith('/search')) return { path: `${path}?q=nomina`, token, share };
    return { path, token, share, body: hasBody(r.method) ? (bodies[routeKey(r)] ?? {}) : undefined };
  }
  const mustBe503 = [
    'GET /portal/me',
    'GET /portal/folders',
    'GET /portal/folders/{id}',
    'GET /portal/files/{id}/download',
    'GET /share',
    'GET /share/folders/{id}',
    'GET /share/files/{id}/download',
    'GET /portal/search',
    'GET /share/search',
    'GET /search',
    'POST /portal/folders/{id}/downloads',
    'POST /share/folders/{id}/downloads',
    'POST /folders/{id}/downloads',
    'POST /auth/invitations/accept',
    'GET /branding',
    'GET /folders/root',
    'GET /folders/{id}',
    'GET /files/{id}/download',
    'POST /folders',
    'PUT /folders/{id}/grants/{userId}',
    'POST /folders/{id}/send',
    'POST /webusers',
    'GET /webusers',
    'GET /activity',
    'DELETE /links/{id}',
  ];

  it(
    'with the store down every route answers 503 with the ' + 'error shape (never 500, never a URL); then it recovers',
    async () => {
      await t.faults([{ service: 'dynamodb', kind: 'cut' }]);
      try {
        for (const r of routes) {
          const q = request(r);
          const res = await t.api(r.method, q.path, { token: q.token, share: q.share, body: q.body });
          const what = `${r.method} ${r.path}: ${res.status} ${JSON.stringify(res.body).slice(0, 200)}`;
          assert.notEqual(res.status, 500, what);
          assert.ok(!JSON.stringify(res.body ?? '').includes('X-Amz-Signature'), `${what}: a URL was minted`);
          if (mustBe503.includes(routeKey(r))) {
            assert.equal(res.status, 503, what);
            assert.equal(res.body.error.code, 'unavailable');
          }
          if (res.status >= 400) assertErrorShape(res.status, res.body, what);
          if (r.path === '/health') assert.equal(res.status, 200, 'health touches no dependency');
        }
      } finally {
        await t.faults([]);
      }
      const dl = await t.api('GET', `/portal/files/${ids.X}/download`, { token: client.token });
      assert.equal(dl.status, 200, JSON.stringify(dl.body));
      assert.ok((await download(dl.body.url)).bytes.equals(xBytes));
      assert.equal((await t.api('GET', `/share`, { share: link })).status, 200);
      assert.equal((await t.api('GET', `/folders/${ids.F}`, { token: staff })).status, 200);
    },
  );

  it('audit first: if the download event cannot be stored, no URL is minted', async () => {
    const before = (await allEvents(t, staff, `fileId=${ids.X}`)).filter((e) => e.type === 'download').length;
    await t.faults([
      { service: 'dynamodb', operation: 'PutItem', kind: 'error' },
      { service: 'dynamodb', operation: 'BatchWriteItem', kind: 'error' },
    ]);
    try {
      for (const [path, token, share] of [
        [`/portal/files/${ids.X}/download`, client.token, undefined],
        [`/share/files/${ids.X}/download`, undefined, link],
        [`/files/${ids.X}/download`, staff, undefined],
      ] as const) {
        const res = await t.api('GET', path, { token, share });
        assert.equal(res.status, 503, `${path}: ${JSON.stringify(res.body)}`);
        assert.ok(!('url' in res.body));
      }
      const rules = await t.faultState();
      assert.ok(rules[0].fired >= 3, JSON.stringify(rules));
    } finally {
      await t.faults([]);
    }
    const afterCount = (await allEvents(t, staff, `fileId=${ids.X}`)).filter((e) => e.type === 'download').length;
    assert.equal(afterCount, before, 'no event, and no URL');
  });

  it(
    'a batch read DynamoDB hands back unprocessed is asked again; one still unprocessed is 503, never a partial ' +
      'answer',
    async () => {
      const whole = await t.api('GET', '/portal/folders', { token: client.token });
      assert.equal(whole.status, 200);
      assert.ok(JSON.stringify(whole.body).includes(ids.F), 'the client sees its folder');
      const rule = { service: 'dynamodb', operation: 'BatchGetItem', function: 'portal', kind: 'unprocessed' } as const;
      try {
        await t.faults([{ ...rule, count: 2 }]);
        const retried = await t.api('GET', '/portal/folders', { token: client.token });
        const [state] = await t.faultState();
        assert.equal(state.fired, 2, 'two batch calls came back unprocessed');
        assert.equal(retried.status, 200, JSON.stringify(retried.body));
        assert.deepEqual(retried.body, whole.body, 'the same whole answer');

        await t.faults([rule]);
        const throttled = await t.api('GET', '/portal/folders', { token: client.token });
        assert.equal(throttled.status, 503, JSON.stringify(throttled.body));
        assertErrorShape(503, throttled.body, 'still unprocessed');
      } finally {
        await t.faults([]);
      }
    },
  );

  /**
   * For N = 1, 2, ... until the request makes fewer than N AWS calls: `prepare` (no fault), then
   * `attempt` with its Nth AWS call failing, then `check` sees the outcome (and retries).
   */
  async function sweep<P>(
    name: string,
    prepare: (n: number) => Promise<P>,
    attempt: (n: number, p: P) => Promise<{ status: number; body: any }>,
    check: (n: number, failed: boolean, p: P) => Promise<void>,
  ) {
    let n = 1;
    for (; n <= 40; n++) {
      const p = await prepare(n);
      await t.faults([{ nth: n, kind: 'error' }]);
      let res: { status: number; body: any };
      let rule: { fired: number; calls: string[] };
      try {
        res = await attempt(n, p);
      } finally {
        [rule] = await t.faultState();
        await t.faults([]);
      }
      const what =
        `${name}, call ${n} (${rule.calls[n - 1] ?? 'none'}) fails: ${res.status} ` +
        `${JSON.stringify(res.body ?? '').slice(0, 300)}`;
      if (!rule.fired) {
        assert.ok(res.status < 300, `${name}: succeeds with no fault: ${what}`);
        await check(n, false, p);
        break;
      }
      // A failed call is either answered 502/503, or was one the handler can do without (and it succeeded).
      assert.ok([502, 503].includes(res.status) || res.status < 300, what);
      if (res.status >= 400) assertErrorShape(res.status, res.body, what);
      try {
        await check(n, res.status >= 400, p);
      } catch (err) {
        throw new assert.AssertionError({ message: `${what}\n  -> ${(err as Error).message}` });
      }
    }
    assert.ok(n > 3, `${name}: the sweep covered ${n - 1} steps`);
  }

  it('send by email: a failure at any step leaves no link; the retry leaves exactly one live link', async () => {
    await sweep(
      'POST /folders/{id}/send',
      async (n) => `sweep-send-${n}@example.com`,
      (_n, email) => t.api('POST', `/folders/${ids.F}/send`, { token: staff, body: { email } }),
      async (n, failed, email) => {
        const live = async () =>
          (await t.api('GET', `/folders/${ids.F}/links`, { token: staff })).body.links.filter(
            (l: any) => l.email === email && l.status === 'active',
          );
        if (failed) {
          assert.deepEqual(await live(), [], `step ${n}: a half-made link is visible`);
          const retry = await t.api('POST', `/folders/${ids.F}/send`, { token: staff, body: { email } });
          assert.equal(retry.status, 201, `step ${n}: retry`);
        }
        assert.equal((await live()).length, 1, `step ${n}: exactly one live link`);
        const token = await shareToken(t, email);
        secrets.add(token);
        assert.equal(
          (await t.api('GET', `/share`, { share: token })).status,
          200,
          `step ${n}: the newest mail's link opens`,
        );
        // Every live link has its link.sent event (an attempt whose event was only partly written may leave a record of
        // the attempt).
        const [liveLink] = await live();
        const sent = (await allEvents(t, staff, 'type=link.sent')).filter((e) => e.target?.id === liveLink.id);
        assert.equal(sent.length, 1, `step ${n}: the live link's link.sent event`);
      },
    );
  });

  it(
    'creating a web user: a failure at any step leaves no user; the retry works (no 409) and sends one working ' +
      'invitation',
    async () => {
      await sweep(
        'POST /webusers',
        async (n) => `sweep-wu-${n}@example.com`,
        (n, email) =>
          t.api('POST', '/webusers', { token: staff, body: { email, name: `Sweep ${n}`, folderIds: [ids.F] } }),
        async (n, failed, email) => {
          const find = async () =>
            (await t.api('GET', `/webusers?q=${encodeURIComponent(email)}`, { token: staff })).body.users.filter(
              (u: any) => u.email === email,
            );
          if (failed) {
            assert.deepEqual(await find(), [], `step ${n}: a half-made web user is visible`);
            const retry = await t.api('POST', '/webusers', {
              token: staff,
              body: { email, name: `Sweep ${n}`, folderIds: [ids.F] },
            });
            assert.equal(retry.status, 201, `step ${n}: retry ${JSON.stringify(retry.body)}`);
          }
          const [u] = await find();
          assert.ok(u, `step ${n}: the user exists`);
          assert.equal(u.grantCount, 1, `step ${n}: one grant`);
          const token = await invitationToken(t, email);
          secrets.add(token);
          const password = `Sweep-Clave-${n}-Ok!`;
          secrets.add(password);
          assert.equal(
            (await t.api('POST', '/auth/invitations/accept', { body: { token, password } })).status,
            200,
            `step ${n}: the newest invitation works`,
          );
          const signed = await t.signIn(email, password);
          assert.equal(
            (await t.api('GET', `/portal/folders/${ids.F}`, { token: signed.accessToken })).status,
            200,
            `step ${n}: in the webusers group, granted`,
          );
        },
      );
    },
  );

  it(
    'granting a folder: a failure at any step leaves the grant absent or whole (with its event); the retry leaves ' +
      'one grant, counted once',
    async () => {
      const webuser = async () => (await t.api('GET', `/webusers/${ids.W}`, { token: staff })).body;
      await sweep(
        'PUT /folders/{id}/grants/{userId}',
        async () => {
          // Each step starts from "no grant".
          assert.equal((await t.api('DELETE', `/folders/${ids.F}/grants/${ids.W}`, { token: staff })).status, 204);
          assert.equal((await webuser()).user.grantCount, 0);
          return (await allEvents(t, staff, 'type=grant.added')).filter((e) => e.details?.userId === ids.W).length;
        },
        () => t.api('PUT', `/folders/${ids.F}/grants/${ids.W}`, { token: staff, body: {} }),
        async (n, failed, eventsBefore) => {
          const granted = async () =>
            JSON.stringify((await t.api('GET', `/folders/${ids.F}/grants`, { token: staff })).body).includes(ids.W);
          const events = async () =>
            (await allEvents(t, staff, 'type=grant.added')).filter((e) => e.details?.userId === ids.W).length;
          if (failed) {
            if (await granted()) assert.equal(await events(), eventsBefore + 1, `step ${n}: a grant without its event`);
            assert.equal(
              (await t.api('PUT', `/folders/${ids.F}/grants/${ids.W}`, { token: staff, body: {} })).status,
              200,
              `step ${n}: retry`,
            );
          }
          assert.ok(await granted(), `step ${n}: granted`);
          assert.ok((await events()) > eventsBefore, `step ${n}: recorded`);
          assert.equal((await webuser()).user.grantCount, 1, `step ${n}: counted once`);
        },
      );
    },
  );

  it(
    'completing an upload: a failure at any step leaves the ' + 'file invisible or whole; the retry completes it once',
    async () => {
      await sweep(
        'POST /files/{id}/versions/{versionId}/complete',
        async (n) => {
          const bytes = randomBytes(1000 + n);
          const start = await t.api('POST', `/folders/${ids.S}/files`, {
            token: staff,
            body: { name: `sweep-${n}.pdf`, size: bytes.length, contentType: 'application/pdf' },
          });
          assert.equal(start.status, 201);
          await uploadWith(start.body.upload, bytes, 'application/pdf');
          return { id: start.body.file.id as string, versionId: start.body.versionId as string, bytes };
        },
        (_n, p) => t.api('POST', `/files/${p.id}/versions/${p.versionId}/complete`, { token: staff, body: {} }),
        async (n, failed, { id, versionId, bytes }) => {
          const listed = async () =>
            (await t.api('GET', `/folders/${ids.S}`, { token: staff })).body.files.filter(
              (f: any) => f.name === `sweep-${n}.pdf`,
            );
          if (failed) {
            const l = await listed();
            assert.ok(l.length <= 1);
            if (l.length)
              assert.equal(
                (await t.api('GET', `/files/${id}`, { token: staff })).status,
                200,
                `step ${n}: listed but broken`,
              );
            const retry = await t.api('POST', `/files/${id}/versions/${versionId}/complete`, {
              token: staff,
              body: {},
            });
            assert.equal(retry.status, 200, `step ${n}: retry ${JSON.stringify(retry.body)}`);
          }
          assert.equal((await listed()).length, 1, `step ${n}: listed once`);
          const dl = await t.api('GET', `/portal/files/${id}/download`, { token: client.token });
          assert.equal(dl.status, 200);
          assert.ok((await download(dl.body.url)).bytes.equals(bytes), `step ${n}: identical bytes`);
          const detail = await t.api('GET', `/files/${id}`, { token: staff });
          assert.equal(detail.body.versions.length, 1, `step ${n}: one version`);
          const uploaded = (await allEvents(t, staff, `fileId=${id}`)).filter((e) => e.type === 'file.uploaded');
          assert.equal(uploaded.length, 1, `step ${n}: one file.uploaded event`);
        },
      );
    },
  );

  it(
    'accepting an invitation: a failure at any step does ' + 'not burn the token; the retry sets the password',
    async () => {
      await sweep(
        'POST /auth/invitations/accept',
        async (n) => {
          const email = `sweep-acc-${n}@example.com`;
          assert.equal(
            (await t.api('POST', '/webusers', { token: staff, body: { email, name: `Acc ${n}`, folderIds: [ids.F] } }))
              .status,
            201,
          );
          const token = await invitationToken(t, email);
          secrets.add(token);
          const password = `Acepta-Clave-${n}-Ok!`;
          secrets.add(password);
          return { email, token, password };
        },
        (_n, p) => t.api('POST', '/auth/invitations/accept', { body: { token: p.token, password: p.password } }),
        async (n, failed, { email, token, password }) => {
          if (failed)
            assert.equal(
              (await t.api('POST', '/auth/invitations/accept', { body: { token, password } })).status,
              200,
              `step ${n}: retry`,
            );
          const signed = await t.signIn(email, password);
          assert.equal(
            (await t.api('GET', `/portal/folders/${ids.F}`, { token: signed.accessToken })).status,
            200,
            `step ${n}: the client is in`,
          );
          assert.equal(
            (await t.api('POST', '/auth/invitations/accept', { body: { token, password } })).status,
            404,
            `step ${n}: single use`,
          );
        },
      );
    },
  );

  it(
    'SES fails: 502 on create web user, send link, notify grant and re-invite; nothing half-made; the retry sends ' +
      'exactly one mail',
    async () => {
      const mails = async (to: string) => (await t.mail()).filter((m) => m.to.includes(to));
      await t.faults([{ service: 'ses', kind: 'cut' }]);
      let res: { status: number; body: any };
      try {
        res = await t.api('POST', '/webusers', {
          token: staff,
          body: { email: 'ses-wu@example.com', name: 'Ses', folderIds: [ids.F] },
        });
        assert.equal(res.status, 502, JSON.stringify(res.body));
        assert.equal(res.body.error.code, 'mail_failed');
        assertErrorShape(502, res.body, 'create web user');
        res = await t.api('POST', `/folders/${ids.F}/send`, { token: staff, body: { email: 'ses-link@example.com' } });
        assert.equal(res.status, 502);
        res = await t.api('PUT', `/folders/${ids.S}/grants/${ids.W}`, { token: staff, body: { notify: true } });
        assert.equal(res.status, 502);
        res = await t.api('POST', `/webusers/${ids.C}/invite`, { token: staff, body: {} });
        assert.equal(res.status, 502);
      } finally {
        await t.faults([]);
      }
      // Nothing half-made.
      assert.deepEqual((await t.api('GET', '/webusers?q=ses-wu', { token: staff })).body.users, []);
      assert.ok(
        !(await t.api('GET', `/folders/${ids.F}/links`, { token: staff })).body.links.some(
          (l: any) => l.email === 'ses-link@example.com',
        ),
      );
      assert.ok(
        !JSON.stringify((await t.api('GET', `/folders/${ids.S}/grants`, { token: staff })).body).includes(ids.W),
      );
      // Retries: each sends exactly one mail, and it works.
      assert.equal(
        (
          await t.api('POST', '/webusers', {
            token: staff,
            body: { email: 'ses-wu@example.com', name: 'Ses', folderIds: [ids.F] },
          })
        ).status,
        201,
      );
      assert.equal((await mails('ses-wu@example.com')).length, 1);
      assert.equal(
        (await t.api('POST', `/folders/${ids.F}/send`, { token: staff, body: { email: 'ses-link@example.com' } }))
          .status,
        201,
      );
      assert.equal((await mails('ses-link@example.com')).length, 1);
      const token = await shareToken(t, 'ses-link@example.com');
      secrets.add(token);
      assert.equal((await t.api('GET', `/share`, { share: token })).status, 200);
      const before = (await mails(client.email)).length;
      assert.equal(
        (await t.api('PUT', `/folders/${ids.S}/grants/${ids.W}`, { token: staff, body: { notify: true } })).status,
        200,
      );
      assert.equal((await t.api('POST', `/webusers/${ids.C}/invite`, { token: staff, body: {} })).status, 204);
      assert.equal((await mails(client.email)).length, before + 1, 'one new invitation');
    },
  );

  it('S3 stops answering: completing an upload is 503 and works once S3 is back', async () => {
    const bytes = randomBytes(2000);
    const start = await t.api('POST', `/folders/${ids.S}/files`, {
      token: staff,
      body: { name: 's3-down.pdf', size: bytes.length, contentType: 'application/pdf' },
    });
    await uploadWith(start.body.upload, bytes, 'application/pdf');
    await t.faults([{ service: 's3', kind: 'cut' }]);
    try {
      const res = await t.api('POST', `/files/${start.body.file.id}/versions/${start.body.versionId}/complete`, {
        token: staff,
        body: {},
      });
      assert.equal(res.status, 503, JSON.stringify(res.body));
      assertErrorShape(503, res.body, 'complete');
    } finally {
      await t.faults([]);
    }
    assert.ok(
      !(await t.api('GET', `/folders/${ids.S}`, { token: staff })).body.files.some(
        (f: any) => f.name === 's3-down.pdf',
      ),
      'not visible',
    );
    assert.equal(
      (
        await t.api('POST', `/files/${start.body.file.id}/versions/${start.body.versionId}/complete`, {
          token: staff,
          body: {},
        })
      ).status,
      200,
    );
  });

  it(
    'Cognito stops answering: creating a web user and accepting an invitation are 503, nothing half-made, the ' +
      'retry works',
    async () => {
      assert.equal(
        (await t.api('POST', '/webusers', { token: staff, body: { email: 'idp-acc@example.com', name: 'Idp' } }))
          .status,
        201,
      );
      const token = await invitationToken(t, 'idp-acc@example.com');
      secrets.add(token);
      await t.faults([{ service: 'cognito-idp', kind: 'cut' }]);
      try {
        const a = await t.api('POST', '/webusers', {
          token: staff,
          body: { email: 'idp-down@example.com', name: 'Idp' },
        });
        assert.equal(a.status, 503, JSON.stringify(a.body));
        const b = await t.api('POST', '/auth/invitations/accept', { body: { token, password: 'Idp-Clave-Segura-1!' } });
        assert.equal(b.status, 503, JSON.stringify(b.body));
      } finally {
        await t.faults([]);
      }
      assert.deepEqual((await t.api('GET', '/webusers?q=idp-down', { token: staff })).body.users, []);
      assert.equal(
        (await t.api('POST', '/webusers', { token: staff, body: { email: 'idp-down@example.com', name: 'Idp' } }))
          .status,
        201,
      );
      assert.equal(
        (await t.api('POST', '/auth/invitations/accept', { body: { token, password: 'Idp-Clave-Segura-1!' } })).status,
        200,
      );
    },
  );

  it('the log of all these failures carries no token or password', () => {
    assertLogsClean(t, secrets);
  });
});
