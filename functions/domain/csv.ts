/**
 * CSV for spreadsheets: RFC 4180 quoting, UTF-8 with a byte-order mark (so
 * accents open right in Excel), and cells that a spreadsheet would run as a
 * formula (= + - @, tab, CR) neutralised with a leading apostrophe.
 */
import type { ActivityEvent } from './model.ts';

export const BOM = '\uFEFF';

export function csvCell(value: unknown): string {
  let s = value === undefined || value === null ? '' : String(value);
  if (/^[=+\-@\t\r]/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export const csvRow = (cells: unknown[]) => cells.map(csvCell).join(',') + '\r\n';

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
