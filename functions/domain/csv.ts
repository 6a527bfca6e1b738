/**
 * CSV for spreadsheets: RFC 4180, every field quoted, UTF-8 with a byte-order
 * mark (so accents open right in Excel), and nothing a spreadsheet would run as
 * a formula. A field that starts (after spaces or quotes) with = + - @, tab or
 * CR gets a leading apostrophe; and because Excel splits even a quoted field at
 * its own locale's list separator (";" in Spanish, "," in English), the same
 * characters after a ";" or "," inside a field are neutralised too. The
 * activity export is written for its reader: their language's column names and
 * event names, and their spreadsheet's list separator.
 */
import { eventName } from './activity.ts';
import type { ActivityEvent, Actor, Language, Target } from './model.ts';

export const BOM = '\uFEFF';

/** What would start a formula: = + - @ tab CR, after any spaces or quotes. */
const FORMULA_START = /^[\s"']*[=+\-@\t\r]/;
/** The same after a list separator inside the field (the cell Excel would make of the rest). */
const FORMULA_AFTER_SEPARATOR = /([;,][\s"']*)(?=[=+\-@\t\r])/g;

export function csvCell(value: unknown): string {
  let s = value === undefined || value === null ? '' : String(value);
  if (FORMULA_START.test(s)) s = `'${s}`;
  s = s.replace(FORMULA_AFTER_SEPARATOR, "$1'");
  return `"${s.replace(/"/g, '""')}"`;
}

/** One row; `sep` is the reader's list separator (Excel in Spanish splits at ";", in English at ","). */
export const csvRow = (cells: unknown[], sep: ';' | ',' = ',') => `${cells.map(csvCell).join(sep)}\r\n`;

/** The list separator a spreadsheet in this language expects. */
export const separatorFor = (language: Language): ';' | ',' => (language === 'es' ? ';' : ',');

const COLUMNS: Record<Language, string[]> = {
  es: [
    'Fecha y hora (UTC)',
    'Qué',
    'Quién',
    'Email',
    'Tipo de persona',
    'Sobre',
    'Ruta',
    'Tipo',
    'Para',
    'Versión',
    'IP',
    'Navegador',
    'Referencia del evento',
  ],
  en: [
    'Date and time (UTC)',
    'What',
    'Who',
    'Email',
    'Kind of person',
    'On',
    'Path',
    'Kind',
    'For',
    'Version',
    'IP',
    'Browser',
    'Event reference',
  ],
};

/** The export's header row, in the reader's language. */
export const activityHeader = (language: Language) => csvRow(COLUMNS[language], separatorFor(language));

const ACTOR_KINDS: Record<Actor['kind'], Record<Language, string>> = {
  staff: { es: 'Personal', en: 'Staff' },
  webuser: { es: 'Usuario web', en: 'Web user' },
  link: { es: 'Enlace por email', en: 'Email link' },
  anonymous: { es: 'Visitante sin identificar', en: 'Unidentified visitor' },
};
const TARGET_KINDS: Record<Target['kind'], Record<Language, string>> = {
  folder: { es: 'Carpeta', en: 'Folder' },
  file: { es: 'Archivo', en: 'File' },
  user: { es: 'Usuario', en: 'User' },
  link: { es: 'Enlace', en: 'Link' },
};

/** Someone an event names, as the log's reader resolved them (staff actors, the user a grant was for). */
export type Named = { name?: string | null; email?: string | null };

/** One event as a row a person reads: names, not ids; the event and kinds in the reader's language. */
export function activityRow(e: ActivityEvent, language: Language, people: Map<string, Named> = new Map()): string {
  const actor = e.actor.email || e.actor.name ? e.actor : (people.get(e.actor.id) ?? {});
  const forUser = typeof e.details?.userId === 'string' ? people.get(e.details.userId) : undefined;
  const targetUser = e.target?.kind === 'user' ? people.get(e.target.id) : undefined;
  return csvRow(
    [
      e.at.replace('T', ' ').replace(/\.\d+Z$|Z$/, ''),
      eventName(e.type, language),
      e.actor.kind === 'anonymous' ? '' : (actor.name ?? ''),
      actor.email ?? '',
      ACTOR_KINDS[e.actor.kind]?.[language] ?? e.actor.kind,
      targetUser?.name || e.target?.name || '',
      e.target?.path?.join(' / '),
      e.target ? (TARGET_KINDS[e.target.kind]?.[language] ?? e.target.kind) : '',
      forUser ? [forUser.name, forUser.email].filter(Boolean).join(' ') : '',
      e.target?.versionId,
      e.ip,
      e.userAgent,
      e.id,
    ],
    separatorFor(language),
  );
}
