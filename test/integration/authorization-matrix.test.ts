/**
 * The authorization matrix as data: actor x route x resource state -> status,
 * every row run through HTTP against the local stack with real tokens.
 * Clients get the same 404 body for anything they cannot reach, whatever the reason.
 */

import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { routes } from '../../functions/routes.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { makeClient, makeFile, makeFolder, shareToken } from '../support/story.ts';

type Actor =
  | 'none'
  | 'staff'
  | 'admin'
  | 'clientA'
  | 'clientB'
  | 'disabled'
  | 'idToken'
  | 'link'
  | 'revokedLink'
  | 'garbageLink';
interface Row {
  actor: Actor;
  method: string;
  path: (f: Fixtures) => string;
  /** The share token the request carries (X-Share-Token). */
  share?: (f: Fixtures) => string;
  status: number;
  why: string;
  /** Pretend it is later (the injectable clock of the local stack). */
  at?: 'after-grant-expiry' | 'after-link-expiry';
}

interface Fixtures {
  A: string; // client A's folder (granted)
  Asub: string;
  Afile: string;
  B: string; // client B's folder
  Bfile: string;
  trashed: string; // inside A, trashed
  trashedFile: string;
  timed: string; // granted to A with an expiry
  ghost: string; // a well-formed id that does not exist
  link: string;
  revokedLink: string;
}

const NOT_FOUND = { error: { code: 'not_found', message: 'Not found.' } };

