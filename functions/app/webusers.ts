/**
 * Web users (clients): created by staff, invited by email, disabled, erased.
 * Multi-step changes undo what they did when a later step fails, so a failed
 * request leaves nothing half-made and can simply be retried.
 */

import { invitationExpiresAt, invitationUsable, passwordProblem } from '../domain/access.ts';
import { type Actor, type FolderNode, type Language, ROOT_ID, type UserProfile } from '../domain/model.ts';
import { Conflict, Invalid, NotFound } from '../lib/errors.ts';
import { hashToken, newToken } from '../lib/ids.ts';
import { grantPaths, type LinkCtx, record, type StaffCtx } from './access.ts';
import { type Accounts, createAccount, followStatusChange, mailInvitation, recordStaffAction } from './accounts.ts';
import type { Needs } from './ports.ts';
import { enforce, failed, limitFor, subjectsOf } from './rate-limit.ts';
import { bestEffort, undoAll } from './undo.ts';
import { linkView, userView } from './views.ts';

async function webuser(deps: Needs<'users'>, id: string): Promise<UserProfile> {
  const p = await deps.users.getProfile(id);
  if (p?.kind !== 'webuser') throw new NotFound();
  return p;
}

/** Live, shareable folders for these ids; the root is never shared. */
async function shareableFolders(deps: Needs<'nodes'>, ids: string[], field: string): Promise<FolderNode[]> {
  if (ids.includes(ROOT_ID)) throw new Invalid(`${field}: the root folder cannot be shared.`, field, 'root');
  const folders = await deps.nodes.getFolders(ids);
  return ids.map((id) => {
    const f = folders.get(id);
    if (!f || f.trashedAt) throw new Invalid(`${field}: folder ${id} does not exist.`, field, 'gone');
    return f;
  });
}

export async function createWebuser(
  deps: Accounts & Needs<'nodes'>,
  input: { email: string; name: string; language?: Language; folderIds?: string[] },
  ctx: StaffCtx,
) {
  const folders = await shareableFolders(deps, [...new Set(input.folderIds ?? [])], 'folderIds');
  return userView(await createAccount(deps, { ...input, kind: 'webuser', folders }, ctx));
}

