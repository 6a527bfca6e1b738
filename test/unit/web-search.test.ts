/**
 * The site's search marks and ZIP entry names (no browser needed): the marked parts are the word
 * prefixes the server matched, case- and accent-blind, and a ZIP entry keeps the folders below the one
 * asked for.
 */

import assert from 'node:assert/strict';
import { test } from '@jest/globals';
import { matchRanges } from '../../web/src/components/highlight.tsx';
import { entryName } from '../../web/src/zip.ts';

const marked = (name: string, q: string) => matchRanges(name, q).map(([s, e]) => name.slice(s, e));

test('"nomina oct" marks "Nómina" and "oct", accent- and case-blind, at the start of words only', () => {
  assert.deepEqual(marked('Nómina octubre 2026.pdf', 'nomina oct'), ['Nómina', 'oct']);
  assert.deepEqual(marked('NÓMINA-Octubre.pdf', 'nómina OCT'), ['NÓMINA', 'Oct']);
  assert.deepEqual(marked('Economía.pdf', 'nomia'), [], 'inside a word is no match');
  assert.deepEqual(marked('factura-2024-200.pdf', '2024'), ['2024']);
});

test('a ZIP entry is the path below the folder asked for, then the name', () => {
  const base = { id: 'f', size: 1, url: 'u', expiresAt: 'e' };
  assert.equal(entryName({ ...base, name: 'a.pdf', path: [] }), 'a.pdf');
  assert.equal(
    entryName({
      ...base,
      name: 'Nómina.pdf',
      path: [
        { id: '1', name: '2026' },
        { id: '2', name: 'Octubre' },
      ],
    }),
    '2026/Octubre/Nómina.pdf',
  );
});
