/** The site's dictionaries and small pure helpers (no browser needed). */

import assert from 'node:assert/strict';
import { test } from '@jest/globals';
import { csvField, pathLabel, targetLabel } from '../../web/src/admin/common.ts';
import { contrast, textOn } from '../../web/src/branding.ts';
import { _dictionaries, pickLang, translate } from '../../web/src/i18n.ts';
import { listOf, trail } from '../../web/src/paths.ts';

const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('Spanish and English have the same keys, the same placeholders, and no empty message', () => {
  const es = _dictionaries.es;
  const en = _dictionaries.en;
  assert.deepEqual(Object.keys(en).sort(), Object.keys(es).sort());
  for (const k of Object.keys(es) as (keyof typeof es)[]) {
    assert.ok(es[k].trim() && en[k].trim(), k);
    assert.deepEqual(placeholders(en[k]), placeholders(es[k]), k);
  }
});

test('the browser language picks; Spanish when none matches; a stored choice wins', () => {
  assert.equal(pickLang(null, ['en-US', 'es']), 'en');
  assert.equal(pickLang(null, ['es-MX']), 'es');
  assert.equal(pickLang(null, ['fr-FR', 'de']), 'es');
  assert.equal(pickLang(null, ['fr-FR', 'en-GB']), 'en');
  assert.equal(pickLang('en', ['es-ES']), 'en');
  assert.equal(pickLang('xx', ['en']), 'en');
});

test('placeholders are filled as plain text', () => {
  assert.equal(translate('es', 'folders.created', { name: '<b>x</b>' }), 'Carpeta «<b>x</b>» creada.');
  assert.equal(translate('en', 'upload.summary', { done: 1, total: 2 }), '1 of 2 files uploaded');
});

test('CSV cells are quoted and defused against formula injection', () => {
  assert.equal(csvField('a,b'), '"a,b"');
  assert.equal(csvField('say "hi"'), '"say ""hi"""');
  assert.equal(csvField('=HYPERLINK("x")'), `"'=HYPERLINK(""x"")"`);
  assert.equal(csvField('+34 600'), `"'+34 600"`);
  assert.equal(csvField(undefined), '""');
});

test('paths and targets read the shapes the API returns', () => {
  assert.equal(pathLabel(['Clientes', 'Ana']), 'Clientes / Ana');
  assert.equal(pathLabel([{ id: '1', name: 'A' }]), 'A');
  assert.equal(targetLabel({ id: 'f', name: 'x.pdf', path: ['Clientes', 'Ana'] }), 'Clientes / Ana / x.pdf');
  assert.deepEqual(
    trail(
      [
        { id: 'root', name: 'R' },
        { id: 'a', name: 'A' },
      ],
      { id: 'a', name: 'A' },
    ),
    [
      { id: 'root', name: 'R' },
      { id: 'a', name: 'A' },
    ],
  );
  assert.deepEqual(trail([{ id: 'root', name: 'R' }], { id: 'a', name: 'A' }), [
    { id: 'root', name: 'R' },
    { id: 'a', name: 'A' },
  ]);
  assert.deepEqual(listOf({ users: [1] }, 'users'), [1]);
  assert.deepEqual(listOf([2]), [2]);
});

test('brand colours get a readable text colour', () => {
  assert.equal(textOn('#1f4e79'), '#ffffff');
  assert.equal(textOn('#ffe066'), '#111111');
  assert.ok(contrast('#0b5cad', '#ffffff') >= 4.5, 'our own blue meets AA on white');
});
