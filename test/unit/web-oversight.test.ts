/** The oversight screens' pure parts (no browser): the access report's order and the export's file name. */

import assert from 'node:assert/strict';
import { test } from '@jest/globals';
import { exportFileName, sortAccess } from '../../web/src/admin/oversight.ts';
import { paths } from '../../web/src/routes.ts';
import type { AccessEntry } from '../../web/src/types.ts';

test('the report lists live access first and keeps the rest, by path then person', () => {
  const e = (
    status: AccessEntry['status'],
    path: string[],
    email: string,
    kind: AccessEntry['kind'] = 'grant',
  ): AccessEntry => ({
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
    e('live', ['A'], 'c@x', 'link'),
    e('live', ['A'], 'B@x'),
  ]);
  assert.deepEqual(
    sorted.map((x) => `${x.status} ${x.path.join('/')} ${x.email}`),
    ['live A B@x', 'live A c@x', 'live B b@x', 'expired A a@x', 'revoked A z@x'],
  );
});

test('report addresses and the export file name are safe for any id', () => {
  assert.equal(paths.access({ folderId: 'f 1/2' }), '/admin/access?folderId=f+1%2F2');
  assert.equal(paths.access({ userId: 'u&x' }), '/admin/access?userId=u%26x');
  assert.equal(exportFileName('01HX'), 'carpeta-export-01HX.json');
  assert.equal(exportFileName('../a b'), 'carpeta-export-___a_b.json');
});
