/**
 * Reading the activity log, newest first. A filter is one query on a key
 * (actor, target); with no filter the log is read month by month, the cursor
 * carrying which month comes next.
 */
import { Invalid } from '../lib/errors.ts';
import { queryEvents } from '../store/activity.ts';

/** Months before this hold no events (the product did not exist). */
const FIRST_MONTH = '2025-01';

function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

export async function listActivity(input: { actorId?: string; folderId?: string; cursor?: string; limit: number }, now: Date) {
  if (input.actorId || input.folderId) {
    const { events, nextCursor } = await queryEvents(input.actorId ? { actorId: input.actorId } : { targetId: input.folderId }, input.limit, input.cursor);
    return { events, ...(nextCursor ? { nextCursor } : {}) };
  }
  let month = now.toISOString().slice(0, 7);
  let inner: string | undefined;
  if (input.cursor) {
    const m = /^(\d{4}-\d{2})\.(.*)$/.exec(input.cursor);
    if (!m) throw new Invalid('cursor: not a cursor for this query.', 'cursor');
    month = m[1];
    inner = m[2] || undefined;
  }
  const { events, nextCursor } = await queryEvents({ month }, input.limit, inner);
  const next = nextCursor ? `${month}.${nextCursor}` : month > FIRST_MONTH ? `${previousMonth(month)}.` : undefined;
  return { events, ...(next ? { nextCursor: next } : {}) };
}
