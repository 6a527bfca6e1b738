/**
 * What kind of file it is, at a glance: a type icon (PDF, image, spreadsheet, text, archive, DICOM,
 * other) and, for images the listing sent a thumbnail URL for, a small preview loaded lazily (when it
 * scrolls into view) from that presigned GET. The icons are drawn by CSS; both are decorative (the
 * name says the rest).
 */
import { useState } from 'preact/hooks';
import type { FileItem } from '../types.ts';

export type FileKind = 'pdf' | 'image' | 'sheet' | 'text' | 'archive' | 'dicom' | 'other';

const BY_EXTENSION: Record<string, FileKind> = {
  pdf: 'pdf',
  png: 'image',
  jpg: 'image',
  jpeg: 'image',
  gif: 'image',
  webp: 'image',
  heic: 'image',
  tif: 'image',
  tiff: 'image',
  bmp: 'image',
  svg: 'image',
  xls: 'sheet',
  xlsx: 'sheet',
  xlsm: 'sheet',
  ods: 'sheet',
  csv: 'sheet',
  numbers: 'sheet',
  txt: 'text',
  md: 'text',
  rtf: 'text',
  doc: 'text',
  docx: 'text',
  odt: 'text',
  xml: 'text',
  json: 'text',
  zip: 'archive',
  rar: 'archive',
  '7z': 'archive',
  gz: 'archive',
  tgz: 'archive',
  tar: 'archive',
  dcm: 'dicom',
  dicom: 'dicom',
};

/** The kind from the content type, else from the name's extension. */
export function fileKind(contentType: string | undefined, name: string): FileKind {
  const ct = (contentType ?? '').split(';')[0].trim().toLowerCase();
  if (ct === 'application/pdf') return 'pdf';
  if (ct === 'application/dicom') return 'dicom';
  if (ct.startsWith('image/')) return 'image';
  if (/spreadsheet|excel|^text\/csv$/.test(ct)) return 'sheet';
  if (/zip|compressed|x-tar|gzip|x-7z|rar/.test(ct)) return 'archive';
  if (ct.startsWith('text/') || /wordprocessing|msword|opendocument\.text|rtf/.test(ct)) return 'text';
  const ext = /\.([a-z0-9]+)$/i.exec(name)?.[1]?.toLowerCase() ?? '';
  return BY_EXTENSION[ext] ?? 'other';
}

const LABEL: Record<FileKind, string> = {
  pdf: 'PDF',
  image: 'IMG',
  sheet: 'XLS',
  text: 'TXT',
  archive: 'ZIP',
  dicom: 'DCM',
  other: '',
};

export function FileIcon({ file }: { file: Pick<FileItem, 'name' | 'contentType' | 'thumbnailUrl'> }) {
  const kind = fileKind(file.contentType, file.name);
  const [broken, setBroken] = useState(false);
  if (kind === 'image' && file.thumbnailUrl && !broken)
    return (
      <img
        class="thumb"
        src={file.thumbnailUrl}
        alt=""
        loading="lazy"
        decoding="async"
        width={40}
        height={40}
        data-testid="thumb"
        onError={() => setBroken(true)}
      />
    );
  return (
    <span class={`ficon ficon-${kind}`} aria-hidden="true" data-kind={kind}>
      {LABEL[kind]}
    </span>
  );
}
