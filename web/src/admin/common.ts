import type { ActivityEvent, PathItem } from '../types.ts';

export function actorLabel(a: ActivityEvent['actor']): string {
  if (!a) return '';
  if (typeof a === 'string') return a;
  return a.email || a.name || a.id || '';
}

/** "A / B / C" from names, {id,name} items or a string. */
export function pathLabel(p: PathItem[] | string[] | string | undefined | null): string {
  if (!p) return '';
  if (typeof p === 'string') return p;
  return (p as Array<PathItem | string>)
    .map((x) => (typeof x === 'string' ? x : x.name))
    .filter(Boolean)
    .join(' / ');
}

export function targetLabel(tg: ActivityEvent['target']): string {
  if (!tg) return '';
  if (typeof tg === 'string') return tg;
  const path = pathLabel(tg.path);
  const name = tg.name ?? '';
  if (path && name && !path.endsWith(name)) return `${path} / ${name}`;
  return path || name || tg.id || '';
}

/** One CSV field (RFC 4180), with spreadsheet formula injection defused. */
/** One CSV field, exactly as the server's exports write it (the rule is one pure function, shared). */
import { csvCell } from '../../../functions/domain/csv.ts';

export const csvField = csvCell;

export function toCsv(rows: unknown[][]): string {
  return `${rows.map((r) => r.map(csvField).join(',')).join('\r\n')}\r\n`;
}