const clientRows: Row[] = [
  { actor: 'clientA', method: 'GET', path: (f) => `/portal/folders/${f.A}`, status: 200, why: 'granted folder' },
  {
    actor: 'clientA',
    method: 'GET',
    path: (f) => `/portal/folders/${f.Asub}`,
    status: 200,
    why: 'inside the granted subtree',
  },
  {
    actor: 'clientA',
    method: 'GET',
    path: (f) => `/portal/files/${f.Afile}/download`,
    status: 200,
    why: 'file in the granted subtree',
  },
  {
    actor: 'clientA',
    method: 'GET',
    path: (f) => `/portal/folders/${f.B}`,
    status: 404,
    why: "another client's folder",
  },
  {
    actor: 'clientA',
    method: 'GET',
    path: (f) => `/portal/files/${f.Bfile}/download`,
    status: 404,
    why: "another client's file",
  },
  { actor: 'clientA', method: 'GET', path: (f) => `/portal/folders/${f.trashed}`, status: 404, why: 'trashed folder' },
  {
    actor: 'clientA',
    method: 'GET',
    path: (f) => `/portal/files/${f.trashedFile}/download`,
    status: 404,
    why: 'file under a trashed folder',
  },
  {
    actor: 'clientA',
    method: 'GET',
    path: (f) => `/portal/folders/${f.ghost}`,
    status: 404,
    why: 'id that does not exist',
  },
  {
    actor: 'clientA',
    method: 'GET',
    path: (f) => `/portal/files/${f.ghost}/download`,
    status: 404,
    why: 'file id that does not exist',
  },
  {
    actor: 'clientA',
    method: 'GET',
    path: () => `/portal/folders/root`,
    status: 404,
    why: 'the root is nobody’s grant',
  },
  {
    actor: 'clientA',
    method: 'GET',
    path: (f) => `/portal/folders/${f.timed}`,
    status: 200,
    why: 'grant before its expiry',
  },
  {
    actor: 'clientA',
    method: 'GET',
    path: (f) => `/portal/folders/${f.timed}`,
    status: 404,
    why: 'grant after its expiry',
    at: 'after-grant-expiry',
  },
  {
    actor: 'clientB',
    method: 'GET',
    path: (f) => `/portal/folders/${f.A}`,
    status: 404,
    why: "client B on client A's folder",
  },
  { actor: 'clientB', method: 'GET', path: (f) => `/portal/folders/${f.B}`, status: 200, why: "client B's own folder" },
  {
    actor: 'disabled',
    method: 'GET',
    path: (f) => `/portal/folders/${f.A}`,
    status: 404,
    why: 'disabled user, granted folder',
  },
  {
    actor: 'disabled',
    method: 'GET',
    path: (f) => `/portal/files/${f.Afile}/download`,
    status: 404,
    why: 'disabled user, granted file',
  },
  { actor: 'staff', method: 'GET', path: (f) => `/portal/folders/${f.A}`, status: 403, why: 'staff on a portal route' },
  { actor: 'none', method: 'GET', path: (f) => `/portal/folders/${f.A}`, status: 401, why: 'no token' },
  {
    actor: 'idToken',
    method: 'GET',
    path: (f) => `/portal/folders/${f.A}`,
    status: 401,
    why: 'an ID token instead of an access token',
  },

  { actor: 'link', method: 'GET', share: (f) => f.link, path: () => `/share`, status: 200, why: 'live link' },
  {
    actor: 'link',
    method: 'GET',
    share: (f) => f.link,
    path: (f) => `/share/folders/${f.Asub}`,
    status: 200,
    why: 'subfolder of the linked folder',
  },
  {
    actor: 'link',
    method: 'GET',
    share: (f) => f.link,
    path: (f) => `/share/files/${f.Afile}/download`,
    status: 200,
    why: 'file in the linked subtree',
  },
  {
    actor: 'link',
    method: 'GET',
    share: (f) => f.link,
    path: (f) => `/share/folders/${f.B}`,
    status: 404,
    why: 'folder outside the link',
  },
  {
    actor: 'link',
    method: 'GET',
    share: (f) => f.link,
    path: (f) => `/share/files/${f.Bfile}/download`,
    status: 404,
    why: 'file outside the link',
  },
  {
    actor: 'link',
    method: 'GET',
    share: (f) => f.link,
    path: (f) => `/share/folders/${f.trashed}`,
    status: 404,
    why: 'trashed folder inside the link',
  },
  {
    actor: 'link',
    method: 'GET',
    share: (f) => f.link,
    path: (f) => `/share/files/${f.trashedFile}/download`,
    status: 404,
    why: 'file under a trashed folder',
  },
  {
    actor: 'link',
    method: 'GET',
    share: (f) => f.link,
    path: () => `/share`,
    status: 404,
    why: 'link after its expiry',
    at: 'after-link-expiry',
  },
  {
    actor: 'revokedLink',
    method: 'GET',
    share: (f) => f.revokedLink,
    path: () => `/share`,
    status: 404,
    why: 'revoked link',
  },
  {
    actor: 'revokedLink',
    method: 'GET',
    share: (f) => f.revokedLink,
    path: (f) => `/share/files/${f.Afile}/download`,
    status: 404,
    why: 'download through a revoked link',
  },
  {
    actor: 'garbageLink',
    method: 'GET',
    share: () => 'x'.repeat(43),
    path: () => '/share',
    status: 404,
    why: 'a guessed token',
  },
  // Searches: within reach they answer (maybe an empty list, never 404 for the search); a dead credential is 404.
  { actor: 'clientA', method: 'GET', path: () => '/portal/search?q=sub', status: 200, why: 'search within grants' },
  { actor: 'clientB', method: 'GET', path: () => '/portal/search?q=sub', status: 200, why: 'search, nothing reached' },
  {
    actor: 'disabled',
    method: 'GET',
    path: () => '/portal/search?q=sub',
    status: 404,
    why: 'search by a disabled user',
  },
  {
    actor: 'clientA',
    method: 'GET',
    path: () => '/portal/search?q=temporal',
    status: 200,
    why: 'search after a grant expired',
    at: 'after-grant-expiry',
  },
  {
    actor: 'link',
    method: 'GET',
    share: (f) => f.link,
    path: () => '/share/search?q=sub',
    status: 200,
    why: 'search inside the link',
  },
  {
    actor: 'revokedLink',
    method: 'GET',
    share: (f) => f.revokedLink,
    path: () => '/share/search?q=sub',
    status: 404,
    why: 'search through a revoked link',
  },
  {
    actor: 'link',
    method: 'GET',
    share: (f) => f.link,
    path: () => '/share/search?q=sub',
    status: 404,
    why: 'search through a link after its expiry',
    at: 'after-link-expiry',
  },
  { actor: 'staff', method: 'GET', path: () => '/search?q=sub', status: 200, why: 'staff search anywhere' },
  {
    actor: 'garbageLink',
    method: 'GET',
    share: () => '../../etc',
    path: () => '/share',
    status: 404,
    why: 'a path-traversal token',
  },
];

/** Every staff route: web users get 403, no token 401. */
function staffRouteRows(): Row[] {
  const rows: Row[] = [];
  for (const r of routes.filter((r) => r.audience === 'staff' || r.audience === 'admin')) {
    const path = (f: Fixtures) =>
      r.path.replace('{id}', f.A).replace('{userId}', f.ghost).replace('{versionId}', f.ghost);
    rows.push({ actor: 'clientA', method: r.method, path, status: 403, why: `web user on ${r.method} ${r.path}` });
    rows.push({ actor: 'none', method: r.method, path, status: 401, why: `no token on ${r.method} ${r.path}` });
  }
  return rows;
}

