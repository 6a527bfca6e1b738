/**
 * A delivery receipt: proof that one download was handed to one person,
 * built from its activity event, and its wording on the one-page PDF.
 */

import type { Actor, ChecksumCheck, Language } from './model.ts';
import { type PdfLine, wrap } from './pdf.ts';

export interface DeliveryReceipt {
  eventId: string;
  /** A download (the file handed over), a preview (shown in the page: looked at), or a confirmed receipt. */
  kind: 'download' | 'preview' | 'acknowledged';
  company: string;
  who: { kind: Actor['kind']; id: string; email: string | null; name: string | null };
  what: {
    fileId: string;
    name: string | null;
    path: string[];
    versionId: string | null;
    size: number | null;
    sha256: string | null;
    /** Who checked `sha256` (null with it: recorded before checks were; null without it: not recorded). */
    verifiedBy: ChecksumCheck | null;
  };
  when: string;
  from: { ip: string; userAgent: string };
}

const say = (language: Language) => (es: string, en: string) => (language === 'es' ? es : en);

export const receiptTitle = (x: DeliveryReceipt, language: Language) =>
  `${say(language)('Justificante', 'Receipt')} ${x.eventId}`;

/** The event's kind in words: what the receipt proves. */
export const receiptKind = (x: Pick<DeliveryReceipt, 'kind'>, language: Language) =>
  x.kind === 'preview'
    ? say(language)('Vista (abierto para verlo en la página)', 'Viewed (opened to look at in the page)')
    : x.kind === 'acknowledged'
      ? say(language)('Recepción confirmada por el destinatario', 'Receipt confirmed by the recipient')
      : say(language)('Descarga', 'Download');

const TITLES = {
  download: ['Justificante de descarga', 'Delivery receipt'],
  preview: ['Justificante de visualización', 'Viewing receipt'],
  acknowledged: ['Acuse de recibo', 'Acknowledgement of receipt'],
} as const;

const CERTIFIES = {
  download: [
    'Este documento acredita que el archivo indicado se entregó para su descarga a la persona indicada.',
    'This document certifies that the file below was handed over for download to the person below.',
  ],
  preview: [
    'Este documento acredita que el archivo indicado se mostró para verlo a la persona indicada.',
    'This document certifies that the file below was shown to the person below, to look at.',
  ],
  acknowledged: [
    'Este documento acredita que la persona indicada confirmó haber recibido la versión indicada del archivo.',
    'This document certifies that the person below confirmed receiving the version of the file below.',
  ],
} as const;

/** Who checked the SHA-256, in words: what the hash on the receipt is worth. */
export function checkedBy(verifiedBy: ChecksumCheck | null, language: Language): string {
  const L = say(language);
  if (verifiedBy === 's3')
    return L(
      'Comprobado por: Amazon S3, que rechaza cualquier contenido con otro SHA-256 al subirlo',
      'Checked by: Amazon S3, which refuses any content with another SHA-256 on upload',
    );
  if (verifiedBy === 's3-parts')
    return L(
      'Comprobado por: Amazon S3 parte a parte; el SHA-256 del archivo entero lo calculó el navegador que lo subió',
      "Checked by: Amazon S3 part by part; the whole file's SHA-256 was computed by the uploading browser",
    );
  return L('Comprobado por: no registrado', 'Checked by: not recorded');
}

/** The receipt's lines, in the company's language. */
export function receiptLines(x: DeliveryReceipt, language: Language): PdfLine[] {
  const L = say(language);
  const who =
    x.who.kind === 'link' ? L('Enlace enviado por correo a', 'Link emailed to') : L('Usuario web', 'Web user');
  return [
    { text: x.company, size: 14, bold: true },
    { text: L(TITLES[x.kind][0], TITLES[x.kind][1]), size: 20, bold: true, gap: 12 },
    { text: L(CERTIFIES[x.kind][0], CERTIFIES[x.kind][1]), size: 10, gap: 6 },
    { text: `${L('Tipo', 'Kind')}: ${receiptKind(x, language)}`, bold: true, gap: 10 },
    { text: L('Quién', 'Who'), bold: true, gap: 14 },
    { text: `${who}: ${x.who.name ? `${x.who.name} <${x.who.email ?? ''}>` : (x.who.email ?? x.who.id)}` },
    { text: L('Qué', 'What'), bold: true, gap: 10 },
    ...wrap(`${L('Archivo', 'File')}: ${x.what.name ?? x.what.fileId}`, 90).map((text) => ({ text })),
    ...wrap(`${L('Ubicación', 'Location')}: ${x.what.path.join(' / ') || '—'}`, 90).map((text) => ({ text })),
    { text: `${L('Versión', 'Version')}: ${x.what.versionId ?? '—'}` },
    { text: `${L('Tamaño', 'Size')}: ${x.what.size ?? '—'} bytes` },
    { text: `SHA-256: ${x.what.sha256 ?? L('no registrado', 'not recorded')}`, size: 9 },
    ...(x.what.sha256 ? [{ text: checkedBy(x.what.verifiedBy, language), size: 9 }] : []),
    { text: L('Cuándo (UTC)', 'When (UTC)'), bold: true, gap: 10 },
    { text: x.when.replace('T', ' ').replace(/\.\d+Z$/, ' UTC') },
    { text: L('Desde dónde', 'From where'), bold: true, gap: 10 },
    { text: `IP: ${x.from.ip || '—'}` },
    ...wrap(`${L('Navegador', 'Browser')}: ${x.from.userAgent || '—'}`, 95).map((text) => ({ text, size: 9 })),
    { text: `${L('Referencia', 'Reference')}: ${x.eventId}`, size: 9, gap: 18 },
  ];
}
