import assert from 'node:assert/strict';
import { deflateSync, inflateSync } from 'node:zlib';
import { describe, it } from '@jest/globals';
import { decodePng, jpegSize, pdfImageOf } from '../../functions/domain/images.ts';
import { textPdf } from '../../functions/domain/pdf.ts';

function chunk(type: string, body: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(body.length);
  return Buffer.concat([len, Buffer.from(type, 'latin1'), body, Buffer.alloc(4)]);
}

/** A PNG with one row per filter type, so every unfilter path is exercised. */
function png(width: number, rows: number[][], colorType: number): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(rows.length, 4);
  ihdr[8] = 8;
  ihdr[9] = colorType;
  const raw = Buffer.concat(rows.map((r) => Buffer.from(r)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

describe('logo images for receipts', () => {
  it('decodes an RGB PNG through all five row filters', () => {
    // 2 px wide RGB; row 0 None, row 1 Sub, row 2 Up, row 3 Average, row 4 Paeth.
    const rows = [
      [0, 10, 20, 30, 40, 50, 60],
      [1, 1, 2, 3, 1, 1, 1],
      [2, 5, 5, 5, 5, 5, 5],
      [3, 0, 0, 0, 0, 0, 0],
      [4, 0, 0, 0, 0, 0, 0],
    ];
    const out = decodePng(png(2, rows, 2))!;
    assert.equal(out.width, 2);
    assert.equal(out.height, 5);
    assert.deepEqual([...out.rgb.subarray(0, 6)], [10, 20, 30, 40, 50, 60]);
    assert.deepEqual([...out.rgb.subarray(6, 12)], [1, 2, 3, 2, 3, 4]);
    assert.deepEqual([...out.rgb.subarray(12, 18)], [6, 7, 8, 7, 8, 9]);
    // Average: left + up over 2 (first pixel: up/2).
    assert.deepEqual([...out.rgb.subarray(18, 21)], [3, 3, 4]);
    assert.equal(out.alpha, undefined);
  });

  it('keeps transparency as a separate mask and embeds it in the PDF', () => {
    const rgba = png(1, [[0, 255, 0, 0, 128]], 6);
    const img = pdfImageOf(new Uint8Array(rgba))!;
    assert.equal(img.filter, 'FlateDecode');
    assert.deepEqual([...inflateSync(img.data)], [255, 0, 0]);
    assert.deepEqual([...inflateSync(img.alpha!)], [128]);
    const pdf = Buffer.from(textPdf([{ text: 'x' }], { title: 't', logo: img })).toString('latin1');
    assert.match(pdf, /\/XObject << \/Logo 8 0 R >>/);
    assert.match(pdf, /\/SMask 9 0 R/);
  });

  it('reads a JPEG size from its frame header and refuses what it cannot use', () => {
    const jpeg = Buffer.from('ffd8ffc0001108002000400301220002110103110100ffd9', 'hex');
    assert.deepEqual(jpegSize(jpeg), { width: 64, height: 32, colorSpace: 'DeviceRGB', adobe: false });
    assert.equal(pdfImageOf(new Uint8Array(jpeg))!.filter, 'DCTDecode');
    assert.equal(pdfImageOf(new TextEncoder().encode('<svg/>')), undefined);
  });

  /** A JPEG's header with `components` colour components, after an Adobe APP14 segment when `adobe`. */
  function jpegWith(components: number, adobe = false): Uint8Array {
    const app14 = adobe ? 'ffee000e41646f626500640000000002' : '';
    const length = (8 + 3 * components).toString(16).padStart(4, '0');
    // SOF0: length, 8 bits, height 32, width 64, the components (id 1, sampling 1x1, table 0 each).
    const sof = `ffc0${length}08002000400${components}${'011100'.repeat(components)}`;
    return new Uint8Array(Buffer.from(`ffd8${app14}${sof}ffd9`, 'hex'));
  }

  it("declares a JPEG's colour space from its components: grey, RGB, and Adobe's inverted CMYK", () => {
    const grey = pdfImageOf(jpegWith(1))!;
    assert.equal(grey.colorSpace, 'DeviceGray');
    const pdf = Buffer.from(textPdf([{ text: 'x' }], { title: 't', logo: grey })).toString('latin1');
    assert.match(pdf, /\/ColorSpace \/DeviceGray \/BitsPerComponent 8 \/Filter \/DCTDecode/);
    assert.doesNotMatch(pdf, /DeviceRGB/);
    assert.equal(pdfImageOf(jpegWith(3))!.colorSpace, 'DeviceRGB');
    const cmyk = pdfImageOf(jpegWith(4, true))!;
    assert.equal(cmyk.colorSpace, 'DeviceCMYK');
    assert.deepEqual(cmyk.decode, [1, 0, 1, 0, 1, 0, 1, 0]);
    const cmykPdf = Buffer.from(textPdf([{ text: 'x' }], { title: 't', logo: cmyk })).toString('latin1');
    assert.match(
      cmykPdf,
      /\/ColorSpace \/DeviceCMYK \/BitsPerComponent 8 \/Filter \/DCTDecode \/Decode \[1 0 1 0 1 0 1 0\]/,
    );
    assert.equal(pdfImageOf(jpegWith(4))!.decode, undefined, 'a plain CMYK JPEG is not inverted');
    assert.equal(pdfImageOf(jpegWith(2)), undefined, 'two components: no PDF colour space');
  });

  it('refuses a PNG over 4 megapixels before inflating it, and one whose data inflates past its size', () => {
    // 7000 x 7000 RGB of zeros: about 150 KB on disk, 147 MB inflated, far more decoded.
    const rows = (7000 * 3 + 1) * 7000;
    const ihdr = Buffer.alloc(13);
    ihdr.writeUInt32BE(7000, 0);
    ihdr.writeUInt32BE(7000, 4);
    ihdr[8] = 8;
    ihdr[9] = 2;
    const huge = Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      chunk('IHDR', ihdr),
      chunk('IDAT', deflateSync(Buffer.alloc(rows))),
      chunk('IEND', Buffer.alloc(0)),
    ]);
    assert.ok(huge.length < 300_000);
    assert.equal(decodePng(huge), undefined);
    // Declares 2 x 1 but its data inflates to 64 MB: a bomb, not a logo.
    const bomb = png(2, [[0, 1, 2, 3, 4, 5, 6]], 2);
    const idat = deflateSync(Buffer.alloc(64 * 1024 * 1024));
    const header = bomb.subarray(0, 8 + 25);
    const forged = Buffer.concat([header, chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
    assert.equal(decodePng(forged), undefined);
    // Just under the cap still decodes.
    assert.equal(decodePng(png(2000, [[0, ...new Array(6000).fill(7)]], 2))?.width, 2000);
  });
});
