/**
 * The scheduled jobs through the local stack: batched "new documents" mails
 * (one per client per window, never twice for one document, never for what
 * they can no longer reach), uploader receipts, and activity retention.
 */

import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { makeClient, makeFile, makeFolder } from '../support/story.ts';

const minutes = (n: number) => new Date(Date.now() + n * 60_000);

describe('scheduled jobs', () => {
  let t: TestStack;
  let staff: string;
  beforeAll(async () => {
    t = await startTestStack();
    staff = await t.adminToken();
  });
  afterAll(() => t?.stop());

  const mailsTo = async (email: string, subject: RegExp) =>
    (await t.mail()).filter((m) => m.to.includes(email) && subject.test(m.subject));

  it('ten uploads within the batching window make exactly one email per client', async () => {
    await t.runJobs(); // start from a clean checkpoint
    const parent = await makeFolder(t, staff, 'Radiología');
    const doctorFolder = await makeFolder(t, staff, 'Dr. Ruiz', parent.id);
    const doctor = await makeClient(t, staff, [doctorFolder.id], 'Dr. Ruiz');
    const chief = await makeClient(t, staff, [parent.id], 'Jefa de servicio');
    const gone = await makeClient(t, staff, [doctorFolder.id], 'Ya no');
    for (let i = 1; i <= 10; i++) await makeFile(t, staff, doctorFolder.id, `Estudio ${i}.pdf`);
    await t.api('DELETE', `/folders/${doctorFolder.id}/grants/${gone.id}`, { token: staff });

    const early = await t.runJobs();
    assert.equal(early.notifications.mailed, 0, 'the window is still open');
    assert.equal((await mailsTo(doctor.email, /documentos nuevos/)).length, 0);

    const due = await t.runJobs(minutes(11));
    assert.equal(due.notifications.mailed, 2);
    for (const client of [doctor, chief]) {
      const mails = await mailsTo(client.email, /10 documentos nuevos/);
      assert.equal(mails.length, 1, client.email);
      for (let i = 1; i <= 10; i++) assert.ok(mails[0].text.includes(`Estudio ${i}.pdf`));
      assert.ok(mails[0].text.includes('/portal'));
    }
    assert.match(
      (await mailsTo(chief.email, /documentos nuevos/))[0].text,
      /Radiología \/ Dr\. Ruiz/,
      'path from what they can see',
    );
    assert.equal((await mailsTo(gone.email, /documentos nuevos/)).length, 0, 'revoked before the mail: not told');

    const again = await t.runJobs(minutes(30));
    assert.equal(again.notifications.mailed, 0, 'never twice for the same document');
    assert.equal((await mailsTo(doctor.email, /documentos? nuevos?/)).length, 1);
  });

  it('tells the uploader when a client first downloads, where the folder asks for it', async () => {
    await t.runJobs(minutes(60));
    const folder = await makeFolder(t, staff, 'Con acuse');
    const on = await t.api('PATCH', `/folders/${folder.id}`, {
      token: staff,
      body: { receiptsToUploader: true, version: folder.version },
    });
    assert.equal(on.status, 200);
    assert.equal(on.body.receiptsToUploader, true);
    const quiet = await makeFolder(t, staff, 'Sin acuse');
    const a = await makeFile(t, staff, folder.id, 'con acuse.pdf');
    const b = await makeFile(t, staff, quiet.id, 'sin acuse.pdf');
    const client = await makeClient(t, staff, [folder.id, quiet.id], 'Lectora');
    for (let i = 0; i < 2; i++) {
      assert.equal((await t.api('GET', `/portal/files/${a.id}/download`, { token: client.token })).status, 200);
      assert.equal((await t.api('GET', `/portal/files/${b.id}/download`, { token: client.token })).status, 200);
    }
    const run = await t.runJobs(minutes(61));
    assert.equal(run.receipts.sent, 1);
    const mails = await mailsTo(t.stack.admin.email, /ha descargado/);
    assert.equal(mails.length, 1);
    assert.match(mails[0].subject, /con acuse\.pdf/);
    assert.equal((await t.runJobs(minutes(62))).receipts.sent, 0);
  });

  it('removes activity older than the retention setting', async () => {
    const { putEvent } = await import('../../functions/store/activity.ts');
    const { newEvent } = await import('../../functions/domain/activity.ts');
    const old = newEvent(
      {
        type: 'download',
        actor: { kind: 'webuser', id: 'retention-user' },
        target: { kind: 'file', id: 'old-file' },
        ip: '1.2.3.4',
        userAgent: 'x',
      },
      new Date(Date.now() - 90 * 86400_000),
    );
    const recent = newEvent(
      {
        type: 'download',
        actor: { kind: 'webuser', id: 'retention-user' },
        target: { kind: 'file', id: 'new-file' },
        ip: '1.2.3.4',
        userAgent: 'x',
      },
      new Date(),
    );
    await putEvent(old);
    await putEvent(recent);
    const settings = (await t.api('GET', '/settings', { token: staff })).body;
    const { updatedAt, updatedBy, logoUrl, ...editable } = settings;
    assert.equal(
      (await t.api('PUT', '/settings', { token: staff, body: { ...editable, retentionMonths: 1 } })).status,
      200,
    );
    const run = await t.runJobs();
    assert.ok(run.retention.deleted >= 1);
    const left = await t.api('GET', '/activity?actorId=retention-user', { token: staff });
    assert.deepEqual(
      left.body.events.map((e: any) => e.target.id),
      ['new-file'],
    );
    assert.deepEqual((await t.api('GET', '/activity?fileId=old-file', { token: staff })).body.events, []);
    await t.api('PUT', '/settings', { token: staff, body: { ...editable, retentionMonths: 0 } });
  });
});
