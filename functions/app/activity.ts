/**
 * Reading the activity log, newest first. Each filter is served by one query on
 * a key: fileId (target index), folderId (copies under every folder above the
 * target, so it covers the whole subtree), actorId (actor index), type (copies
 * under the type); dates bound the ULID sort key. With no key filter the log is
 * read month by month, the cursor carrying which month comes next.
 */
import { Invalid } from '../lib/errors.ts';
import { ulid, ulidBounds } from '../lib/ids.ts';
import { ACTIVITY_COLUMNS, BOM, activityRow, csvRow } from '../domain/csv.ts';
import { ObjectWriter, mintDownloadUrl } from '../aws/s3.ts';
import { allEvents, queryEvents, type ActivityQuery } from '../store/activity.ts';
import type { ActivityEvent } from '../domain/activity.ts';

/** Months before this hold no events (the product did not exist). */
const FIRST_MONTH = '2025-01';

export interface ActivityFilter {
  actorId?: string;
  folderId?: string;
  fileId?: string;
  type?: string;
  from?: string;
  to?: string;
}

function previousMonth(month: string): string {
  const [y, m] = month.split('-').map(Number);
  return m === 1 ? `${y - 1}-12` : `${y}-${String(m - 1).padStart(2, '0')}`;
}

function toQuery(f: ActivityFilter): ActivityQuery {
  const from = f.from ? Date.parse(f.from) : undefined;
  const to = f.to ? Date.parse(f.to) : undefined;
  if (from !== undefined && to !== undefined && from > to) throw new Invalid('from: must not be after to.', 'from');
  return {
    actorId: f.actorId,
    folderId: f.folderId,
    fileId: f.fileId,
    type: f.type,
    minId: from !== undefined ? ulidBounds(from).min : undefined,
    maxId: to !== undefined ? ulidBounds(to).max : undefined,
  };
}

const hasKeyFilter = (f: ActivityFilter) => !!(f.actorId || f.folderId || f.fileId || f.type);

export async function listActivity(input: ActivityFilter & { cursor?: string; limit: number }, now: Date) {
  const q = toQuery(input);
  if (hasKeyFilter(input)) {
    const { events, nextCursor } = await queryEvents(q, input.limit, input.cursor);
    return { events, ...(nextCursor ? { nextCursor } : {}) };
  }
  const last = (input.to ? new Date(Date.parse(input.to)) : now).toISOString().slice(0, 7);
  const first = input.from ? new Date(Date.parse(input.from)).toISOString().slice(0, 7) : FIRST_MONTH;
  let month = last;
  let inner: string | undefined;
  if (input.cursor) {
    const m = /^(\d{4}-\d{2})\.(.*)$/.exec(input.cursor);
    if (!m) throw new Invalid('cursor: not a cursor for this query.', 'cursor');
    [month, inner] = [m[1], m[2] || undefined];
  }
  const { events, nextCursor } = await queryEvents({ ...q, month }, input.limit, inner);
  const next = nextCursor ? `${month}.${nextCursor}` : month > first ? `${previousMonth(month)}.` : undefined;
  return { events, ...(next ? { nextCursor: next } : {}) };
}

/** Every matching event, newest first, one page at a time (constant memory). */
export async function* eachActivityPage(f: ActivityFilter, now: Date): AsyncGenerator<ActivityEvent[]> {
  const q = toQuery(f);
  if (hasKeyFilter(f)) {
    yield* allEvents(q);
    return;
  }
  const first = f.from ? new Date(Date.parse(f.from)).toISOString().slice(0, 7) : FIRST_MONTH;
  for (
    let month = (f.to ? new Date(Date.parse(f.to)) : now).toISOString().slice(0, 7);
    month >= first;
    month = previousMonth(month)
  ) {
    yield* allEvents({ ...q, month });
  }
}

/**
 * CSV export of any size: pages are read one at a time and written to S3 in
 * 5 MiB parts, so memory stays flat; the caller gets a short-lived URL.
 */
export async function exportActivity(
  f: ActivityFilter,
  now: Date,
): Promise<{ url: string; expiresAt: string; rows: number }> {
  const key = `exports/activity-${ulid(now.getTime())}.csv`;
  const out = new ObjectWriter(key, 'text/csv; charset=utf-8');
  let rows = 0;
  try {
    await out.write(BOM + csvRow(ACTIVITY_COLUMNS));
    for await (const page of eachActivityPage(f, now)) {
      await out.write(page.map(activityRow).join(''));
      rows += page.length;
    }
  } catch (e) {
    // A half-written export is never handed out, and its parts are not left in the bucket.
    await out.abort();
    throw e;
  }
  await out.close();
  const name = `carpeta-activity-${now.toISOString().slice(0, 10)}.csv`;
  return { ...(await mintDownloadUrl(key, name, 'text/csv', 'attachment')), rows };
}