export async function listWebusers(deps: Needs<'users'>, input: { limit: number; cursor?: string; q?: string }) {
  const page = await deps.users.listWebusers(input.limit, input.cursor, input.q?.trim() || undefined);
  const sessions = await deps.users.getSessionStates(page.users.map((u) => u.id));
  return {
    users: page.users.map((u) => userView(u, sessions.get(u.id))),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}

export async function getWebuser(deps: Needs<'users' | 'nodes' | 'links' | 'clock'>, id: string, now: Date) {
  const { profile, grants } = await deps.users.getUserWithGrants(id);
  if (profile?.kind !== 'webuser') throw new NotFound();
  const [paths, sent, sessions] = await Promise.all([
    grantPaths(deps, grants),
    deps.links.linksToEmail(profile.email),
    deps.users.getSessionStates([id]),
  ]);
  const s = sessions.get(id);
  return {
    user: userView(profile, s),
    grants: paths,
    links: sent.map((l) => linkView(l, now)),
    lastSeenAt: s?.lastSeenAt ?? null,
  };
}

export async function updateWebuser(
  deps: Needs<'users' | 'identity' | 'activity'>,
  id: string,
  input: { name?: string; language?: Language; status?: 'active' | 'disabled' },
  ctx: StaffCtx,
) {
  const { users } = deps;
  const before = await webuser(deps, id);
  const name = input.name?.trim();
  if (input.name !== undefined && !name) throw new Invalid('name: cannot be empty.', 'name', 'empty');
  // Our own status is what every portal request checks: it is written first.
  const after = await users.updateProfile(
    id,
    {
      name,
      language: input.language,
      status: input.status,
      ...(name ? { searchText: users.searchText({ email: before.email, name }) } : {}),
    },
    ctx.now.toISOString(),
  );
  if (!after) throw new NotFound();
  if (name && name !== before.name) {
    // Grants keep the name (who a folder is shared with reads no profile): renamed with the person.
    const { grants } = await users.getUserWithGrants(id);
    await users.renameInGrants(
      id,
      grants.map((g) => g.folderId),
      name,
    );
  }
  await followStatusChange(deps, before, input.status, ctx);
  const sessions = await users.getSessionStates([id]);
  return userView(after, sessions.get(id));
}

export async function reinvite(
  deps: Needs<'users' | 'invitations' | 'activity' | 'settings' | 'mailer' | 'config'>,
  id: string,
  ctx: StaffCtx,
): Promise<void> {
  const { users, invitations } = deps;
  const profile = await webuser(deps, id);
  if (profile.status === 'disabled')
    throw new Conflict('This user is disabled. Enable them before inviting again.', 'user_disabled');
  const token = newToken();
  const hash = hashToken(token);
  await invitations.putInvitation({
    tokenHash: hash,
    userId: id,
    createdAt: ctx.now.toISOString(),
    expiresAt: invitationExpiresAt(ctx.now),
  });
  await users.updateProfile(id, { inviteHash: hash }, ctx.now.toISOString());
  try {
    await mailInvitation(deps, profile, token);
  } catch (err) {
    // Put the previous invitation back in force; the new one never existed.
    await undoAll(
      ctx.log,
      [
        {
          leftBehind: 'an unmailed invitation (it opens nothing once the previous one is back)',
          run: () => invitations.deleteInvitation(hash),
        },
        {
          leftBehind: 'the profile points at an unmailed invitation: the previous mail no longer works',
          run: () => users.updateProfile(id, { inviteHash: profile.inviteHash ?? '' }, ctx.now.toISOString()),
        },
      ],
      { userId: id },
    );
    throw err;
  }
  const previous = profile.inviteHash;
  if (previous)
    await bestEffort(
      ctx.log,
      {
        leftBehind: 'the replaced invitation (it opens nothing: the profile names the new one)',
        run: () => invitations.deleteInvitation(previous),
      },
      { userId: id },
    );
  await recordStaffAction(deps, ctx, 'invitation.sent', { kind: 'user', id, name: profile.email });
}

/** GDPR erasure. Access goes first; the profile goes last, so a failed erase can run again. */
export async function eraseWebuser(
  deps: Needs<'users' | 'links' | 'invitations' | 'activity' | 'identity'>,
  id: string,
  ctx: StaffCtx,
): Promise<void> {
  const { users, links, activity } = deps;
  const { profile, grants } = await users.getUserWithGrants(id);
  if (profile?.kind !== 'webuser') throw new NotFound();
  const pseudonym = `erased-${hashToken(id).slice(0, 10)}`;
  await deps.identity.deleteCognitoUser(profile.email);
  for (const g of grants) await users.deleteGrant(id, g.folderId);
  const sent = await links.linksToEmail(profile.email);
  for (const l of sent) {
    await links.deleteLink(l);
    await activity.pseudonymise('actor', l.id, pseudonym);
    await activity.pseudonymise('target', l.id, pseudonym);
  }
  if (profile.inviteHash) await deps.invitations.deleteInvitation(profile.inviteHash);
  await activity.pseudonymise('actor', id, pseudonym);
  await activity.pseudonymise('target', id, pseudonym);
  await users.deleteSessionState(id);
  await users.deleteProfile(id);
  await recordStaffAction(deps, ctx, 'user.erased', { kind: 'user', id, name: pseudonym });
}

/**
 * Sets the password from an invitation. The token is single-use and works only while it is the latest,
 * and only for an account of the kind the route serves: the link function (on the internet, no account
 * needed) accepts web users' invitations only, the staff function staff's, so no client-facing code can
 * set a staff or admin password (its role still could: docs/SECURITY.md, "Residual risks"). Answers the
 * account's email, for the sign-in that follows.
 */
export async function acceptInvitation(
  deps: Needs<'invitations' | 'users' | 'activity' | 'identity' | 'rateLimits' | 'config'>,
  input: { token: string; password: string },
  ctx: LinkCtx,
  kind: 'webuser' | 'staff',
): Promise<{ email: string }> {
  const { invitations } = deps;
  const problem = passwordProblem(input.password);
  if (problem) throw new Invalid(problem, 'password', 'weak');
  const hash = hashToken(input.token);
  // Brute-force limit: counters read alongside the lookup; a blocked address gets 429 whatever the token.
  const [limit, invitation] = await Promise.all([
    limitFor(deps, 'invite', ctx, subjectsOf(ctx, input.token)),
    invitations.getInvitation(hash),
  ]);
  enforce('invite', limit, ctx);
  const refuse = async (): Promise<never> => {
    await failed(deps, 'invite', ctx, limit);
    throw new NotFound();
  };
  if (!invitationUsable(invitation, ctx.now)) return refuse();
  const profile = await deps.users.getProfile(invitation.userId);
  if (!profile || profile.kind !== kind || profile.inviteHash !== hash || profile.status !== 'active') return refuse();
  if (!(await invitations.consumeInvitation(hash, ctx.now.toISOString()))) return refuse();
  try {
    await deps.identity.setPassword(profile.email, input.password);
    await deps.users.markActivated(profile.id, ctx.now.toISOString());
    const actor: Actor = { kind, id: profile.id, email: profile.email, name: profile.name };
    const target = { kind: 'user' as const, id: profile.id, name: profile.email };
    await record(deps, ctx, { type: 'invitation.accepted', actor, target });
  } catch (err) {
    // Any step that did not happen: the invitation is usable again, so the person's retry completes it.
    await bestEffort(
      ctx.log,
      {
        leftBehind: 'a used-up invitation: the person needs a new one from staff',
        run: () => invitations.unconsumeInvitation(hash),
      },
      { userId: profile.id },
    );
    throw err;
  }
  // Whoever holds the invitation knows whose it is: the sign-in that follows starts with it filled in.
  return { email: profile.email };
}
