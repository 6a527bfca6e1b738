/**
 * A minimal PDF writer for one-page text documents (delivery receipts):
 * Helvetica with WinAnsi encoding, so Spanish accents print; characters
 * outside it print as "?". Optionally the company logo (see images.ts).
 */
import type { PdfImage } from './images.ts';
export interface PdfLine {
  text: string;
  size?: number;
  bold?: boolean;
  /** Extra space before the line, in points. */
  gap?: number;
}

const WIN_ANSI_EXTRA: Record<string, number> = {
  '€': 0x80,
  '‚': 0x82,
  '„': 0x84,
  '…': 0x85,
  '‘': 0x91,
  '’': 0x92,
  '“': 0x93,
  '”': 0x94,
  '•': 0x95,
  '–': 0x96,
  '—': 0x97,
  '™': 0x99,
};

/** A PDF literal string: WinAnsi bytes, with ( ) \ escaped and non-ASCII as octal escapes. */
export function pdfString(text: string): string {
  let out = '(';
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    const byte =
      WIN_ANSI_EXTRA[ch] ?? (code >= 0x20 && code <= 0x7e ? code : code >= 0xa0 && code <= 0xff ? code : 0x3f);
    if (byte === 0x28 || byte === 0x29 || byte === 0x5c) out += `\\${String.fromCharCode(byte)}`;
    else if (byte < 0x80) out += String.fromCharCode(byte);
    else out += `\\${byte.toString(8).padStart(3, '0')}`;
  }
  return `${out})`;
}

/** Wraps a line to at most `width` characters (Helvetica is close enough to fixed at this size). */
export function wrap(text: string, width: number): string[] {
  const words = text.split(/\s+/);
  const lines: string[] = [];
  let line = '';
  for (const w of words) {
    for (let part = w; part.length; part = part.slice(width)) {
      const piece = part.slice(0, width);
      if (`${line} ${piece}`.trim().length > width) {
        lines.push(line);
        line = piece;
      } else line = `${line} ${piece}`.trim();
    }
  }
  if (line) lines.push(line);
  return lines.length ? lines : [''];
}

export function textPdf(lines: PdfLine[], opts: { title: string; logo?: PdfImage }): Uint8Array {
  let y = 770;
  const content: string[] = [];
  if (opts.logo) {
    const h = 40;
    const w = Math.min(240, Math.round((opts.logo.width / opts.logo.height) * h));
    content.push(`q ${w} 0 0 ${h} 56 ${y - h + 10} cm /Logo Do Q`);
    y -= h + 10;
  }
  for (const l of lines) {
    const size = l.size ?? 11;
    y -= (l.gap ?? 0) + size * 1.45;
    content.push(`BT /${l.bold ? 'F2' : 'F1'} ${size} Tf 56 ${y.toFixed(1)} Td ${pdfString(l.text)} Tj ET`);
  }
  const stream = content.join('\n');
  const objects: Array<string | Uint8Array[]> = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    `<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] /Contents 4 0 R /Resources << /Font << /F1 5 0 R /F2 ` +
      `6 0 R >>${opts.logo ? ' /XObject << /Logo 8 0 R >>' : ''} >> >>`,
    `<< /Length ${Buffer.byteLength(stream, 'latin1')} >>\nstream\n${stream}\nendstream`,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>',
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>',
    `<< /Title ${pdfString(opts.title)} /Producer (Carpeta) >>`,
  ];
  if (opts.logo) {
    const { data, width, height, filter, alpha, colorSpace, decode } = opts.logo;
    const image = (dict: string, bytes: Uint8Array) => [
      Buffer.from(`<< ${dict} /Length ${bytes.length} >>\nstream\n`, 'latin1'),
      bytes,
      Buffer.from('\nendstream', 'latin1'),
    ];
    objects.push(
      image(
        `/Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /${colorSpace} ` +
          `/BitsPerComponent 8 /Filter /${filter}${decode ? ` /Decode [${decode.join(' ')}]` : ''}` +
          (alpha ? ' /SMask 9 0 R' : ''),
        data,
      ),
    );
    if (alpha)
      objects.push(
        image(
          `/Type /XObject /Subtype /Image /Width ${width} /Height ${height} /ColorSpace /DeviceGray ` +
            `/BitsPerComponent 8 /Filter /FlateDecode`,
          alpha,
        ),
      );
  }
  const chunks: Buffer[] = [Buffer.from('%PDF-1.4\n%\xe2\xe3\xcf\xd3\n', 'latin1')];
  let length = chunks[0].length;
  const offsets: number[] = [];
  objects.forEach((o, i) => {
    offsets.push(length);
    const parts = [
      Buffer.from(`${i + 1} 0 obj\n`, 'latin1'),
      ...(typeof o === 'string' ? [Buffer.from(o, 'latin1')] : o.map((b) => Buffer.from(b))),
      Buffer.from('\nendobj\n', 'latin1'),
    ];
    for (const p of parts) {
      chunks.push(p);
      length += p.length;
    }
  });
  const entries = offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  const xref =
    `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n${entries}` +
    `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R /Info 7 0 R >>\nstartxref\n${length}\n%%EOF\n`;
  chunks.push(Buffer.from(xref, 'latin1'));
  return new Uint8Array(Buffer.concat(chunks));
}
