/**
 * Reading the activity log, newest first. Each filter is served by one query on
 * a key: targetId (target index; the API's `fileId` query parameter), folderId (copies under every folder above the
 * target, so it covers the whole subtree), actorId (actor index), type (copies
 * under the type); dates bound the ULID sort key. With no key filter the log is
 * read month by month, the cursor carrying which month comes next.
 */

import { FIRST_MONTH, monthOf, previousMonth } from '../domain/activity.ts';
import { activityHeader, activityRow, BOM } from '../domain/csv.ts';
import type { ActivityEvent, ActivityQuery, Language, UserProfile } from '../domain/model.ts';
import { collationKey } from '../domain/names.ts';
import { Invalid } from '../lib/errors.ts';
import { ulid, ulidBounds } from '../lib/ids.ts';
import type { Needs } from './ports.ts';

export interface ActivityFilter {
  actorId?: string;
  folderId?: string;
  /** Any target: a file, a folder, a user or a link. */
  targetId?: string;
  type?: string;
  from?: string;
  to?: string;
}

function toQuery(f: ActivityFilter): ActivityQuery {
  const from = f.from ? Date.parse(f.from) : undefined;
  const to = f.to ? Date.parse(f.to) : undefined;
  if (from !== undefined && to !== undefined && from > to)
    throw new Invalid('from: must not be after to.', 'from', 'from_after_to');
  return {
    actorId: f.actorId,
    folderId: f.folderId,
    targetId: f.targetId,
    type: f.type,
    minId: from !== undefined ? ulidBounds(from).min : undefined,
    maxId: to !== undefined ? ulidBounds(to).max : undefined,
  };
}

const hasKeyFilter = (f: ActivityFilter) => !!(f.actorId || f.folderId || f.targetId || f.type);
/** The newest and the oldest month a filter without a key reads, from its dates. */
const lastMonth = (f: ActivityFilter, now: Date) => monthOf(f.to ? new Date(Date.parse(f.to)) : now);
const firstMonth = (f: ActivityFilter) => (f.from ? monthOf(new Date(Date.parse(f.from))) : FIRST_MONTH);

/** Someone events name, as the log's reader sees them. */
export interface Person {
  id: string;
  kind: 'staff' | 'webuser';
  name: string;
  email: string;
}
const personOf = (p: UserProfile): Person => ({ id: p.id, kind: p.kind, name: p.name, email: p.email });

/**
 * The people a page of events names by id only: staff actors (their events carry just the id), the web
 * user a grant was for, users as targets, and the person the page is filtered by. One BatchGet.
 */
async function peopleIn(deps: Needs<'users'>, events: ActivityEvent[], also: string[] = []) {
  const ids = new Set(also);
  for (const e of events) {
    if ((e.actor.kind === 'staff' || e.actor.kind === 'webuser') && !e.actor.email) ids.add(e.actor.id);
    if (typeof e.details?.userId === 'string') ids.add(e.details.userId);
    if (e.target?.kind === 'user') ids.add(e.target.id);
  }
  return deps.users.getProfiles([...ids]);
}

export async function listActivity(
  deps: Needs<'activity' | 'users'>,
  input: ActivityFilter & { cursor?: string; limit: number },
  now: Date,
) {
  const page = await activityPage(deps, input, now);
  const people = await peopleIn(deps, page.events, input.actorId ? [input.actorId] : []);
  return { ...page, people: Object.fromEntries([...people].map(([id, p]) => [id, personOf(p)])) };
}

async function activityPage(
  deps: Needs<'activity'>,
  input: ActivityFilter & { cursor?: string; limit: number },
  now: Date,
): Promise<{ events: ActivityEvent[]; nextCursor?: string }> {
  const q = toQuery(input);
  if (hasKeyFilter(input)) {
    const { events, nextCursor } = await deps.activity.queryEvents(q, input.limit, input.cursor);
    return { events, ...(nextCursor ? { nextCursor } : {}) };
  }
  const last = lastMonth(input, now);
  const first = firstMonth(input);
  let month = last;
  let inner: string | undefined;
  if (input.cursor) {
    const m = /^(\d{4}-\d{2})\.(.*)$/.exec(input.cursor);
    if (!m) throw new Invalid('cursor: not a cursor for this query.', 'cursor', 'cursor');
    [month, inner] = [m[1], m[2] || undefined];
  }
  const { events, nextCursor } = await deps.activity.queryEvents({ ...q, month }, input.limit, inner);
  const next = nextCursor ? `${month}.${nextCursor}` : month > first ? `${previousMonth(month)}.` : undefined;
  return { events, ...(next ? { nextCursor: next } : {}) };
}

/** Every matching event, newest first, one page at a time (constant memory). */
export async function* eachActivityPage(
  deps: Needs<'activity'>,
  f: ActivityFilter,
  now: Date,
): AsyncGenerator<ActivityEvent[]> {
  const q = toQuery(f);
  if (hasKeyFilter(f)) {
    yield* deps.activity.allEvents(q);
    return;
  }
  const first = firstMonth(f);
  for (let month = lastMonth(f, now); month >= first; month = previousMonth(month)) {
    yield* deps.activity.allEvents({ ...q, month });
  }
}

/**
 * CSV export of any size, for its reader: their language's columns and event names, names and emails
 * instead of ids, and their spreadsheet's list separator (";" in Spanish). Pages are read one at a
 * time (with one BatchGet of the people each names) and written to S3 in 5 MiB parts, so memory stays
 * flat; the caller gets a short-lived URL.
 */
export async function exportActivity(
  deps: Needs<'activity' | 'files' | 'users'>,
  f: ActivityFilter,
  language: Language,
  now: Date,
): Promise<{ url: string; expiresAt: string; rows: number }> {
  const key = `exports/activity-${ulid(now.getTime())}.csv`;
  const out = deps.files.openObjectWriter(key, 'text/csv; charset=utf-8');
  let rows = 0;
  try {
    await out.write(BOM + activityHeader(language));
    for await (const page of eachActivityPage(deps, f, now)) {
      const people = await peopleIn(deps, page);
      await out.write(page.map((e) => activityRow(e, language, people)).join(''));
      rows += page.length;
    }
  } catch (e) {
    // A half-written export is never handed out, and its parts are not left in the bucket.
    await out.abort();
    throw e;
  }
  await out.close();
  const name = `${language === 'es' ? 'carpeta-actividad' : 'carpeta-activity'}-${now.toISOString().slice(0, 10)}.csv`;
  return { ...(await deps.files.mintDownloadUrl(key, name, 'text/csv', 'attachment')), rows };
}

/** People by name or email for the activity's person filter: web users (searched) and staff (few). */
export async function findPeople(deps: Needs<'users'>, q: string): Promise<{ people: Person[] }> {
  const want = collationKey(q.trim());
  if (!want) return { people: [] };
  const [clients, staff] = await Promise.all([
    deps.users.listWebusers(10, undefined, q.trim()),
    deps.users.listStaff(),
  ]);
  const matches = (p: UserProfile) => deps.users.searchText(p).includes(want);
  return { people: [...staff.filter(matches).slice(0, 10), ...clients.users].map(personOf) };
}
