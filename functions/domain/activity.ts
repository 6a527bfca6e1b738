/**
 * Activity events: the company's proof of what reached whom. Append-only;
 * built here, stored by the activity log. A download URL is minted only
 * after its event is stored. The event types live in model.ts.
 */
import { ulid } from '../lib/ids.ts';
import type { ActivityEvent } from './model.ts';

export function newEvent(e: Omit<ActivityEvent, 'id' | 'at'>, now: Date): ActivityEvent {
  return { id: ulid(now.getTime()), at: now.toISOString(), ...e };
}

/** Months before this hold no events (the product did not exist). */
export const FIRST_MONTH = '2025-01';

/** The log's month partitions are yyyy-mm (UTC). */
export const monthOf = (d: Date) => d.toISOString().slice(0, 7);

export function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export function nextMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 12 ? `${y + 1}-01` : `${y}-${String(m + 1).padStart(2, '0')}`;
}
