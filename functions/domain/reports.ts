/**
 * What oversight reports say: one status vocabulary for grants and links
 * (live, expired, revoked, disabled, folder-gone), and who got a document.
 */
import { isLive } from './access.ts';
import type { ActivityEvent, ShareLink, UserStatus } from './model.ts';
import { linkStatus } from './sharing.ts';

export type AccessStatus = 'live' | 'expired' | 'revoked' | 'disabled' | 'folder-gone';

/**
 * A grant's status. `folderFound`: the granted folder still exists;
 * `reachable`: it and its chain are live (not trashed, nothing above it trashed).
 * An unreachable folder only explains a grant that would otherwise work.
 */
export function grantAccessStatus(
  grant: { expiresAt?: string },
  folder: { folderFound: boolean; reachable: boolean },
  userStatus: UserStatus | undefined,
  now: Date,
): AccessStatus {
  const live = isLive(grant, now);
  if (!folder.folderFound || (!folder.reachable && live && userStatus !== 'disabled')) return 'folder-gone';
  if (userStatus === 'disabled') return 'disabled';
  return live ? 'live' : 'expired';
}

/** A link's status; `folderReachable` is false when its folder is missing or in (or under) the trash. */
export function linkAccessStatus(
  link: Pick<ShareLink, 'expiresAt' | 'revokedAt'>,
  folderReachable: boolean,
  now: Date,
): AccessStatus {
  const status = linkStatus(link, now);
  if (status === 'revoked') return 'revoked';
  if (!folderReachable) return 'folder-gone';
  return status === 'active' ? 'live' : 'expired';
}

export interface Delivery {
  first: string;
  last: string;
  count: number;
  lastEventId: string;
}

/** Download events grouped by who downloaded: first and last time, how often, the latest event. */
export function deliveries(events: ActivityEvent[]): Map<string, Delivery> {
  const out = new Map<string, Delivery>();
  for (const e of events) {
    const d = out.get(e.actor.id);
    if (!d) out.set(e.actor.id, { first: e.at, last: e.at, count: 1, lastEventId: e.id });
    else {
      d.count++;
      if (e.at < d.first) d.first = e.at;
      if (e.at > d.last) [d.last, d.lastEventId] = [e.at, e.id];
    }
  }
  return out;
}
