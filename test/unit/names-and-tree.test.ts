import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { collationKey, nameKey, normalizeName } from '../../functions/domain/names.ts';
import { breadcrumbs, checkChain, isInsideSubtree, type TreeNode } from '../../functions/domain/tree.ts';

describe('naming rules', () => {
  it('keeps any printable Unicode exactly, after trimming and NFC', () => {
    assert.equal(normalizeName('  Año 2025 — ñandú 🦤  '), 'Año 2025 — ñandú 🦤');
    assert.equal(normalizeName('Jose\u0301'), 'José');
    assert.equal(normalizeName('factura.pdf.exe'), 'factura.pdf.exe');
    assert.equal(normalizeName('<img src=x onerror=alert(1)>'), '<img src=x onerror=alert(1)>');
  });
  it('refuses what would make a name ambiguous or deceptive, naming the field', () => {
    for (const bad of [
      '',
      '   ',
      '.',
      '..',
      'a/b',
      '../x',
      'a\\b',
      'nul\u0000',
      'bell\u0007',
      'rtl\u202Efdp.exe',
      'x'.repeat(256),
    ]) {
      assert.throws(
        () => normalizeName(bad),
        (e: any) => e.status === 400 && e.field === 'name',
        JSON.stringify(bad),
      );
    }
    assert.equal(normalizeName('😀'.repeat(255)).length, 510);
  });
  it('sorts names ignoring accents and case, and compares them ignoring case', () => {
    const names = ['zeta', 'Árbol', 'beta', 'arbol2', 'Alfa'];
    assert.deepEqual(
      [...names].sort((a, b) => (collationKey(a) < collationKey(b) ? -1 : 1)),
      ['Alfa', 'Árbol', 'arbol2', 'beta', 'zeta'],
    );
    assert.equal(nameKey('FACTURAS'), nameKey('facturas'));
    assert.notEqual(nameKey('árbol'), nameKey('arbol'));
  });
});

describe('folder tree chain', () => {
  const A = { id: 'A', name: 'A', parentId: 'root', ancestors: ['root'] };
  const B = { id: 'B', name: 'B', parentId: 'A', ancestors: ['root', 'A'] };
  const C = { id: 'C', name: 'C', parentId: 'B', ancestors: ['root', 'A', 'B'] };
  const byId = new Map<string, TreeNode>([
    ['A', A],
    ['B', B],
  ]);
  it('holds when every ancestor points at the one before it', () => {
    assert.equal(checkChain(C, byId), 'ok');
    assert.equal(checkChain(A, new Map()), 'ok');
  });
  it('is stale after the subtree moved, and trashed under a trashed ancestor', () => {
    assert.equal(
      checkChain(
        C,
        new Map<string, TreeNode>([
          ['A', A],
          ['B', { ...B, parentId: 'X' }],
        ]),
      ),
      'stale',
    );
    assert.equal(checkChain(C, new Map([['A', A]])), 'stale');
    assert.equal(
      checkChain(
        C,
        new Map<string, TreeNode>([
          ['A', { ...A, trashedAt: 'now' }],
          ['B', B],
        ]),
      ),
      'trashed',
    );
    assert.equal(checkChain({ ...C, trashedAt: 'now' }, byId), 'trashed');
  });
  it('builds breadcrumbs from a starting point', () => {
    assert.deepEqual(
      breadcrumbs(C, byId, 'Empresa').map((p) => p.name),
      ['Empresa', 'A', 'B', 'C'],
    );
    assert.deepEqual(
      breadcrumbs(C, byId, 'Empresa', 'B').map((p) => p.name),
      ['B', 'C'],
    );
    assert.deepEqual(breadcrumbs(C, byId, 'Empresa', 'Z'), []);
  });
  it('knows a folder cannot move under itself', () => {
    assert.equal(isInsideSubtree('A', C), true);
    assert.equal(isInsideSubtree('C', C), true);
    assert.equal(isInsideSubtree('C', A), false);
  });
});
