/**
 * The oversight screens' pure parts (no browser): their dictionaries, the access report's statuses and order, addresses
 * and file names.
 */

import assert from 'node:assert/strict';
import { test } from '@jest/globals';
import {
  type AccessEntry,
  accessHref,
  accessStatus,
  exportFileName,
  sortAccess,
  to,
} from '../../web/src/admin/oversight.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('the oversight dictionary has the same keys and placeholders in Spanish and English, none empty', () => {
  const es = to.dictionaries.es as Record<string, string>;
  const en = to.dictionaries.en as Record<string, string>;
  assert.deepEqual(Object.keys(en).sort(), Object.keys(es).sort());
  for (const k of Object.keys(es)) {
    assert.ok(es[k].trim() && en[k].trim(), k);
    assert.deepEqual(placeholders(en[k]), placeholders(es[k]), k);
  }
  assert.equal(es['export.button'], 'Exportar sus datos (RGPD)');
  assert.equal(es['access.title'], 'Quién ve qué');
  assert.equal(en['access.title'], 'Who can see what');
});

test("a link's `active` and a grant's `live` are both live; every other status is kept and named", () => {
  assert.equal(accessStatus('live'), 'live');
  assert.equal(accessStatus('active'), 'live');
  for (const s of ['expired', 'revoked', 'disabled', 'folder-gone'] as const) {
    assert.equal(accessStatus(s), s);
    assert.ok(to.dictionaries.es[`access.status.${s}`], s);
  }
  assert.equal(accessStatus('something-new'), 'expired', 'unknown is never shown as access');
});

test('the report lists live access first and keeps the rest, by path then person', () => {
  const e = (status: string, path: string[], email: string, kind: AccessEntry['kind'] = 'grant'): AccessEntry => ({
    kind,
    folderId: path.join('/'),
    path,
    email,
    name: null,
    expiresAt: null,
    status,
    lastAccessAt: null,
  });
  const sorted = sortAccess([
    e('revoked', ['A'], 'z@x', 'link'),
    e('live', ['B'], 'b@x'),
    e('expired', ['A'], 'a@x'),
    e('active', ['A'], 'c@x', 'link'),
    e('live', ['A'], 'B@x'),
  ]);
  assert.deepEqual(
    sorted.map((x) => `${x.status} ${x.path.join('/')} ${x.email}`),
    ['live A B@x', 'active A c@x', 'live B b@x', 'expired A a@x', 'revoked A z@x'],
  );
});

test('report addresses and the export file name are safe for any id', () => {
  assert.equal(accessHref({ folderId: 'f 1/2' }), '/admin/access?folderId=f%201%2F2');
  assert.equal(accessHref({ userId: 'u&x' }), '/admin/access?userId=u%26x');
  assert.equal(exportFileName('01HX'), 'carpeta-export-01HX.json');
  assert.equal(exportFileName('../a b'), 'carpeta-export-___a_b.json');
});
