/**
 * The site's texts and small pure helpers (no browser needed): every key the code uses exists in both
 * languages (and, for the portal's first load, in the dictionary it carries), no key is built at run
 * time, no key is left unused, Spanish addresses the reader as "usted", and the API's 400s are
 * explained from their field and rule.
 */

import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from '@jest/globals';
import { ApiError } from '../../web/src/api.ts';
import { brandCheck, contrast, textOn } from '../../web/src/branding.ts';
import { errorText } from '../../web/src/components/ui.tsx';
import { fold, formatDuration } from '../../web/src/format.ts';
import { addTexts, pickLang, setLang, translate } from '../../web/src/i18n/index.ts';
import { mfaEn } from '../../web/src/i18n/mfa.en.ts';
import { mfaEs } from '../../web/src/i18n/mfa.es.ts';
import { siteEn } from '../../web/src/i18n/site.en.ts';
import { siteEs } from '../../web/src/i18n/site.es.ts';
import { staffEn } from '../../web/src/i18n/staff.en.ts';
import { staffEs } from '../../web/src/i18n/staff.es.ts';
import { trail } from '../../web/src/paths.ts';

const src = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../web/src');
const files = readdirSync(src, { recursive: true })
  .map(String)
  .filter((f) => /\.tsx?$/.test(f) && !f.startsWith('i18n/') && statSync(path.join(src, f)).isFile());
const code = new Map(files.map((f) => [f, readFileSync(path.join(src, f), 'utf8')]));

const pairs = {
  site: { es: siteEs as Record<string, string>, en: siteEn as Record<string, string> },
  staff: { es: staffEs as Record<string, string>, en: staffEn as Record<string, string> },
  mfa: { es: mfaEs as Record<string, string>, en: mfaEn as Record<string, string> },
};
const placeholders = (s: string) => [...s.matchAll(/\{(\w+)\}/g)].map((m) => m[1]).sort();

test('each dictionary has the same keys and placeholders in Spanish and English, none empty, none twice', () => {
  const owner = new Map<string, string>();
  for (const [name, { es, en }] of Object.entries(pairs)) {
    assert.deepEqual(Object.keys(en).sort(), Object.keys(es).sort(), name);
    for (const k of Object.keys(es)) {
      assert.ok(es[k].trim() && en[k].trim(), `${name}: ${k} is empty`);
      assert.deepEqual(placeholders(en[k]), placeholders(es[k]), `${name}: ${k}`);
      assert.ok(!owner.has(k), `${k} is in both ${owner.get(k)} and ${name}`);
      owner.set(k, name);
    }
  }
});

/** Where a file's texts must come from: the portal's first load only carries the site dictionary. */
function dictionariesFor(file: string): Array<keyof typeof pairs> {
  if (file.startsWith('admin/')) return ['site', 'staff', 'mfa'];
  if (file === 'screens/Mfa.tsx') return ['site', 'mfa'];
  return ['site'];
}

test('every key the code passes to t() exists in both languages of a dictionary that file has loaded', () => {
  let used = 0;
  for (const [file, text] of code) {
    assert.doesNotMatch(text, /\bt\(\s*`/, `${file}: a key built at run time`);
    for (const m of text.matchAll(/\bt\(\s*'([^']+)'/g)) {
      used++;
      const key = m[1];
      const where = dictionariesFor(file).filter((d) => key in pairs[d].es && key in pairs[d].en);
      assert.ok(where.length, `${file}: t('${key}') is in no dictionary ${file} can use`);
    }
  }
  assert.ok(used > 300, `found ${used} uses`);
});

test('every key of every dictionary is used by the code (as a literal: in t() or in a table of keys)', () => {
  const all = [...code.values()].join('\n');
  const unused = Object.values(pairs)
    .flatMap((p) => Object.keys(p.es))
    .filter((k) => !all.includes(`'${k}'`));
  assert.deepEqual(unused, []);
});

test('Spanish addresses the reader as "usted", never "tú"', () => {
  const tu = new RegExp(
    '\\b(puedes|podrás|tienes|quieres|elige|crea|sube|suelta|arrastra|revisa|recupera|avisa|pulsa|escribe|' +
      'tus?|tú|te|compartas|has olvidado)\\b',
    'i',
  );
  for (const [name, { es }] of Object.entries(pairs))
    for (const [k, v] of Object.entries(es)) assert.doesNotMatch(v, tu, `${name}: ${k}: ${v}`);
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
  addTexts({ es: staffEs, en: staffEn });
  assert.equal(translate('es', 'folders.created', { name: '<b>x</b>' }), 'Carpeta «<b>x</b>» creada.');
  assert.equal(translate('en', 'upload.summary', { done: 1, total: 2 }), '1 of 2 files uploaded');
});

test("a 400 is explained from its field and rule in the reader's language, never the server's English", () => {
  setLang('es');
  const slash = new ApiError(400, 'invalid', 'name: name: a name cannot contain "/"', 'name', 'slash');
  assert.equal(errorText(slash), 'Revise «Nombre»: un nombre no puede contener «/» ni «\\».');
  setLang('en');
  assert.equal(errorText(slash), 'Please check “Name”: a name cannot contain “/” or “\\”.');
  const unknown = new ApiError(400, 'invalid', 'weird: something English', 'weird', 'brand_new_rule');
  assert.equal(errorText(unknown), 'Please check the details: the value is not valid.');
  assert.doesNotMatch(errorText(unknown), /English/);
  setLang('es');
  assert.equal(
    errorText(new ApiError(409, 'name_taken', 'An item named "x" already exists')),
    'Ya hay un elemento con ese nombre aquí.',
  );
});

test('every rule and field the API names in a 400 has words in the site', () => {
  const ui = code.get('components/ui.tsx')!;
  const functions = path.resolve(src, '../../functions');
  const api = readdirSync(functions, { recursive: true })
    .map(String)
    .filter((f) => f.endsWith('.ts'))
    .map((f) => readFileSync(path.join(functions, f), 'utf8'))
    .join('\n');
  // The rule is each `new Invalid(message, field, rule)`'s last argument.
  const calls = api
    .split('new Invalid(')
    .slice(1)
    .map((c) => c.slice(0, c.indexOf(';')));
  const rules = new Set(calls.flatMap((c) => /,\s*'([a-z_]+)',?\s*\)\s*$/.exec(c)?.[1] ?? []));
  assert.ok(rules.size >= 10, `found rules ${[...rules]}`);
  for (const r of rules) assert.match(ui, new RegExp(`\\b${r}: 'rule\\.`), `rule ${r}`);
});

test('paths, brand colours, accents and durations', () => {
  assert.deepEqual(trail([{ id: 'root', name: 'R' }], { id: 'a', name: 'A' }), [
    { id: 'root', name: 'R' },
    { id: 'a', name: 'A' },
  ]);
  assert.equal(textOn('#1f4e79'), '#ffffff');
  assert.equal(textOn('#ffe066'), '#111111');
  assert.ok(contrast('#0b5cad', '#ffffff') >= 4.5, 'our own blue meets AA on white');
  assert.deepEqual(brandCheck('#ffe066'), { usable: false, ratio: 1.3 });
  assert.equal(brandCheck('#1f4e79').usable, true);
  assert.equal(fold('María Núñez'), 'maria nunez');
  assert.equal(formatDuration(42.2), '43 s');
  assert.equal(formatDuration(125), '3 min');
  assert.equal(formatDuration(3900), '1 h 5 min');
});
