/**
 * Who may see what. Pure rules over data the caller has already fetched:
 * a live grant on a folder reaches its whole subtree; a share link reaches its
 * folder's subtree until it expires or is revoked. Anything else is "not found".
 */
import type { Group, Invitation, SessionState, StaffRole, UserKind, UserProfile } from './model.ts';

export interface GrantLike {
  folderId: string;
  expiresAt?: string;
}

export const isLive = (g: { expiresAt?: string; revokedAt?: string }, now: Date) =>
  !g.revokedAt && (!g.expiresAt || Date.parse(g.expiresAt) > now.getTime());

/**
 * The highest folder on the node's chain (root..node) that a live grant covers:
 * where the client's view of this node begins. Undefined = not reachable.
 */
export function grantRootFor(chain: string[], grants: GrantLike[], now: Date): string | undefined {
  const granted = new Set(grants.filter((g) => isLive(g, now)).map((g) => g.folderId));
  return chain.find((id) => granted.has(id));
}

/** The tops of what a client sees: granted folders that are not inside another granted folder. */
export function topsOf<T extends { id: string; ancestors: string[] }>(folders: T[]): T[] {
  const ids = new Set(folders.map((f) => f.id));
  return folders.filter((f) => !f.ancestors.some((a) => ids.has(a)));
}

/** A link reaches a node when its folder is on the node's chain (root..node). */
export function linkReaches(linkFolderId: string, chain: string[]): boolean {
  return chain.includes(linkFolderId);
}

export const PASSWORD_POLICY =
  'at least 12 characters, with an upper-case letter, a lower-case letter, a digit and a symbol';

/** The user pool enforces this in AWS; the local emulator does not, so we check it too. */
export function passwordProblem(pw: string): string | undefined {
  if (pw.length < 12 || !/[A-Z]/.test(pw) || !/[a-z]/.test(pw) || !/[0-9]/.test(pw) || !/[^A-Za-z0-9]/.test(pw))
    return `password: must have ${PASSWORD_POLICY}.`;
  if (pw.length > 256) return 'password: at most 256 characters.';
  return undefined;
}

/** The user pool groups an account is put in: what its tokens' audience check reads. */
export function groupsFor(kind: UserKind, role?: StaffRole): Group[] {
  return kind === 'webuser' ? ['webusers'] : role === 'admin' ? ['staff', 'admin'] : ['staff'];
}

/** How long an emailed invitation to choose a password works. */
export const INVITATION_DAYS = 7;

export const invitationExpiresAt = (now: Date) => new Date(now.getTime() + INVITATION_DAYS * 86400_000).toISOString();

/** An invitation opens only once, and only before it expires. */
export const invitationUsable = (i: Invitation | undefined, now: Date): i is Invitation =>
  !!i && !i.usedAt && Date.parse(i.expiresAt) > now.getTime();

export type DisplayStatus = 'invited' | 'active' | 'disabled';

/** What staff see of an account: disabled, or active once the person chose a password, else invited. */
export const displayStatus = (p: UserProfile, s?: SessionState): DisplayStatus =>
  p.status === 'disabled' ? 'disabled' : s?.activatedAt ? 'active' : 'invited';
