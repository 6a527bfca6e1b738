/**
 * How long shared access lasts. Grants may carry an expiry; "Send by email"
 * links always do: the one staff asked for (at most a year away) or the
 * company's default lifetime. Expiry is checked on every read (access.ts).
 */
import { Invalid } from '../lib/errors.ts';
import { isLive } from './access.ts';
import type { ReminderRule, ShareLink } from './model.ts';

export const MAX_LINK_DAYS = 365;
const DAY_MS = 86400_000;

/** An expiry someone asked for: in the future and, when capped, at most `maxDays` away. */
export function requestedExpiry(value: string | undefined, field: string, now: Date, maxDays?: number) {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (t <= now.getTime()) throw new Invalid(`${field}: must be in the future.`, field, 'past');
  if (maxDays && t > now.getTime() + maxDays * DAY_MS)
    throw new Invalid(`${field}: at most ${maxDays} days from now.`, field, 'too_far');
  return new Date(t).toISOString();
}

/** A new link's expiry: the requested one, else `defaultDays` from now. */
export function linkExpiry(requested: string | undefined, now: Date, defaultDays: number): string {
  return (
    requestedExpiry(requested, 'expiresAt', now, MAX_LINK_DAYS) ??
    new Date(now.getTime() + defaultDays * DAY_MS).toISOString()
  );
}

export type LinkStatus = 'active' | 'revoked' | 'expired';

/** Revoked wins over expired: staff took it back, whatever its date. */
export const linkStatus = (l: Pick<ShareLink, 'expiresAt' | 'revokedAt'>, now: Date): LinkStatus =>
  l.revokedAt ? 'revoked' : isLive(l, now) ? 'active' : 'expired';

/** Whether a delivery is due a reminder now: unopened (the caller's list), under the limit, quiet long enough. */
export function reminderDue(
  d: { deliveredAt: string; reminders?: number; lastReminderAt?: string },
  rule: { afterDays: number; max: number },
  now: Date,
): boolean {
  if ((d.reminders ?? 0) >= rule.max) return false;
  const since = Date.parse(d.lastReminderAt ?? d.deliveredAt);
  return since + rule.afterDays * 86_400_000 <= now.getTime();
}

/** The most reminders any rule allows (PUT /settings and PATCH /folders/{id} cap `max` here). */
export const MAX_REMINDERS = 10;

/**
 * The reminders rule for a document: the nearest folder above it that sets one (a client's folder can
 * turn reminders on, change them, or off with `max: 0`), else the company's.
 */
export function reminderRuleFor(
  ancestors: string[],
  folders: Map<string, { reminders?: ReminderRule }>,
  company: ReminderRule,
): ReminderRule {
  for (let i = ancestors.length - 1; i >= 0; i--) {
    const own = folders.get(ancestors[i])?.reminders;
    if (own) return own;
  }
  return company;
}

/** A link still opens (not revoked, not expired, downloads left): only then is its holder reminded. */
export const linkStillOpens = (l: ShareLink, now: Date) =>
  isLive(l, now) && (!l.maxDownloads || (l.downloads ?? 0) < l.maxDownloads);
