/**
 * Activity events: the company's proof of what reached whom. Append-only;
 * built here, stored by store/activity.ts. A download URL is minted only
 * after its event is stored.
 */
import { ulid } from '../lib/ids.ts';

export const EVENT_TYPES = [
  'signin',
  'folder.listed',
  'download',
  'invitation.sent',
  'invitation.accepted',
  'grant.added',
  'grant.removed',
  'link.sent',
  'link.opened',
  'link.revoked',
  'user.created',
  'user.disabled',
  'user.enabled',
  'user.erased',
  'access.denied',
  'folder.created',
  'folder.updated',
  'file.uploaded',
  'file.updated',
  'item.trashed',
  'item.restored',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface Actor {
  kind: 'staff' | 'webuser' | 'link' | 'anonymous';
  id: string;
  email?: string;
  name?: string;
}

export interface Target {
  kind: 'folder' | 'file' | 'user' | 'link';
  id: string;
  name?: string;
  /** Names from the root down, at the time of the event. */
  path?: string[];
  versionId?: string;
}

export interface ActivityEvent {
  id: string;
  at: string;
  type: EventType;
  actor: Actor;
  target?: Target;
  /** Folder ids above the target at the time, so a folder's view can include its subtree. */
  within?: string[];
  ip: string;
  userAgent: string;
  details?: Record<string, unknown>;
}

export function newEvent(e: Omit<ActivityEvent, 'id' | 'at'>, now: Date): ActivityEvent {
  return { id: ulid(now.getTime()), at: now.toISOString(), ...e };
}
