/**
 * Issue 17, "Deliver to many clients at once, and prove who received, opened and acknowledged",
 * through HTTP against the local stack with real tokens: client identity on folders,
 * acknowledgement of receipt, receipts and what clients have not opened, routing by tax id.
 */

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { candidatesIn, decideRoute } from '../../functions/domain/routing.ts';
import { allEvents, newVersion } from '../support/security.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { makeClient, makeFile, makeFolder, shareToken } from '../support/story.ts';

describe('delivery to clients', () => {
  let t: TestStack;
  let staff: string;
  beforeAll(async () => {
    t = await startTestStack();
    staff = await t.adminToken();
  });
  afterAll(() => t?.stop());

  const patch = (id: string, body: Record<string, unknown>) => t.api('PATCH', `/folders/${id}`, { token: staff, body });

  it('a folder carries the client tax id and code: normalised, unique in the company, cleared with null', async () => {
    const a = await makeFolder(t, staff, 'Cliente Identidad A');
    const b = await makeFolder(t, staff, 'Cliente Identidad B');
    const set = await patch(a.id, { taxId: '12.345.678-z', clientCode: 'c-0042', version: a.version });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal(set.body.taxId, '12345678Z');
    assert.equal(set.body.clientCode, 'C-0042');
    const shown = await t.api('GET', `/folders/${a.id}`, { token: staff });
    assert.equal(shown.body.folder.taxId, '12345678Z');
    const listed = await t.api('GET', '/folders/root', { token: staff });
    assert.equal(listed.body.folders.find((f: any) => f.id === a.id).clientCode, 'C-0042');

    const taken = await patch(b.id, { taxId: '12345678z', version: b.version });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.error.code, 'tax_id_taken');
    const codeTaken = await patch(b.id, { clientCode: 'C-0042', version: b.version });
    assert.equal(codeTaken.body.error.code, 'client_code_taken');

    const wrong = await patch(b.id, { taxId: '12345678A', version: b.version });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error.field, 'taxId');
    assert.equal(wrong.body.error.rule, 'check_character');

    // A changes its tax id: the old one is free for B at once.
    const moved = await patch(a.id, { taxId: 'B12345674', version: set.body.version });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    const bTakes = await patch(b.id, { taxId: '12345678Z', version: b.version });
    assert.equal(bTakes.status, 200, JSON.stringify(bTakes.body));
    const cleared = await patch(a.id, { taxId: null, clientCode: null, version: moved.body.version });
    assert.equal(cleared.status, 200);
    assert.equal(cleared.body.taxId, null);
    assert.equal(cleared.body.clientCode, null);
    const bCode = await patch(b.id, { clientCode: 'C-0042', version: bTakes.body.version });
    assert.equal(bCode.status, 200, JSON.stringify(bCode.body));
  });

  it('acknowledgement: asked on a folder or a file, confirmed once per version, 404 where not asked', async () => {
    const folder = await makeFolder(t, staff, 'Pólizas Acuse');
    const sub = await makeFolder(t, staff, '2026', folder.id);
    const policy = await makeFile(t, staff, sub.id, 'Póliza.pdf');
    const note = await makeFile(t, staff, sub.id, 'Nota.pdf');
    const client = await makeClient(t, staff, [folder.id], 'Asegurada');
    const ack = (id: string) => t.api('POST', `/portal/files/${id}/acknowledge`, { token: client.token });

    // Nothing asks yet: the same 404 as for anything not theirs.
    assert.equal((await ack(policy.id)).status, 404);
    const asked = await patch(folder.id, { requiresAcknowledgement: true, version: folder.version });
    assert.equal(asked.status, 200, JSON.stringify(asked.body));
    assert.equal(asked.body.requiresAcknowledgement, true);
    // The note says no for itself.
    const optOut = await t.api('PATCH', `/files/${note.id}`, {
      token: staff,
      body: { requiresAcknowledgement: false, version: 1 },
    });
    assert.equal(optOut.status, 200, JSON.stringify(optOut.body));
    assert.equal(optOut.body.requiresAcknowledgement, false);

    // Listings show it on each file, inherited included: the client's and the staff's.
    const portal = await t.api('GET', `/portal/folders/${sub.id}`, { token: client.token });
    const portalFlags = Object.fromEntries(portal.body.files.map((f: any) => [f.name, f.requiresAcknowledgement]));
    assert.deepEqual(portalFlags, { 'Nota.pdf': false, 'Póliza.pdf': true });
    const staffList = await t.api('GET', `/folders/${sub.id}`, { token: staff });
    const staffFlags = Object.fromEntries(staffList.body.files.map((f: any) => [f.name, f.requiresAcknowledgement]));
    assert.deepEqual(staffFlags, { 'Nota.pdf': false, 'Póliza.pdf': true });
    assert.equal((await t.api('GET', `/files/${policy.id}`, { token: staff })).body.file.requiresAcknowledgement, true);

    const first = await t.api('POST', `/portal/files/${policy.id}/acknowledge`, {
      token: client.token,
      headers: { 'user-agent': 'Acuse/1.0' },
    });
    assert.equal(first.status, 204, JSON.stringify(first.body));
    assert.equal((await ack(policy.id)).status, 204, 'again: still 204');
    assert.equal((await ack(note.id)).status, 404, 'a file that does not ask');
    const events = async () =>
      (await allEvents(t, staff, `fileId=${policy.id}`)).filter((e) => e.type === 'acknowledged');
    const [event, ...more] = await events();
    assert.equal(more.length, 0, 'once per version');
    assert.equal(event.actor.id, client.id);
    assert.equal(event.target.versionId, policy.versionId);
    assert.equal(event.details.versionId, policy.versionId);
    // The SHA-256 of the bytes uploaded, which S3 checked (the policy pinned it).
    assert.equal(event.details.sha256, createHash('sha256').update(policy.bytes).digest('hex'));
    assert.equal(event.details.verifiedBy, 's3');
    assert.ok(event.ip);
    assert.equal(event.userAgent, 'Acuse/1.0');
    // The document is untouched: same version, same bytes.
    const after = await t.api('GET', `/files/${policy.id}`, { token: staff });
    assert.equal(after.body.file.currentVersionId, policy.versionId);

    // The client's listing says what they confirmed (so the page offers no button again).
    const confirmedHere = async () =>
      Object.fromEntries(
        (await t.api('GET', `/portal/folders/${sub.id}`, { token: client.token })).body.files.map((f: any) => [
          f.name,
          f.acknowledged,
        ]),
      );
    assert.deepEqual(await confirmedHere(), { 'Nota.pdf': false, 'Póliza.pdf': true });

    // A new version asks again.
    const v2 = await newVersion(t, staff, policy.id, Buffer.from('version dos'));
    assert.deepEqual(await confirmedHere(), { 'Nota.pdf': false, 'Póliza.pdf': false }, 'not this version yet');
    assert.equal((await ack(policy.id)).status, 204);
    assert.equal((await confirmedHere())['Póliza.pdf'], true);
    const both = await events();
    assert.equal(both.length, 2);
    assert.ok(both.some((e) => e.details.versionId === v2));

    // A link holder confirms too, with the token in X-Share-Token.
    const sent = await t.api('POST', `/folders/${folder.id}/send`, {
      token: staff,
      body: { email: 'acuse-enlace@example.com' },
    });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const share = await shareToken(t, 'acuse-enlace@example.com');
    const linked = await t.api('POST', `/share/files/${policy.id}/acknowledge`, { share });
    assert.equal(linked.status, 204, JSON.stringify(linked.body));
    assert.equal((await t.api('POST', `/share/files/${note.id}/acknowledge`, { share })).status, 404);
    const byLink = (await events()).filter((e) => e.actor.kind === 'link');
    assert.equal(byLink.length, 1);
    assert.equal(byLink[0].actor.id, sent.body.link.id);

    // Receipts: who opened it (acknowledged counts), who acknowledged, who did neither.
    const idle = await makeClient(t, staff, [folder.id], 'Sin abrir');
    const seen = await makeClient(t, staff, [folder.id], 'Solo descarga');
    assert.equal((await t.api('GET', `/portal/files/${policy.id}/download`, { token: seen.token })).status, 200);
    const receipts = await t.api('GET', `/files/${policy.id}/receipts`, { token: staff });
    assert.equal(receipts.status, 200);
    const r = new Map(receipts.body.recipients.map((x: any) => [x.id, x]));
    const mine: any = r.get(client.id);
    assert.ok(mine.acknowledgedAt);
    assert.equal(mine.openedAt, mine.acknowledgedAt);
    assert.equal(mine.acknowledgedCurrent, true);
    const downloader: any = r.get(seen.id);
    assert.equal(downloader.acknowledgedAt, null);
    assert.equal(downloader.openedAt, downloader.firstDownloadAt);
    const nobody: any = r.get(idle.id);
    assert.equal(nobody.openedAt, null);
    assert.equal(nobody.acknowledgedAt, null);
    assert.equal((r.get(sent.body.link.id) as any).acknowledgedAt !== null, true);

    // The acknowledgement has its receipt, as JSON and PDF.
    const receipt = await t.api('GET', `/receipts/${mine.acknowledgementReceiptId}`, { token: staff });
    assert.equal(receipt.status, 200, JSON.stringify(receipt.body));
    assert.equal(receipt.body.kind, 'acknowledged');
    assert.equal(receipt.body.what.versionId, v2);
    const pdf = await fetch(`${t.stack.apiUrl}/receipts/${mine.acknowledgementReceiptId}?format=pdf`, {
      headers: { authorization: `Bearer ${staff}` },
    });
    assert.equal(pdf.status, 200);
    assert.ok(
      Buffer.from(await pdf.arrayBuffer())
        .toString('latin1')
        .includes('Acuse de recibo'),
    );
  });

  it('"Pendientes": per client, what was delivered and not opened, oldest first; opening takes it off', async () => {
    const folder = await makeFolder(t, staff, 'Nóminas Pendientes');
    const ana = await makeClient(t, staff, [folder.id], 'Ana Pendiente');
    const luis = await makeClient(t, staff, [folder.id], 'Luis Pendiente');
    const enero = await makeFile(t, staff, folder.id, 'Enero.pdf');
    const febrero = await makeFile(t, staff, folder.id, 'Febrero.pdf');
    // Luis looks at February before the job has even run: it never shows as pending for him.
    const early = await t.api('GET', `/portal/files/${febrero.id}/download?disposition=inline`, { token: luis.token });
    assert.equal(early.status, 200);
    await t.runJobs();
    const pending = async (recipientId?: string) => {
      const res = await t.api('GET', `/deliveries/unopened${recipientId ? `?recipientId=${recipientId}` : ''}`, {
        token: staff,
      });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      return res.body.clients as any[];
    };
    const names = (clients: any[], id: string) =>
      (clients.find((c) => c.id === id)?.documents ?? []).map((d: any) => d.name);
    assert.deepEqual(names(await pending(ana.id), ana.id), ['Enero.pdf', 'Febrero.pdf'], 'oldest first');
    assert.deepEqual(names(await pending(luis.id), luis.id), ['Enero.pdf']);
    const all = await pending();
    assert.equal(all.find((c) => c.id === ana.id).email, ana.email);
    assert.deepEqual(names(all, luis.id), ['Enero.pdf']);

    // Listing the folder is not opening; downloading is.
    assert.equal((await t.api('GET', `/portal/folders/${folder.id}`, { token: ana.token })).status, 200);
    assert.deepEqual(names(await pending(ana.id), ana.id), ['Enero.pdf', 'Febrero.pdf']);
    assert.equal((await t.api('GET', `/portal/files/${enero.id}/download`, { token: ana.token })).status, 200);
    assert.deepEqual(names(await pending(ana.id), ana.id), ['Febrero.pdf']);
    // A rerun of the job does not bring it back.
    await t.runJobs();
    assert.deepEqual(names(await pending(ana.id), ana.id), ['Febrero.pdf']);
    // A new version is a new delivery.
    await newVersion(t, staff, enero.id, Buffer.from('enero corregido'));
    await t.runJobs();
    assert.deepEqual(names(await pending(ana.id), ana.id), ['Febrero.pdf', 'Enero.pdf']);
  });

  it('a grant or link made after the upload delivers what is there, from then; what was had stays', async () => {
    const folder = await makeFolder(t, staff, 'Archivo anterior');
    await makeFile(t, staff, folder.id, 'Escritura 2019.pdf');
    const seen = await makeFile(t, staff, folder.id, 'Contrato visto.pdf');
    const marta = await makeClient(t, staff, [folder.id], 'Marta Ya Tenía');
    assert.equal((await t.api('GET', `/portal/files/${seen.id}/download`, { token: marta.token })).status, 200);
    await t.runJobs();
    const pending = async (recipientId: string) =>
      (await t.api('GET', `/deliveries/unopened?recipientId=${recipientId}`, { token: staff })).body.clients[0]
        ?.documents ?? [];
    const names = async (id: string) => (await pending(id)).map((d: any) => d.name).sort();
    // Granted after the uploads: both documents reach Marta then; the one she opened is not pending.
    assert.deepEqual(await names(marta.id), ['Escritura 2019.pdf']);
    const pablo = await makeClient(t, staff, [], 'Pablo Nuevo');
    const grantedAfter = new Date().toISOString();
    const granted = await t.api('PUT', `/folders/${folder.id}/grants/${pablo.id}`, { token: staff, body: {} });
    assert.ok(granted.status < 300, JSON.stringify(granted.body));
    const sent = await t.api('POST', `/folders/${folder.id}/send`, {
      token: staff,
      body: { email: `enlace-tarde-${process.pid}@example.com` },
    });
    await t.runJobs();
    assert.deepEqual(await names(pablo.id), ['Contrato visto.pdf', 'Escritura 2019.pdf']);
    for (const d of await pending(pablo.id)) assert.ok(d.deliveredAt >= grantedAfter, 'delivered when granted');
    assert.deepEqual(await names(sent.body.link.id), ['Contrato visto.pdf', 'Escritura 2019.pdf']);
    // A rerun records nothing twice.
    await t.runJobs();
    assert.equal((await pending(pablo.id)).length, 2);
  });

  /** A valid NIF for a number (the fixture's own; the rule is pinned by test/unit/client-ids.test.ts). */
  const nif = (n: number) => `${String(n).padStart(8, '0')}${'TRWAGMYFPDXBNJZSQVHLCKE'[n % 23]}`;
  const wrongNif = (n: number) => `${String(n).padStart(8, '0')}${'TRWAGMYFPDXBNJZSQVHLCKE'[(n + 1) % 23]}`;

  it('a plan for 200 names matches as the domain rules say; a sub-path is made once under concurrency', async () => {
    const clients: Array<{ id: string; name: string; taxId: string; code?: string }> = [];
    for (let i = 0; i < 6; i++) {
      const f = await makeFolder(t, staff, `Cliente Reparto ${i}`);
      const taxId = nif(41_000_000 + i);
      const code = i === 5 ? 'RP-0005' : undefined;
      const res = await patch(f.id, { taxId, ...(code ? { clientCode: code } : {}), version: f.version });
      assert.equal(res.status, 200, JSON.stringify(res.body));
      clients.push({ id: f.id, name: f.name, taxId, code });
    }
    const names: string[] = [];
    for (let i = 0; i < 200; i++) {
      const c = clients[i % 6];
      const other = clients[(i + 1) % 6];
      const kinds = [
        `Nomina_${c.taxId}_2026-${String((i % 12) + 1).padStart(2, '0')}.pdf`, // one client
        `${c.taxId.toLowerCase()} y ${other.taxId}.pdf`, // two clients: ambiguous
        `Nomina ${c.taxId} empleado ${nif(50_000_000 + i)}.pdf`, // a client and no client
        `Nomina ${nif(60_000_000 + i)}.pdf`, // no client
        `Nomina ${wrongNif(70_000_000 + i)}.pdf`, // wrong check character
        `Factura RP-0005 n${i}.pdf`, // a client code
        `informe ${i}.pdf`, // nothing
      ];
      names.push(kinds[i % kinds.length]);
    }
    const res = await t.api('POST', '/routing/plan', { token: staff, body: { names, subPath: 'Nóminas/{yyyy}/{mm}' } });
    assert.equal(res.status, 200, JSON.stringify(res.body).slice(0, 500));
    assert.equal(res.body.plan.length, 200);
    const taxIdOwners = new Map(clients.map((c) => [c.taxId, c.id]));
    const codeOwners = new Map(clients.filter((c) => c.code).map((c) => [c.code!, c.id]));
    const reasons = new Map<string, number>();
    for (const [i, row] of res.body.plan.entries()) {
      const expected = decideRoute(candidatesIn(names[i]), taxIdOwners, codeOwners);
      assert.equal(row.name, names[i], 'in order');
      assert.equal(row.folderId, expected.folderId, names[i]);
      if (expected.folderId === null) assert.equal(row.reason, expected.reason, names[i]);
      else {
        assert.equal(row.taxId, expected.taxId);
        assert.equal(row.path[0], clients.find((c) => c.id === expected.folderId)!.name);
      }
      const key = row.folderId ? 'match' : row.reason;
      reasons.set(key, (reasons.get(key) ?? 0) + 1);
    }
    // Every outcome is exercised.
    for (const k of ['match', 'ambiguous', 'no-match', 'invalid']) assert.ok((reasons.get(k) ?? 0) > 10, k);
    const first = res.body.plan[0];
    assert.equal(first.subPath, 'Nóminas/2026/01', 'the date in the name');

    // 20 uploads of one batch ask for the same sub-path at once: each folder is made once.
    const target = clients[0].id;
    const answers = await Promise.all(
      Array.from({ length: 20 }, () =>
        t.api('POST', `/folders/${target}/path`, { token: staff, body: { path: 'Nóminas/2026/01' } }),
      ),
    );
    for (const a of answers) assert.equal(a.status, 200, JSON.stringify(a.body));
    assert.equal(new Set(answers.map((a) => a.body.folderId)).size, 1);
    const made = answers.flatMap((a) => a.body.created);
    assert.equal(made.length, 3, 'Nóminas, 2026 and 01, once each');
    const top = await t.api('GET', `/folders/${target}`, { token: staff });
    assert.deepEqual(
      top.body.folders.map((f: any) => f.name),
      ['Nóminas'],
    );
    // The file lands in the folder the path answered.
    const dest = answers[0].body.folderId;
    const placed = await makeFile(t, staff, dest, names[0]);
    const listed = await t.api('GET', `/folders/${dest}`, { token: staff });
    assert.deepEqual(
      listed.body.files.map((f: any) => f.id),
      [placed.id],
    );
    assert.deepEqual(listed.body.path.map((p: any) => p.name).slice(-4), [clients[0].name, 'Nóminas', '2026', '01']);

    // The batch, delivered: every matched file of three clients goes up into its own sub-path, as the site
    // does (path, then upload), and each client (a web user on their folder) gets one mail for all of theirs.
    const people = await Promise.all(clients.slice(1, 4).map((c) => makeClient(t, staff, [c.id], `Titular ${c.name}`)));
    const batch = res.body.plan
      .filter((row: any) => clients.slice(1, 4).some((c) => c.id === row.folderId))
      .slice(0, 12);
    await Promise.all(
      batch.map(async (row: any) => {
        const where = await t.api('POST', `/folders/${row.folderId}/path`, {
          token: staff,
          body: { path: row.subPath },
        });
        assert.equal(where.status, 200, JSON.stringify(where.body));
        await makeFile(t, staff, where.body.folderId, row.name);
      }),
    );
    const soon = new Date(Date.now() + 11 * 60_000); // past the notification batch window
    await t.runJobs(soon);
    const mails = await t.mail();
    for (const [i, person] of people.entries()) {
      const theirs = batch.filter((row: any) => row.folderId === clients[i + 1].id);
      assert.ok(theirs.length > 0);
      const toThem = mails.filter((m) => m.to.includes(person.email) && /documentos? nuevos?/.test(m.subject));
      assert.equal(toThem.length, 1, `one mail for ${person.email}'s part of the batch`);
      for (const row of theirs) assert.ok(toThem[0].text.includes(row.name), `${row.name} is in their mail`);
    }
  });

  it('reminders (injectable clock): after afterDays, at most max, never after opening, never twice', async () => {
    const folder = await makeFolder(t, staff, 'Recordatorios');
    const ana = await makeClient(t, staff, [folder.id], 'Ana Recordada');
    const luis = await makeClient(t, staff, [folder.id], 'Luis Abrió');
    const carla = await makeClient(t, staff, [folder.id], 'Carla Revocada');
    const doc = await makeFile(t, staff, folder.id, 'Modelo 303.pdf');
    const start = Date.now();
    const day = (n: number) => new Date(start + n * 86_400_000);
    await t.runJobs(); // the delivery is recorded for all three
    assert.equal((await t.api('GET', `/portal/files/${doc.id}/download`, { token: luis.token })).status, 200);
    const { updatedAt, updatedBy, logoUrl, ...editable } = (await t.api('GET', '/settings', { token: staff })).body;
    assert.deepEqual(editable.reminders, { afterDays: 7, max: 0 }, 'off by default');
    const on = await t.api('PUT', '/settings', {
      token: staff,
      body: { ...editable, reminders: { afterDays: 3, max: 2 } },
    });
    assert.equal(on.status, 200, JSON.stringify(on.body));
    assert.deepEqual(on.body.reminders, { afterDays: 3, max: 2 });
    assert.equal((await t.api('DELETE', `/folders/${folder.id}/grants/${carla.id}`, { token: staff })).status, 204);

    const reminders = async (email: string) =>
      (await t.mail()).filter((m) => m.to.includes(email) && /pendiente/.test(m.subject));
    try {
      await t.runJobs(day(1));
      assert.equal((await reminders(ana.email)).length, 0, 'not before afterDays');
      await t.runJobs(day(4));
      const [first, ...others] = await reminders(ana.email);
      assert.equal(others.length, 0);
      assert.ok(first.text.includes('Modelo 303.pdf'));
      assert.ok(first.subject.includes('documento pendiente'), 'in her language (es)');
      assert.equal((await reminders(luis.email)).length, 0, 'he downloaded it');
      assert.equal((await reminders(carla.email)).length, 0, 'her grant was revoked');
      await t.runJobs(day(4));
      assert.equal((await reminders(ana.email)).length, 1, 'a rerun sends nothing new');
      await t.runJobs(day(8));
      assert.equal((await reminders(ana.email)).length, 2);
      await t.runJobs(day(12));
      await t.runJobs(day(20));
      assert.equal((await reminders(ana.email)).length, 2, 'never more than max');

      const events = (await allEvents(t, staff, `fileId=${doc.id}`)).filter((e) => e.type === 'reminder.sent');
      assert.equal(events.length, 2);
      assert.ok(events.every((e) => e.details.recipientId === ana.id));
      assert.deepEqual(events.map((e) => e.details.reminder).sort(), [1, 2]);
      // Carla is no longer waiting for it: the job took her delivery off the list.
      const pending = await t.api('GET', `/deliveries/unopened?recipientId=${carla.id}`, { token: staff });
      assert.deepEqual(pending.body.clients, []);
    } finally {
      await t.api('PUT', '/settings', { token: staff, body: { ...editable, reminders: { afterDays: 7, max: 0 } } });
    }
  });

  it("reminders per folder (on where the company's are off, off beneath), and for link holders", async () => {
    const folder = await makeFolder(t, staff, 'Recordatorios por carpeta');
    const quiet = await makeFolder(t, staff, 'Sin recordatorios', folder.id);
    const on = await patch(folder.id, { reminders: { afterDays: 2, max: 1 }, version: folder.version });
    assert.deepEqual(on.body.reminders, { afterDays: 2, max: 1 });
    const off = await patch(quiet.id, { reminders: { afterDays: 1, max: 0 }, version: quiet.version });
    assert.deepEqual(off.body.reminders, { afterDays: 1, max: 0 });
    const bad = await patch(quiet.id, { reminders: { afterDays: 0, max: 1 }, version: off.body.version });
    assert.deepEqual([bad.status, bad.body.error.field], [400, 'reminders.afterDays']);
    const ana = await makeClient(t, staff, [folder.id], 'Ana Carpeta');
    const send = async (email: string) => {
      const sent = await t.api('POST', `/folders/${folder.id}/send`, { token: staff, body: { email } });
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
      return { id: sent.body.link.id as string, share: await shareToken(t, email) };
    };
    const waiting = await send(`enlace-espera-${process.pid}@example.com`);
    const opener = await send(`enlace-abre-${process.pid}@example.com`);
    const revoked = await send(`enlace-revocado-${process.pid}@example.com`);
    const doc = await makeFile(t, staff, folder.id, 'Póliza hogar.pdf');
    await makeFile(t, staff, quiet.id, 'Nota interna.pdf');
    const start = Date.now();
    const day = (n: number) => new Date(start + n * 86_400_000);
    await t.runJobs(); // deliveries recorded for Ana and the three links
    const opened = await t.api('GET', `/share/files/${doc.id}/download`, { share: opener.share });
    assert.equal(opened.status, 200, JSON.stringify(opened.body));
    assert.equal((await t.api('DELETE', `/links/${revoked.id}`, { token: staff })).status, 204);

    const reminders = async (email: string) =>
      (await t.mail()).filter((m) => m.to.includes(email) && /pendiente/.test(m.subject));
    await t.runJobs(day(1));
    assert.equal((await reminders(ana.email)).length, 0, "not before the folder's two days");
    await t.runJobs(day(3));
    const [toAna] = await reminders(ana.email);
    assert.ok(toAna.text.includes('Póliza hogar.pdf'));
    assert.ok(!toAna.text.includes('Nota interna.pdf'), 'the sub-folder turned them off');
    const [toHolder, ...more] = await reminders(`enlace-espera-${process.pid}@example.com`);
    assert.equal(more.length, 0);
    assert.ok(toHolder.text.includes('Póliza hogar.pdf'));
    // Only the holder's own mail has the link (Carpeta keeps its hash): the reminder points at that mail.
    assert.match(toHolder.text, /con el enlace del correo que .* le envió el \d{4}-\d{2}-\d{2}/);
    assert.equal((await reminders(`enlace-abre-${process.pid}@example.com`)).length, 0, 'the holder opened it');
    assert.equal((await reminders(`enlace-revocado-${process.pid}@example.com`)).length, 0, 'that link was revoked');
    await t.runJobs(day(6));
    assert.equal((await reminders(ana.email)).length, 1, "the folder's max is one");
    const events = (await allEvents(t, staff, `fileId=${doc.id}`)).filter((e) => e.type === 'reminder.sent');
    assert.deepEqual(events.map((e) => e.details.recipientKind).sort(), ['link', 'webuser']);
    assert.equal(events.find((e) => e.details.recipientKind === 'link').details.recipientId, waiting.id);
  });

  it('the sender is mailed once, three days before a link expires; not for a revoked or a short link', async () => {
    const folder = await makeFolder(t, staff, 'Enlaces que caducan');
    const start = Date.now();
    const day = (n: number) => new Date(start + n * 86_400_000);
    const send = async (email: string, days: number) => {
      const body = { email, expiresAt: day(days).toISOString() };
      const sent = await t.api('POST', `/folders/${folder.id}/send`, { token: staff, body });
      assert.equal(sent.status, 201, JSON.stringify(sent.body));
      return sent.body.link.id as string;
    };
    await send(`caduca-${process.pid}@example.com`, 10);
    const revoked = await send(`revocado-caduca-${process.pid}@example.com`, 10);
    await send(`corto-${process.pid}@example.com`, 2);
    assert.equal((await t.api('DELETE', `/links/${revoked}`, { token: staff })).status, 204);
    const warnings = async () =>
      (await t.mail()).filter((m) => m.to.includes(t.stack.admin.email) && /caduca pronto/.test(m.subject));
    const before = (await warnings()).length;
    await t.runJobs(day(6));
    assert.equal((await warnings()).length, before, 'four days left: not yet');
    await t.runJobs(day(7.5));
    const fresh = (await warnings()).slice(before);
    assert.equal(fresh.length, 1, 'one warning: not for the revoked link, nor for the link made for two days');
    assert.ok(fresh[0].subject.includes(`caduca-${process.pid}@example.com`));
    assert.ok(fresh[0].text.includes(`/admin/folders/${folder.id}`), 'it leads to the folder, where it is extended');
    await t.runJobs(day(8));
    assert.equal((await warnings()).length, before + 1, 'a rerun mails nothing new');
  });

  it('a link with maxDownloads: parallel downloads get exactly that many URLs, then 404 as expired', async () => {
    const folder = await makeFolder(t, staff, 'Tres descargas');
    const file = await makeFile(t, staff, folder.id, 'Contrato.pdf');
    const sent = await t.api('POST', `/folders/${folder.id}/send`, {
      token: staff,
      body: { email: 'tres@example.com', maxDownloads: 3 },
    });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    assert.equal(sent.body.link.maxDownloads, 3);
    // What the sender sees of the limit, on the folder's links and its sharing panel.
    const taken = async () => {
      const links = (await t.api('GET', `/folders/${folder.id}/links`, { token: staff })).body.links;
      const sharing = (await t.api('GET', `/folders/${folder.id}/sharing`, { token: staff })).body.links;
      return [links, sharing].map((list) => list.find((l: { id: string }) => l.id === sent.body.link.id).downloads);
    };
    assert.deepEqual(await taken(), [0, 0], 'none taken yet');
    const share = await shareToken(t, 'tres@example.com');
    assert.equal((await t.api('GET', '/share', { share })).status, 200);
    const answers = await Promise.all(
      Array.from({ length: 8 }, () => t.api('GET', `/share/files/${file.id}/download`, { share })),
    );
    const statuses = answers.map((a) => a.status).sort();
    assert.deepEqual(statuses, [200, 200, 200, 404, 404, 404, 404, 404]);
    for (const a of answers.filter((x) => x.status === 404)) assert.ok(!('url' in a.body));
    const downloads = (await allEvents(t, staff, `fileId=${file.id}`)).filter((e) => e.type === 'download');
    assert.equal(downloads.length, 3, 'an event for each URL handed out, none for the refused');
    assert.equal((await t.api('GET', '/share', { share })).status, 404, 'used up: as an expired link');
    assert.deepEqual(await taken(), [3, 3], 'the sender sees all three taken, not the five refused');
  });

  it('notifyOnOpen: the sender gets one mail when the link is first opened', async () => {
    const folder = await makeFolder(t, staff, 'Aviso al abrir');
    const me = (await t.api('GET', '/me', { token: staff })).body;
    const sent = await t.api('POST', `/folders/${folder.id}/send`, {
      token: staff,
      body: { email: 'aviso@example.com', name: 'Pilar', notifyOnOpen: true },
    });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const share = await shareToken(t, 'aviso@example.com');
    const notices = async () =>
      (await t.mail()).filter((m) => m.to.includes(me.email) && m.subject.includes('Aviso al abrir'));
    await t.runJobs();
    assert.equal((await notices()).length, 0, 'not before it is opened');
    assert.equal((await t.api('GET', '/share', { share })).status, 200);
    assert.equal((await t.api('GET', '/share', { share })).status, 200);
    await t.runJobs();
    await t.runJobs();
    const [notice, ...more] = await notices();
    assert.equal(more.length, 0, 'once');
    assert.ok(notice.subject.includes('aviso@example.com'));
  });

  it('an expired link is extended: a new token mailed, with its options; the old token stays dead', async () => {
    const folder = await makeFolder(t, staff, 'Enlace ampliado');
    const expiresAt = new Date(Date.now() + 3600_000).toISOString();
    const sent = await t.api('POST', `/folders/${folder.id}/send`, {
      token: staff,
      body: { email: 'ampliar@example.com', expiresAt, password: 'Clave-ampliada-1' },
    });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    const oldToken = await shareToken(t, 'ampliar@example.com');
    const later = { 'x-carpeta-now': new Date(Date.now() + 2 * 3600_000).toISOString() };
    const withPassword = { ...later, 'x-share-password': 'Clave-ampliada-1' };
    assert.equal((await t.api('GET', '/share', { share: oldToken, headers: withPassword })).status, 404, 'expired');

    const extended = await t.api('POST', `/links/${sent.body.link.id}/extend`, {
      token: staff,
      headers: later,
      body: {},
    });
    assert.equal(extended.status, 201, JSON.stringify(extended.body));
    assert.equal(extended.body.replaces, sent.body.link.id);
    assert.equal(extended.body.link.passwordProtected, true, 'the options stay');
    assert.ok(extended.body.link.expiresAt > later['x-carpeta-now']);
    const tokens = (await t.mail())
      .filter((m) => m.to.includes('ampliar@example.com'))
      .map((m) => /\/s#([A-Za-z0-9_-]+)/.exec(m.text)![1]);
    const fresh = tokens.find((x) => x !== oldToken)!;
    assert.ok(fresh, 'a new token was mailed');
    assert.equal((await t.api('GET', '/share', { share: fresh, headers: withPassword })).status, 200);
    assert.equal((await t.api('GET', '/share', { share: oldToken, headers: withPassword })).status, 404);
    // The old link says which one replaced it, and is not extended a second time (no third mail).
    const listed = await t.api('GET', `/folders/${folder.id}/links`, { token: staff, headers: later });
    const old = listed.body.links.find((l: any) => l.id === sent.body.link.id);
    assert.equal(old.replacedBy, extended.body.link.id);
    const twice = await t.api('POST', `/links/${sent.body.link.id}/extend`, { token: staff, headers: later, body: {} });
    assert.deepEqual([twice.status, twice.body.error.code], [409, 'link_replaced']);

    // A revoked link is not brought back.
    assert.equal((await t.api('DELETE', `/links/${extended.body.link.id}`, { token: staff })).status, 204);
    const again = await t.api('POST', `/links/${extended.body.link.id}/extend`, { token: staff, body: {} });
    assert.equal(again.status, 409);
    assert.equal(again.body.error.code, 'link_revoked');
  });

  // Last in this file: its wrong guesses fill the address's brute-force window.
  it('a link with a password: 401 password_required, 401 password_wrong (counted), the right one opens', async () => {
    const folder = await makeFolder(t, staff, 'Con clave');
    const file = await makeFile(t, staff, folder.id, 'Secreto.pdf');
    const password = 'Clave-de-paso-1';
    const sent = await t.api('POST', `/folders/${folder.id}/send`, {
      token: staff,
      body: { email: 'con-clave@example.com', password },
    });
    assert.equal(sent.status, 201, JSON.stringify(sent.body));
    assert.equal(sent.body.link.passwordProtected, true);
    const mail = (await t.mail()).find((m) => m.to.includes('con-clave@example.com'))!;
    assert.ok(!mail.text.includes(password) && !mail.html.includes(password), 'never mailed with the link');
    const share = await shareToken(t, 'con-clave@example.com');
    const listed = await t.api('GET', `/folders/${folder.id}/links`, { token: staff });
    assert.equal(listed.body.links[0].passwordProtected, true);
    assert.ok(!JSON.stringify(listed.body).includes('scrypt'), 'the hash is never shown');

    const none = await t.api('GET', '/share', { share });
    assert.equal(none.status, 401);
    assert.equal(none.body.error.code, 'password_required');
    const right = { 'x-share-password': password };
    const opened = await t.api('GET', '/share', { share, headers: right });
    assert.equal(opened.status, 200, JSON.stringify(opened.body));
    const dl = await t.api('GET', `/share/files/${file.id}/download`, { share, headers: right });
    assert.equal(dl.status, 200);
    assert.ok(dl.body.url);
    const noPassDl = await t.api('GET', `/share/files/${file.id}/download`, { share });
    assert.equal(noPassDl.status, 401);
    assert.ok(!('url' in noPassDl.body));

    let status = 0;
    let tries = 0;
    for (; tries < 40 && status !== 429; tries++) {
      const wrong = await t.api('GET', '/share', { share, headers: { 'x-share-password': `mala-${tries}` } });
      status = wrong.status;
      if (status === 401) assert.equal(wrong.body.error.code, 'password_wrong');
    }
    assert.equal(status, 429, 'wrong passwords count toward the brute-force limit');
    assert.ok(tries <= 21, `${tries} tries before 429`);
    assert.equal((await t.api('GET', '/share', { share, headers: right })).status, 429, 'blocked for the window');
  });
});