describe('authorization matrix', () => {
  let t: TestStack;
  let f: Fixtures;
  const tokens = {} as Record<Actor, string | undefined>;
  const times = {} as Record<NonNullable<Row['at']>, string>;

  beforeAll(async () => {
    t = await startTestStack();
    const staff = await t.adminToken();
    const A = await makeFolder(t, staff, 'Cliente A');
    const Asub = await makeFolder(t, staff, 'Sub A', A.id);
    const Afile = await makeFile(t, staff, Asub.id, 'a.pdf');
    const B = await makeFolder(t, staff, 'Cliente B');
    const Bfile = await makeFile(t, staff, B.id, 'b.pdf');
    const trashed = await makeFolder(t, staff, 'Borrada', A.id);
    const trashedFile = await makeFile(t, staff, trashed.id, 'borrado.pdf');
    const timed = await makeFolder(t, staff, 'Temporal');
    const clientA = await makeClient(t, staff, [A.id], 'Cliente A');
    const clientB = await makeClient(t, staff, [B.id], 'Cliente B');
    const disabled = await makeClient(t, staff, [A.id], 'Desactivado');
    const grantExpiry = new Date(Date.now() + 3600_000);
    assert.equal(
      (
        await t.api('PUT', `/folders/${timed.id}/grants/${clientA.id}`, {
          token: staff,
          body: { expiresAt: grantExpiry.toISOString() },
        })
      ).status,
      200,
    );
    times['after-grant-expiry'] = new Date(grantExpiry.getTime() + 1000).toISOString();
    assert.equal(
      (await t.api('PATCH', `/webusers/${disabled.id}`, { token: staff, body: { status: 'disabled' } })).status,
      200,
    );
    assert.equal((await t.api('DELETE', `/folders/${trashed.id}`, { token: staff })).status, 204);

    const linkExpiry = new Date(Date.now() + 2 * 3600_000);
    await t.api('POST', `/folders/${A.id}/send`, {
      token: staff,
      body: { email: 'link-holder@example.com', expiresAt: linkExpiry.toISOString() },
    });
    times['after-link-expiry'] = new Date(linkExpiry.getTime() + 1000).toISOString();
    const link = await shareToken(t, 'link-holder@example.com');
    const revoked = await t.api('POST', `/folders/${A.id}/send`, {
      token: staff,
      body: { email: 'revoked-holder@example.com' },
    });
    const revokedLink = await shareToken(t, 'revoked-holder@example.com');
    assert.equal((await t.api('DELETE', `/links/${revoked.body.link.id}`, { token: staff })).status, 204);

    f = {
      A: A.id,
      Asub: Asub.id,
      Afile: Afile.id,
      B: B.id,
      Bfile: Bfile.id,
      trashed: trashed.id,
      trashedFile: trashedFile.id,
      timed: timed.id,
      ghost: '01JQ0000000000000000000000',
      link,
      revokedLink,
    };
    tokens.staff = staff;
    tokens.admin = staff;
    tokens.clientA = clientA.token;
    tokens.clientB = clientB.token;
    tokens.disabled = disabled.token;
    tokens.idToken = (await t.signIn(clientA.email, clientA.password)).idToken;
  });
  afterAll(() => t?.stop());

  for (const row of [...clientRows, ...staffRouteRows()]) {
    it(`${row.actor} · ${row.why} → ${row.status}`, async () => {
      const headers = row.at ? { 'x-carpeta-now': times[row.at] } : undefined;
      const body = ['POST', 'PUT', 'PATCH'].includes(row.method) ? {} : undefined;
      const res = await t.api(row.method, row.path(f), {
        token: tokens[row.actor],
        share: row.share?.(f),
        headers,
        body,
      });
      assert.equal(res.status, row.status, `${row.method} ${row.path(f)}: ${JSON.stringify(res.body)}`);
      if (row.status === 404) assert.deepEqual(res.body, NOT_FOUND);
      if (row.status === 403) assert.equal(res.body.error.code, 'forbidden');
      if (row.status === 401) assert.equal(res.body.error.code, 'unauthorized');
      if (res.status === 404 && row.path(f).includes('/download')) assert.ok(!('url' in res.body));
    });
  }

  it('records a denied-access event for what clients could not reach', async () => {
    const res = await t.api('GET', `/activity?limit=500`, { token: tokens.staff });
    const denied = res.body.events.filter((e: any) => e.type === 'access.denied');
    assert.ok(denied.some((e: any) => e.target.id === f.B && e.actor.kind === 'webuser'));
    assert.ok(denied.some((e: any) => e.target.id === f.Bfile && e.actor.kind === 'link'));
  });
});
