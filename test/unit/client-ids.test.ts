/**
 * Issue 17, item 1: a client's tax id (NIF, NIE, CIF with its check character) and client code on
 * their folder, unique across the company.
 */
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { updateFolder } from '../../functions/app/documents.ts';
import { checkTaxId, parseClientCode, parseTaxId } from '../../functions/domain/client-ids.ts';
import { fakeWorld, folder } from '../support/fakes.ts';

describe('tax ids', () => {
  it('accepts NIF, NIE and CIF whose check character matches, normalised to upper case', () => {
    const valid: Array<[string, string, string]> = [
      ['12345678Z', '12345678Z', 'nif'],
      ['12.345.678-z', '12345678Z', 'nif'],
      ['00000000T', '00000000T', 'nif'],
      ['x1234567l', 'X1234567L', 'nie'],
      ['Y1234567X', 'Y1234567X', 'nie'],
      ['Z1234567R', 'Z1234567R', 'nie'],
      ['B12345674', 'B12345674', 'cif'], // a company: the check is a digit
      ['P1234567D', 'P1234567D', 'cif'], // a public body: the check is a letter
      ['C1234567D', 'C1234567D', 'cif'], // either form for these letters
      ['C12345674', 'C12345674', 'cif'],
      ['Q2826000H', 'Q2826000H', 'cif'],
      ['A58818501', 'A58818501', 'cif'],
    ];
    for (const [raw, taxId, kind] of valid) assert.deepEqual(checkTaxId(raw), { ok: true, taxId, kind }, raw);
  });

  it('refuses a wrong check character, and names the rule', () => {
    for (const raw of ['12345678A', 'X1234567A', 'B1234567D', 'P12345674', 'A58818502']) {
      assert.deepEqual(checkTaxId(raw), { ok: false, rule: 'check_character' }, raw);
      assert.throws(
        () => parseTaxId(raw),
        (e: any) => e.status === 400 && e.field === 'taxId' && e.rule === 'check_character',
      );
    }
  });

  it('refuses what is not shaped as a NIF, NIE or CIF', () => {
    for (const raw of ['1234567Z', '123456789Z', 'I1234567A', 'ABCDEFGHI', '', '12345678Ñ']) {
      assert.deepEqual(checkTaxId(raw), { ok: false, rule: 'format' }, raw);
      assert.throws(
        () => parseTaxId(raw),
        (e: any) => e.status === 400 && e.rule === 'format',
      );
    }
  });

  it('client codes: letters, digits and inner hyphens, upper case', () => {
    assert.equal(parseClientCode(' c-0042 '), 'C-0042');
    assert.equal(parseClientCode('7'), '7');
    for (const bad of ['', '-A', 'A-', 'A B', 'x'.repeat(21), 'Ñ1'])
      assert.throws(
        () => parseClientCode(bad),
        (e: any) => e.status === 400 && e.field === 'clientCode',
        bad,
      );
  });
});

describe('tax ids on folders', () => {
  const actor = { kind: 'staff' as const, id: 'staff-1' };
  function world() {
    const w = fakeWorld();
    const a = folder('A', undefined);
    const b = folder('B', undefined);
    w.nodes.folders.set(a.id, a);
    w.nodes.folders.set(b.id, b);
    return { ...w, ctx: { ...w.ctx, actor } };
  }

  it('a folder takes a tax id once in the company: another folder gets 409 tax_id_taken', async () => {
    const w = world();
    const a = await updateFolder(w.deps, 'A', { taxId: '12345678-z', clientCode: 'c1', version: 1 }, w.ctx);
    assert.equal(a.taxId, '12345678Z');
    assert.equal(a.clientCode, 'C1');
    await assert.rejects(updateFolder(w.deps, 'B', { taxId: '12345678Z', version: 1 }, w.ctx), {
      status: 409,
      code: 'tax_id_taken',
    });
    await assert.rejects(updateFolder(w.deps, 'B', { clientCode: 'C1', version: 1 }, w.ctx), {
      status: 409,
      code: 'client_code_taken',
    });
    assert.equal(w.nodes.folders.get('B')?.taxId, undefined);
    assert.equal(w.clientIds.claims.get('taxId#12345678Z')?.folderId, 'A');
  });

  it('changing the tax id moves the claim; null frees it for another folder', async () => {
    const w = world();
    await updateFolder(w.deps, 'A', { taxId: '12345678Z', version: 1 }, w.ctx);
    await updateFolder(w.deps, 'A', { taxId: 'X1234567L', version: 2 }, w.ctx);
    assert.equal(w.clientIds.claims.has('taxId#12345678Z'), false);
    assert.equal(w.clientIds.claims.get('taxId#X1234567L')?.folderId, 'A');
    const cleared = await updateFolder(w.deps, 'A', { taxId: null, version: 3 }, w.ctx);
    assert.equal(cleared.taxId, null);
    assert.equal(w.clientIds.claims.size, 0);
    const b = await updateFolder(w.deps, 'B', { taxId: 'x1234567l', version: 1 }, w.ctx);
    assert.equal(b.taxId, 'X1234567L');
  });

  it('a folder write that fails (stale version) gives the new claim back', async () => {
    const w = world();
    await assert.rejects(updateFolder(w.deps, 'A', { taxId: '12345678Z', version: 7 }, w.ctx), { status: 409 });
    assert.equal(w.clientIds.claims.size, 0);
    // A name conflict after the claim also gives it back.
    w.nodes.claims.set('root/folder b', { kind: 'folder', id: 'B' });
    await assert.rejects(updateFolder(w.deps, 'A', { taxId: '12345678Z', name: 'Folder B', version: 1 }, w.ctx), {
      code: 'name_taken',
    });
    assert.equal(w.clientIds.claims.size, 0);
  });

  it('a wrong check character is a 400 naming taxId and the rule, before anything is written', async () => {
    const w = world();
    await assert.rejects(updateFolder(w.deps, 'A', { taxId: '12345678A', version: 1 }, w.ctx), {
      status: 400,
      field: 'taxId',
      rule: 'check_character',
    });
    assert.ok(!w.journal.some((l) => l.startsWith('clientIds.')));
  });
});
