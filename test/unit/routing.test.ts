/**
 * Issue 17, item 2: drop-and-route. Which client folder a file name points to, by the tax ids and
 * client codes in it, and the folders under it from a template.
 */
import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { ensurePath, planRouting } from '../../functions/app/routing.ts';
import { candidatesIn, dateIn, decideRoute, expandSubPath } from '../../functions/domain/routing.ts';
import { fakeWorld, folder } from '../support/fakes.ts';

const taxIdOwners = new Map([
  ['12345678Z', 'ANA'],
  ['B12345674', 'EMPRESA'],
  ['X1234567L', 'NIE'],
]);
const codeOwners = new Map([['C-0042', 'CODIGO']]);
const route = (name: string) => decideRoute(candidatesIn(name), taxIdOwners, codeOwners);

describe('matching a file name to a client folder', () => {
  it('a valid tax id of a client, anywhere in the name, in any case', () => {
    assert.deepEqual(route('Nomina_12345678Z_2026-11.pdf'), { folderId: 'ANA', taxId: '12345678Z', clientCode: null });
    assert.deepEqual(route('nómina 12345678-z.pdf'), { folderId: 'ANA', taxId: '12345678Z', clientCode: null });
    assert.deepEqual(route('x1234567l modelo 303.pdf'), { folderId: 'NIE', taxId: 'X1234567L', clientCode: null });
  });

  it('two ids of two clients in one name: ambiguous', () => {
    assert.deepEqual(route('B12345674 - 12345678Z.pdf'), { folderId: null, reason: 'ambiguous' });
  });

  it("two ids, one of no client (the employee's beside the employer's): the client's", () => {
    assert.deepEqual(route('Nomina B12345674 87654321X.pdf'), {
      folderId: 'EMPRESA',
      taxId: 'B12345674',
      clientCode: null,
    });
  });

  it('an id of a client that does not exist: no-match', () => {
    assert.deepEqual(route('Nomina 87654321X.pdf'), { folderId: null, reason: 'no-match' });
    assert.deepEqual(route('informe anual.pdf'), { folderId: null, reason: 'no-match' });
  });

  it('an id with a wrong check character: invalid, unless a valid one names a client', () => {
    assert.deepEqual(route('Nomina 12345678A.pdf'), { folderId: null, reason: 'invalid' });
    assert.deepEqual(route('12345678A y 12345678Z.pdf'), { folderId: 'ANA', taxId: '12345678Z', clientCode: null });
  });

  it('an id inside a longer run of letters and digits is not an id', () => {
    assert.deepEqual(candidatesIn('REF1234567812345678Z.pdf').taxIds, []);
  });

  it('the client code as a word of the name, also inside a hyphenated word', () => {
    assert.deepEqual(route('Factura c-0042 enero.pdf'), { folderId: 'CODIGO', taxId: null, clientCode: 'C-0042' });
    assert.deepEqual(route('FACTURA-C-0042.pdf'), { folderId: 'CODIGO', taxId: null, clientCode: 'C-0042' });
    assert.deepEqual(route('Factura C-00421.pdf'), { folderId: null, reason: 'no-match' });
    // A code and a tax id of two clients: ambiguous; of the same client: that client.
    assert.deepEqual(route('C-0042 12345678Z.pdf'), { folderId: null, reason: 'ambiguous' });
    const same = decideRoute(candidatesIn('C-0042 12345678Z.pdf'), taxIdOwners, new Map([['C-0042', 'ANA']]));
    assert.deepEqual(same, { folderId: 'ANA', taxId: '12345678Z', clientCode: 'C-0042' });
  });
});

describe('the folders under the client', () => {
  const today = new Date('2026-12-01T10:00:00Z');
  it('a date in the name fills {yyyy} and {mm}; else today', () => {
    assert.deepEqual(dateIn('Nomina_12345678Z_2026-11.pdf'), { yyyy: '2026', mm: '11' });
    assert.deepEqual(dateIn('nomina 03-2025 X1234567L.pdf'), { yyyy: '2025', mm: '03' });
    assert.deepEqual(dateIn('20260415_B12345674.pdf'), { yyyy: '2026', mm: '04' });
    // The digits of a NIF are not a date.
    assert.equal(dateIn('20261199Z.pdf'), undefined);
    assert.deepEqual(expandSubPath('Nóminas/{yyyy}/{mm}', 'Nomina 2025-07 12345678Z.pdf', today), [
      'Nóminas',
      '2025',
      '07',
    ]);
    assert.deepEqual(expandSubPath('Nóminas/{yyyy}/{mm}', 'Nomina 12345678Z.pdf', today), ['Nóminas', '2026', '12']);
  });
  it('a template that cannot make folder names is a 400 on subPath', () => {
    assert.throws(
      () => expandSubPath('Nóminas/../x\u0000', 'a.pdf', today),
      (e: any) => e.field === 'subPath',
    );
  });
});

describe('the plan and the path, with fakes', () => {
  const actor = { kind: 'staff' as const, id: 'staff-1' };
  it('plans from the claims, only for folders that still carry the id', async () => {
    const w = fakeWorld();
    const ana = folder('ANA', undefined, { taxId: '12345678Z', name: 'Ana' });
    const gone = folder('GONE', undefined, { name: 'Cambió' });
    w.nodes.folders.set(ana.id, ana);
    w.nodes.folders.set(gone.id, gone);
    const at = w.ctx.now.toISOString();
    w.clientIds.claims.set('taxId#12345678Z', {
      kind: 'taxId',
      value: '12345678Z',
      folderId: 'ANA',
      ancestors: ['root'],
      claimedAt: at,
    });
    w.clientIds.claims.set('taxId#X1234567L', {
      kind: 'taxId',
      value: 'X1234567L',
      folderId: 'GONE',
      ancestors: ['root'],
      claimedAt: at,
    });
    const { plan } = await planRouting(
      w.deps,
      { names: ['n 12345678Z 2026-11.pdf', 'n X1234567L.pdf'], subPath: 'Nóminas/{yyyy}/{mm}' },
      { ...w.ctx, actor },
    );
    assert.deepEqual(plan[0], {
      name: 'n 12345678Z 2026-11.pdf',
      folderId: 'ANA',
      folderName: 'Ana',
      taxId: '12345678Z',
      clientCode: null,
      subPath: 'Nóminas/2026/11',
      path: ['Ana', 'Nóminas', '2026', '11'],
    });
    assert.deepEqual(plan[1], { name: 'n X1234567L.pdf', folderId: null, reason: 'no-match' });
  });

  it('a path is made once: a second call, or a parallel one, finds the same folders', async () => {
    const w = fakeWorld();
    const ana = folder('ANA', undefined);
    w.nodes.folders.set(ana.id, ana);
    const ctx = { ...w.ctx, actor };
    const [a, b] = await Promise.all([
      ensurePath(w.deps, 'ANA', { path: 'Nóminas/2026/11' }, ctx),
      ensurePath(w.deps, 'ANA', { path: 'Nóminas/2026/11' }, ctx),
    ]);
    assert.equal(a.folderId, b.folderId);
    const again = await ensurePath(w.deps, 'ANA', { path: '/Nóminas/2026/11/' }, ctx);
    assert.equal(again.folderId, a.folderId);
    assert.deepEqual(again.created, []);
    const made = w.journal.filter((l) => l.startsWith('nodes.putNewFolder'));
    assert.equal(made.length, 3);
  });
});
