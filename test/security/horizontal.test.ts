/**
 * Issue 8, attack cases 1 and 3: horizontal access, and every route that
 * returns bytes or a URL. Client A (a web user) and the holder of A's share
 * link try every client route with client B's folder, file, version and link
 * ids and with guessed ULIDs: every answer is the same 404 body, no URL is
 * minted, and each attempt is recorded as `access.denied`. Old versions are
 * never reachable by clients: `?versionId=` is ignored and the current
 * version is what they get.
 */

import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { ulid } from '../../functions/lib/ids.ts';
import { allEvents, fill, NOT_FOUND, newVersion, routesFor } from '../support/security.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { makeClient, makeFile, makeFolder, shareToken } from '../support/story.ts';
import { download } from '../support/upload.ts';

describe('security: horizontal access (case 1) and byte/URL routes (case 3)', () => {
  let t: TestStack;
  let staff: string;
  let clientA: { id: string; token: string };
  let linkA: string;
  let linkB: string;
  const A = {} as {
    folder: string;
    sub: string;
    file: string;
    v1: string;
    v2: string;
    v1bytes: Buffer;
    v2bytes: Buffer;
  };
  const B = {} as {
    folder: string;
    sub: string;
    file: string;
    v1: string;
    v2: string;
    linkId: string;
    trashedFile: string;
  };
  /** B's ids and ids that exist nowhere: none may be reachable by client A or A's link. */
  let foreign: Array<{ id: string; what: string }>;

  beforeAll(async () => {
    // Guessing is the point here: the brute-force limit (rate-limit.test.ts) is set out of the way.
    t = await startTestStack({ RATE_LIMIT_FAILURES: '100000' });
    staff = await t.adminToken();
    const fa = await makeFolder(t, staff, 'Cliente A');
    const fas = await makeFolder(t, staff, 'Facturas A', fa.id);
    A.v1bytes = randomBytes(3000);
    A.v2bytes = randomBytes(4000);
    const a = await makeFile(t, staff, fas.id, 'a.pdf', A.v1bytes);
    Object.assign(A, {
      folder: fa.id,
      sub: fas.id,
      file: a.id,
      v1: a.versionId,
      v2: await newVersion(t, staff, a.id, A.v2bytes),
    });

    const fb = await makeFolder(t, staff, 'Cliente B');
    const fbs = await makeFolder(t, staff, 'Facturas B', fb.id);
    const b = await makeFile(t, staff, fbs.id, 'b.pdf');
    const bt = await makeFile(t, staff, fbs.id, 'borrado.pdf');
    assert.equal((await t.api('DELETE', `/files/${bt.id}`, { token: staff })).status, 204);
    Object.assign(B, {
      folder: fb.id,
      sub: fbs.id,
      file: b.id,
      v1: b.versionId,
      v2: await newVersion(t, staff, b.id, randomBytes(100)),
      trashedFile: bt.id,
    });

    clientA = await makeClient(t, staff, [A.folder], 'Cliente A');
    await makeClient(t, staff, [B.folder], 'Cliente B');
    assert.equal(
      (await t.api('POST', `/folders/${A.folder}/send`, { token: staff, body: { email: 'holder-a@example.com' } }))
        .status,
      201,
    );
    linkA = await shareToken(t, 'holder-a@example.com');
    const sentB = await t.api('POST', `/folders/${B.folder}/send`, {
      token: staff,
      body: { email: 'holder-b@example.com' },
    });
    B.linkId = sentB.body.link.id;
    linkB = await shareToken(t, 'holder-b@example.com');

    foreign = [
      { id: B.folder, what: "B's folder" },
      { id: B.sub, what: "B's subfolder" },
      { id: B.file, what: "B's file" },
      { id: B.v1, what: "B's old version id" },
      { id: B.v2, what: "B's current version id" },
      { id: B.linkId, what: "B's link id" },
      { id: B.trashedFile, what: "B's trashed file" },
      { id: A.v1, what: "A's own old version id (a version is not a file)" },
      { id: ulid(), what: 'a guessed ULID (now)' },
      { id: ulid(Date.now() - 86400_000), what: 'a guessed ULID (yesterday)' },
      { id: '00000000000000000000000000', what: 'the zero ULID' },
      { id: 'root', what: 'the root' },
    ];
  });
  afterAll(() => t?.stop());

  it('client A gets the same 404 on every portal route for every foreign id, with nothing minted', async () => {
    const portal = routesFor('webuser').filter((r) => r.path.includes('{id}'));
    assert.ok(portal.length >= 2, 'portal routes with an id');
    let attempts = 0;
    for (const r of portal) {
      for (const f of foreign) {
        for (const q of ['', `?versionId=${B.v1}`, '?disposition=inline']) {
          const res = await t.api(r.method, fill(r, { id: f.id }) + q, { token: clientA.token });
          assert.equal(res.status, 404, `${r.method} ${r.path} with ${f.what}${q}`);
          assert.deepEqual(res.body, NOT_FOUND, `${r.method} ${r.path} with ${f.what}: same body`);
          assert.ok(!JSON.stringify(res.body).includes('http'), 'no URL');
          attempts++;
        }
      }
    }
    // Each attempt left an access.denied event by client A naming what was tried.
    const denied = (await allEvents(t, staff, `actorId=${clientA.id}`)).filter((e) => e.type === 'access.denied');
    assert.ok(denied.length >= attempts, `${denied.length} denied events for ${attempts} attempts`);
    for (const f of foreign)
      assert.ok(
        denied.some((e) => e.target?.id === f.id),
        `denied event for ${f.what}`,
      );
    for (const e of denied) {
      assert.equal(e.actor.kind, 'webuser');
      assert.ok(e.ip, 'the event has the address');
    }
  });

  it("A's link holder gets the same 404 on every share route for every foreign id", async () => {
    const share = routesFor('link').filter((r) => r.path.includes('{id}'));
    assert.ok(share.length >= 2, 'share routes with an id');
    for (const r of share) {
      for (const f of foreign) {
        const res = await t.api(r.method, `${fill(r, { id: f.id })}?versionId=${B.v1}`, { share: linkA });
        assert.equal(res.status, 404, `${r.method} ${r.path} with ${f.what}`);
        assert.deepEqual(res.body, NOT_FOUND);
      }
    }
    const events = await allEvents(t, staff);
    const denied = events.filter((e) => e.type === 'access.denied' && e.actor.kind === 'link');
    for (const f of foreign.filter((x) => x.id !== 'root'))
      assert.ok(
        denied.some((e) => e.target?.id === f.id),
        `denied link event for ${f.what}`,
      );
  });

  it('ids in the token position (link ids, version ids, other links) never open anything', async () => {
    for (const token of [
      B.linkId,
      B.v1,
      B.folder,
      linkB.slice(0, 42),
      `${linkB}A`,
      linkB.toLowerCase() === linkB ? linkB.toUpperCase() : linkB.toLowerCase(),
      `${encodeURIComponent(linkB)}%00`,
    ]) {
      for (const p of ['', `/folders/${B.folder}`, `/files/${B.file}/download`]) {
        const res = await t.api('GET', `/share${p}`, { share: token });
        assert.equal(res.status, 404, `/share/${token.slice(0, 12)}…${p}`);
        assert.deepEqual(res.body, NOT_FOUND);
      }
    }
    // B's own token still works on B, and on nothing of A's.
    assert.equal((await t.api('GET', `/share/files/${B.file}/download`, { share: linkB })).status, 200);
    assert.deepEqual((await t.api('GET', `/share/files/${A.file}/download`, { share: linkB })).body, NOT_FOUND);
    assert.deepEqual((await t.api('GET', `/share/folders/${A.folder}`, { share: linkB })).body, NOT_FOUND);
  });

  it('every route that hands out bytes or a URL makes the access decision (case 3)', async () => {
    // The routes that mint URLs are found from the route table by name, so new ones are covered.
    const minting = routesFor('webuser', 'link', 'public', 'signedin').filter((r) =>
      /download|preview|receipt|logo|export/.test(r.handler),
    );
    assert.ok(minting.length >= 2);
    for (const r of minting) {
      const auth = r.audience === 'link' ? { share: linkA } : { token: clientA.token };
      for (const id of [B.file, B.trashedFile, B.v2, ulid()]) {
        const res = await t.api(r.method, fill(r, { id }), auth);
        assert.ok([404, 403].includes(res.status), `${r.method} ${r.path}: ${res.status}`);
        assert.ok(!('url' in (res.body ?? {})), `${r.path}: no url`);
      }
    }
    // The logo (served to anyone by /branding) cannot be pointed at a document's key, even by an admin.
    const settings = (await t.api('GET', '/settings', { token: staff })).body;
    const { name, colors, defaultLanguage, linkDefaultDays, notifications, retentionMonths } = settings;
    for (const logoKey of [
      `files/${A.file}/${A.v1}`,
      `files/${A.file}/${A.v2}`,
      `branding/../files/${A.file}/${A.v2}`,
      'branding/logo-00000000000000000000000000.png',
    ]) {
      const put = await t.api('PUT', '/settings', {
        token: staff,
        body: { name, colors, defaultLanguage, linkDefaultDays, notifications, retentionMonths, logoKey },
      });
      assert.equal(put.status, 400, `logoKey ${logoKey}: ${JSON.stringify(put.body)}`);
      assert.equal(put.body.error.field, 'logoKey');
    }
    const branding = await t.api('GET', '/branding');
    assert.equal(branding.status, 200);
    assert.ok(!JSON.stringify(branding.body).includes('files/'), 'no document behind the public branding');

    // The staff download route, which can reach old versions, is closed to clients.
    const staffDl = await t.api('GET', `/files/${A.file}/download?versionId=${A.v1}`, { token: clientA.token });
    assert.equal(staffDl.status, 403);
    assert.equal(staffDl.body.error.code, 'forbidden');
  });

  it('clients only ever get the current version, whatever ?versionId= says', async () => {
    for (const q of [
      '',
      `?versionId=${A.v1}`,
      `?versionId=${A.v1}&versionId=${A.v1}`,
      `?versionId[]=${A.v1}`,
      `?version=${A.v1}`,
    ]) {
      const portal = await t.api('GET', `/portal/files/${A.file}/download${q}`, { token: clientA.token });
      assert.equal(portal.status, 200, `portal ${q}: ${JSON.stringify(portal.body)}`);
      assert.ok(!portal.body.url.includes(A.v1), 'the URL names the current version only');
      assert.ok(portal.body.url.includes(`files/${A.file}/${A.v2}`));
      assert.ok((await download(portal.body.url)).bytes.equals(A.v2bytes), `portal ${q}: current bytes`);
      const link = await t.api('GET', `/share/files/${A.file}/download${q}`, { share: linkA });
      assert.equal(link.status, 200, `link ${q}`);
      assert.ok((await download(link.body.url)).bytes.equals(A.v2bytes), `link ${q}: current bytes`);
    }
    const downloads = (await allEvents(t, staff, `actorId=${clientA.id}`)).filter((e) => e.type === 'download');
    assert.ok(downloads.length >= 5);
    for (const e of downloads) assert.equal(e.target.versionId, A.v2, 'the recorded version is the current one');
    // A's old version is still there for staff (so the 404s above are about who asks, not what exists).
    const old = await t.api('GET', `/files/${A.file}/download?versionId=${A.v1}`, { token: staff });
    assert.equal(old.status, 200);
    assert.ok((await download(old.body.url)).bytes.equals(A.v1bytes));
  });

  it('client A can list nothing of B through listings either', async () => {
    const tops = await t.api('GET', '/portal/folders', { token: clientA.token });
    const seen = JSON.stringify(tops.body);
    for (const id of [B.folder, B.sub, B.file]) assert.ok(!seen.includes(id));
    const inA = await t.api(
      'GET',
      `/portal/folders/${A.folder}?cursor=${encodeURIComponent(
        Buffer.from(
          JSON.stringify({ PK: `FOLDER#${B.folder}`, SK: 'META', GSI1PK: `CHILD#${B.folder}`, GSI1SK: '1#' }),
        ).toString('base64url'),
      )}`,
      { token: clientA.token },
    );
    assert.ok(inA.status === 200 || inA.status === 400, `forged cursor: ${inA.status} ${JSON.stringify(inA.body)}`);
    // A crafted cursor pointing into B's folder must not list B's children.
    assert.ok(!JSON.stringify(inA.body).includes(B.sub), 'a forged cursor does not cross into another folder');
    assert.ok(!JSON.stringify(inA.body).includes(B.file));
  });
});
