/**
 * Issue 17, item 5: acknowledgement of receipt. Which files ask (inherited from folders), and the
 * confirmation: once per version and client, the event last, undone when its event cannot be stored.
 */
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { portalAcknowledge } from '../../functions/app/portal.ts';
import { fileAsksAcknowledgement, folderAsksAcknowledgement } from '../../functions/domain/acknowledgement.ts';
import { fakeWorld, file, folder, grant, webuser } from '../support/fakes.ts';

describe('which files ask for acknowledgement', () => {
  const top = folder('TOP', undefined, { requiresAcknowledgement: true });
  const mid = folder('MID', top);
  const off = folder('OFF', mid, { requiresAcknowledgement: false });
  const byId = new Map([top, mid, off].map((f) => [f.id, f]));

  it('a folder setting reaches everything beneath, until a nearer folder or the file says otherwise', () => {
    assert.equal(fileAsksAcknowledgement(file('A', mid), byId), true);
    assert.equal(fileAsksAcknowledgement(file('B', off), byId), false);
    assert.equal(fileAsksAcknowledgement(file('C', off, { requiresAcknowledgement: true }), byId), true);
    assert.equal(fileAsksAcknowledgement(file('D', mid, { requiresAcknowledgement: false }), byId), false);
    assert.equal(folderAsksAcknowledgement(mid, byId), true);
    assert.equal(folderAsksAcknowledgement(off, byId), false);
  });

  it('nothing asks unless someone said so', () => {
    const plain = folder('PLAIN', undefined);
    assert.equal(fileAsksAcknowledgement(file('E', plain), new Map([[plain.id, plain]])), false);
  });
});

describe('confirming receipt', () => {
  function world() {
    const w = fakeWorld();
    const f = folder('POLIZAS', undefined, { requiresAcknowledgement: true });
    const doc = file('POLIZA', f, { sha256: 'ab'.repeat(32) });
    const other = folder('OTRO', undefined, { requiresAcknowledgement: true });
    const foreign = file('AJENO', other);
    w.nodes.folders.set(f.id, f);
    w.nodes.folders.set(other.id, other);
    w.nodes.files.set(doc.id, doc);
    w.nodes.files.set(foreign.id, foreign);
    const ana = webuser('ana');
    w.users.profiles.set(ana.id, ana);
    w.users.grants.set(`ana/${f.id}`, grant(ana, f));
    const ctx = { ...w.ctx, caller: { sub: ana.id, username: ana.email, groups: ['webusers'], clientId: 'c' } };
    return { ...w, ctx, doc, ana };
  }

  it('records one acknowledged event per version with the SHA-256; a second call writes nothing', async () => {
    const w = world();
    await portalAcknowledge(w.deps, 'POLIZA', w.ctx);
    await portalAcknowledge(w.deps, 'POLIZA', w.ctx);
    const acks = w.activity.events.filter((e) => e.type === 'acknowledged');
    assert.equal(acks.length, 1);
    assert.deepEqual(acks[0].details, { versionId: 'V-POLIZA', size: 1234, sha256: 'ab'.repeat(32) });
    assert.equal(acks[0].ip, w.ctx.ip);
    // The confirmation is written before its event.
    const order = w.journal.filter((l) => /putAcknowledgement|putEvent acknowledged/.test(l));
    assert.deepEqual(order.slice(0, 2), [
      'activity.putAcknowledgement POLIZA#V-POLIZA',
      'activity.putEvent acknowledged',
    ]);
  });

  it('an event that cannot be stored undoes the confirmation, so the retry records it', async () => {
    const w = world();
    w.activity.state.failWrites = true;
    await assert.rejects(portalAcknowledge(w.deps, 'POLIZA', w.ctx));
    assert.equal(w.activity.acknowledgements.size, 0);
    w.activity.state.failWrites = false;
    await portalAcknowledge(w.deps, 'POLIZA', w.ctx);
    assert.equal(w.activity.events.filter((e) => e.type === 'acknowledged').length, 1);
  });

  it('a file that is not theirs, or does not ask, is the same 404, and nothing is confirmed', async () => {
    const w = world();
    await assert.rejects(portalAcknowledge(w.deps, 'AJENO', w.ctx), { status: 404, message: 'Not found.' });
    w.nodes.files.get('POLIZA')!.requiresAcknowledgement = false;
    await assert.rejects(portalAcknowledge(w.deps, 'POLIZA', w.ctx), { status: 404, message: 'Not found.' });
    assert.equal(w.activity.acknowledgements.size, 0);
  });
});
