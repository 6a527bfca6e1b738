/**
 * Accounts of either kind (clients and staff): made with an emailed invitation
 * to choose a password. Shared by the web user and staff account use cases.
 */

import { groupsFor, INVITATION_DAYS, invitationExpiresAt } from '../domain/access.ts';
import { invitationMail } from '../domain/emails.ts';
import type { FolderNode, Language, StaffRole, Target, UserKind, UserProfile, UserStatus } from '../domain/model.ts';
import { Conflict, Invalid } from '../lib/errors.ts';
import { hashToken, newToken } from '../lib/ids.ts';
import { record, type StaffCtx } from './access.ts';
import { sendBranded } from './branding.ts';
import type { Needs } from './ports.ts';
import { bestEffort, type UndoStep, undoAll } from './undo.ts';

export type Accounts = Needs<'users' | 'invitations' | 'activity' | 'settings' | 'mailer' | 'identity' | 'config'>;

/** Mails the invitation; the token travels after `#`, so no log on the way records it. */
export async function mailInvitation(deps: Needs<'settings' | 'mailer' | 'config'>, p: UserProfile, token: string) {
  const s = await deps.settings.getSettings();
  await sendBranded(deps, s, p.email, (brand, site) =>
    invitationMail({
      lang: p.language,
      ...brand,
      name: p.name,
      // The token after "#": browsers never send a fragment, so no server or log ever sees it. Staff
      // accept at /join (the staff function), clients at /invite (the link function).
      url: `${site}/${p.kind === 'staff' ? 'join' : 'invite'}#${token}`,
      expiresDays: INVITATION_DAYS,
    }),
  );
}

/** A staff member's action on an account or a folder, recorded. */
export const recordStaffAction = (
  deps: Needs<'activity'>,
  ctx: StaffCtx,
  type: 'user.created' | 'grant.added' | 'invitation.sent' | 'user.disabled' | 'user.enabled' | 'user.erased',
  target: Target,
  details?: Record<string, unknown>,
) => record(deps, ctx, { type, actor: ctx.actor, target, ...(details ? { details } : {}) });

/**
 * A new account (client or staff) with an emailed invitation to choose a password.
 * Every step is undone if a later one fails, so a retry starts clean.
 */
export async function createAccount(
  deps: Accounts,
  input: {
    email: string;
    name: string;
    language?: Language;
    kind: UserKind;
    role?: StaffRole;
    folders?: FolderNode[];
  },
  ctx: StaffCtx,
): Promise<UserProfile> {
  const { users, invitations, identity } = deps;
  const email = input.email.trim().toLowerCase();
  const name = input.name.trim();
  if (!name) throw new Invalid('name: cannot be empty.', 'name', 'empty');
  const folders = input.folders ?? [];
  const settings = await deps.settings.getSettings();
  const language = input.language ?? settings.defaultLanguage;
  const nowIso = ctx.now.toISOString();
  const token = newToken();
  const inviteHash = hashToken(token);
  const removeLogin: UndoStep = {
    leftBehind: 'a user pool account with no profile (a retry with this address gets 409)',
    run: () => identity.deleteCognitoUser(email),
  };

  const id = await identity.createCognitoUser(email, groupsFor(input.kind, input.role)).catch(async (err) => {
    // Created but not put in its group (or the answer was lost): remove it, or the retry would be a 409.
    // A Conflict means the address was already taken before this request: that user stays.
    if (!(err instanceof Conflict)) await bestEffort(ctx.log, removeLogin, { email });
    throw err;
  });
  const undo: UndoStep[] = [removeLogin];
  try {
    const profile: UserProfile = {
      id,
      email,
      name,
      kind: input.kind,
      ...(input.kind === 'staff' ? { role: input.role ?? 'staff' } : { grantCount: folders.length }),
      status: 'active',
      language,
      createdAt: nowIso,
      updatedAt: nowIso,
      createdBy: ctx.actor.id,
      inviteHash,
    };
    await users.putProfile(profile);
    undo.push({ leftBehind: 'a profile with no user pool account', run: () => users.deleteProfile(id) });
    for (const f of folders) {
      await users.putGrant({
        userId: id,
        folderId: f.id,
        grantedBy: ctx.actor.id,
        grantedAt: nowIso,
        ancestors: f.ancestors,
        email: profile.email,
        name: profile.name,
      });
      undo.push({ leftBehind: `a grant on folder ${f.id} for a removed user`, run: () => users.deleteGrant(id, f.id) });
    }
    await invitations.putInvitation({
      tokenHash: inviteHash,
      userId: id,
      createdAt: nowIso,
      expiresAt: invitationExpiresAt(ctx.now),
    });
    undo.push({
      leftBehind: 'an invitation for a removed user (it opens nothing: no profile)',
      run: () => invitations.deleteInvitation(inviteHash),
    });
    await mailInvitation(deps, profile, token);
    const user: Target = { kind: 'user', id, name: email };
    await recordStaffAction(
      deps,
      ctx,
      'user.created',
      user,
      input.kind === 'staff' ? { role: profile.role } : undefined,
    );
    for (const f of folders)
      await recordStaffAction(deps, ctx, 'grant.added', { kind: 'folder', id: f.id, name: f.name }, { userId: id });
    await recordStaffAction(deps, ctx, 'invitation.sent', user);
    return profile;
  } catch (err) {
    await undoAll(ctx.log, undo, { userId: id });
    throw err;
  }
}

/**
 * After our own status was written (every request checks it), the user pool follows:
 * the login is enabled or disabled, and the change is recorded. Nothing when it is unchanged.
 */
export async function followStatusChange(
  deps: Needs<'identity' | 'activity'>,
  before: UserProfile,
  status: UserStatus | undefined,
  ctx: StaffCtx,
): Promise<void> {
  if (!status || status === before.status) return;
  await deps.identity.setEnabled(before.email, status === 'active');
  const type = status === 'disabled' ? 'user.disabled' : 'user.enabled';
  await recordStaffAction(deps, ctx, type, { kind: 'user', id: before.id, name: before.email });
}
