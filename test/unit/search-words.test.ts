import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import {
  countsOnce,
  foldWords,
  indexWord,
  MAX_WORDS,
  matches,
  nameWords,
  parseQuery,
  resultPath,
  scopesOf,
  searchEntries,
} from '../../functions/domain/search.ts';
import { searchKeys } from '../../functions/store/keys.ts';

describe('search: words, prefixes and scopes', () => {
  it('folds case and accents and splits on anything not a letter or digit', () => {
    assert.deepEqual(foldWords('Nómina octubre 2026.pdf'), ['nomina', 'octubre', '2026', 'pdf']);
    assert.deepEqual(foldWords('factura-2024_200 (copia)'), ['factura', '2024', '200', 'copia']);
    assert.deepEqual(foldWords('ÑANDÚ Çedilla Straße'), ['nandu', 'cedilla', 'straße']);
    assert.deepEqual(foldWords('Ｆｕｌｌ ｗｉｄｔｈ'), ['full', 'width'], 'compatibility forms fold too');
    assert.deepEqual(foldWords('--- ...'), []);
  });

  it('keeps each word once and at most MAX_WORDS of them', () => {
    assert.deepEqual(nameWords('Acta acta ACTA final'), ['acta', 'final']);
    const many = Array.from({ length: 30 }, (_, i) => `w${i}`).join(' ');
    assert.equal(nameWords(many).length, MAX_WORDS);
  });

  it('matches when every query word starts some word of the name', () => {
    const words = nameWords('Nómina octubre 2026.pdf');
    assert.ok(matches(parseQuery('nomina oct'), words));
    assert.ok(matches(parseQuery('NÓMINA'), words));
    assert.ok(matches(parseQuery('oct 20'), words));
    assert.ok(!matches(parseQuery('mina'), words), 'prefixes, not substrings');
    assert.ok(!matches(parseQuery('nomina nov'), words));
  });

  it('reads the index by the longest query word, and counts a node once per prefix', () => {
    assert.equal(indexWord(['oct', 'nomina', 'pdf']), 'nomina');
    assert.equal(indexWord([]), '');
    const words = ['nomina', 'nominas', 'enero'];
    assert.ok(countsOnce('nomina', words, 'nomin'));
    assert.ok(!countsOnce('nominas', words, 'nomin'), 'its "nomina" entry already answers');
    assert.ok(countsOnce('nominas', words, 'nominas'));
  });

  it('refuses searches shorter than 2 or longer than 100 characters, naming q', () => {
    for (const q of ['', 'a', '  b  ', 'x'.repeat(101)]) {
      assert.throws(
        () => parseQuery(q),
        (e: any) => e.field === 'q',
      );
    }
    assert.deepEqual(parseQuery('  Nómina  nómina '), ['nomina']);
    assert.deepEqual(parseQuery('👍👍'), [], 'long enough, but no word: nothing to find');
  });

  it('indexes a node under every folder above it, and a folder under itself', () => {
    const file = { kind: 'file' as const, id: 'f1', name: 'Nómina octubre', ancestors: ['root', 'A', 'B'] };
    assert.deepEqual(scopesOf(file), ['root', 'A', 'B']);
    assert.equal(searchEntries(file).length, 6);
    const folder = { kind: 'folder' as const, id: 'B', name: 'Clientes', ancestors: ['root', 'A'] };
    assert.deepEqual(scopesOf(folder), ['root', 'A', 'B']);
    assert.deepEqual(searchKeys.entry('A', 'nomina', 'f1'), { PK: 'SEARCH#A', SK: 'nomina#f1' });
  });

  it('shows the path from the top folder the caller sees down to the parent', () => {
    const names = (id: string) => ({ root: 'Gestoría', A: 'Clientes', B: 'Álvarez' })[id] ?? '';
    assert.deepEqual(
      resultPath(['root', 'A', 'B'], 'root', names).map((p) => p.name),
      ['Gestoría', 'Clientes', 'Álvarez'],
    );
    assert.deepEqual(resultPath(['root', 'A', 'B'], 'B', names), [{ id: 'B', name: 'Álvarez' }]);
    assert.deepEqual(resultPath(['root', 'A'], 'B', names), [], 'the granted folder itself: nothing above it');
  });
});
