import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { csvCell, csvRow } from '../../functions/domain/csv.ts';
import { pdfString, textPdf, wrap } from '../../functions/domain/pdf.ts';

describe('CSV cells', () => {
  it('quotes every field per RFC 4180 and keeps accents', () => {
    assert.equal(csvRow(['a,b', 'di "hola"', 'línea\nnueva', 'Peña']), '"a,b","di ""hola""","línea\nnueva","Peña"\r\n');
  });
  it('neutralises what a spreadsheet would run as a formula, at the start or after spaces or quotes', () => {
    for (const evil of ['=HYPERLINK("http://x")', '+1', '-2+3', '@SUM(A1)', '\tx', '  =1', '"=1', "' +1", '\r=1'])
      assert.ok(csvCell(evil).startsWith(`"'`), evil);
    assert.equal(csvCell('normal'), '"normal"');
  });
  it('neutralises a formula after a list separator inside a field (Excel splits quoted fields at its own)', () => {
    const cell = csvCell("Mozilla;=cmd|' -C calc'!A0, @x; -1,+2");
    assert.equal(cell, `"Mozilla;'=cmd|' -C calc'!A0, '@x; '-1,'+2"`);
    for (const sep of [';', ','])
      for (const piece of cell.slice(1, -1).split(sep))
        assert.ok(!/^[\s"]*[=+\-@\t\r]/.test(piece), `${sep}: ${piece}`);
  });
});

describe('receipt PDF', () => {
  it('writes a PDF whose cross-reference table points at every object', () => {
    const bytes = textPdf(
      [{ text: 'Justificante de entrega', bold: true, size: 16 }, { text: 'Documento: Nómina (mayo) \\ 2025.pdf' }],
      { title: 'Justificante' },
    );
    const text = Buffer.from(bytes).toString('latin1');
    assert.ok(text.startsWith('%PDF-1.4'));
    assert.ok(text.trimEnd().endsWith('%%EOF'));
    const startxref = Number(/startxref\n(\d+)/.exec(text)![1]);
    assert.ok(text.slice(startxref).startsWith('xref'));
    const offsets = [...text.slice(startxref).matchAll(/^(\d{10}) 00000 n $/gm)].map((m) => Number(m[1]));
    for (const [i, o] of offsets.entries()) assert.ok(text.slice(o).startsWith(`${i + 1} 0 obj`), `object ${i + 1}`);
    assert.ok(text.includes('(Documento: N\\363mina \\(mayo\\) \\\\ 2025.pdf)'));
  });
  it('escapes and encodes strings for WinAnsi', () => {
    assert.equal(pdfString('a(b)c\\'), '(a\\(b\\)c\\\\)');
    assert.equal(pdfString('ñ€漢'), '(\\361\\200?)');
  });
  it('wraps long lines without losing words', () => {
    const lines = wrap('uno dos tres cuatro cinco seis', 10);
    assert.equal(lines.join(' '), 'uno dos tres cuatro cinco seis');
    assert.ok(lines.every((l) => l.length <= 10));
  });
});
