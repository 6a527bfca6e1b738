/**
 * CSV for spreadsheets: RFC 4180, every field quoted, UTF-8 with a byte-order
 * mark (so accents open right in Excel), and nothing a spreadsheet would run as
 * a formula. A field that starts (after spaces or quotes) with = + - @, tab or
 * CR gets a leading apostrophe; and because Excel splits even a quoted field at
 * its own locale's list separator (";" in Spanish, "," in English), the same
 * characters after a ";" or "," inside a field are neutralised too.
 */
import type { ActivityEvent } from './model.ts';

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

export const csvRow = (cells: unknown[]) => `${cells.map(csvCell).join(',')}\r\n`;

export const ACTIVITY_COLUMNS = [
  'id',
  'at',
  'type',
  'actor_kind',
  'actor_id',
  'actor_email',
  'actor_name',
  'target_kind',
  'target_id',
  'target_name',
  'target_path',
  'version_id',
  'ip',
  'user_agent',
];

export function activityRow(e: ActivityEvent): string {
  return csvRow([
    e.id,
    e.at,
    e.type,
    e.actor.kind,
    e.actor.id,
    e.actor.email,
    e.actor.name,
    e.target?.kind,
    e.target?.id,
    e.target?.name,
    e.target?.path?.join(' / '),
    e.target?.versionId,
    e.ip,
    e.userAgent,
  ]);
}
