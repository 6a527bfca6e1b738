/**
 * Web users (clients): created by staff, invited by email, disabled, erased.
 * Multi-step changes undo what they did when a later step fails, so a failed
 * request leaves nothing half-made and can simply be retried.
 */
import { config } from '../lib/config.ts';
import { Conflict, Invalid, NotFound } from '../lib/errors.ts';
import { hashToken, newToken } from '../lib/ids.ts';
import { isLive, passwordProblem } from '../domain/access.ts';
import { newEvent, type Actor } from '../domain/activity.ts';
import { invitationMail } from '../domain/emails.ts';
import { folderKeys, ROOT_ID } from '../store/keys.ts';
import * as nodes from '../store/nodes.ts';
import type { FolderNode } from '../store/nodes.ts';
import * as users from '../store/users.ts';
import type { Grant, Language, UserProfile } from '../store/users.ts';
import * as links from '../store/links.ts';
import { pseudonymise, putEvent } from '../store/activity.ts';
import { getSettings } from '../store/settings.ts';
import { createCognitoUser, deleteCognitoUser, setEnabled, setPassword, type Group } from '../aws/cognito.ts';
import { sendMail } from '../aws/mail.ts';
import { resolveChain } from './tree.ts';
import { mailBrand } from './branding.ts';
import { pathNames } from './client-views.ts';
import { enforce, limitFor, recordFailure } from './rate-limit.ts';
import type { Ctx } from './documents.ts';

export const INVITATION_DAYS = 7;

export type DisplayStatus = 'invited' | 'active' | 'disabled';
export const displayStatus = (p: UserProfile, s?: users.SessionState): DisplayStatus =>
  p.status === 'disabled' ? 'disabled' : s?.activatedAt ? 'active' : 'invited';

export function userView(p: UserProfile, s?: users.SessionState) {
  return {
    id: p.id,
    email: p.email,
    name: p.name,
    status: displayStatus(p, s),
    language: p.language,
    createdAt: p.createdAt,
    grantCount: p.grantCount ?? 0,
    lastSeenAt: s?.lastSeenAt ?? null,
  };
}

async function webuser(id: string): Promise<UserProfile> {
  const p = await users.getProfile(id);
  if (!p || p.kind !== 'webuser') throw new NotFound();
  return p;
}

/** Live, shareable folders for these ids; the root is never shared. */
async function shareableFolders(ids: string[], field: string): Promise<FolderNode[]> {
  if (ids.includes(ROOT_ID)) throw new Invalid(`${field}: the root folder cannot be shared.`, field);
  const items = await nodes.getMany(ids.map((id) => folderKeys.node(id)));
  return ids.map((id) => {
    const f = nodes.fromItem<FolderNode>(items.get(`${folderKeys.node(id).PK}|META`));
    if (!f || f.trashedAt) throw new Invalid(`${field}: folder ${id} does not exist.`, field);
    return f;
  });
}

function invitationUrl(token: string): string {
  return `${config.siteUrl}/invite/${token}`;
}

async function mailInvitation(p: UserProfile, token: string): Promise<void> {
  const s = await getSettings();
  await sendMail(
    p.email,
    invitationMail({
      lang: p.language,
      ...mailBrand(s),
      name: p.name,
      url: invitationUrl(token),
      expiresDays: INVITATION_DAYS,
    }),
  );
}

const event = (
  ctx: Ctx,
  type: Parameters<typeof newEvent>[0]['type'],
  target: Parameters<typeof newEvent>[0]['target'],
  details?: Record<string, unknown>,
) =>
  putEvent(
    newEvent(
      { type, actor: ctx.actor, target, ip: ctx.ip, userAgent: ctx.userAgent, ...(details ? { details } : {}) },
      ctx.now,
    ),
  );

export async function createWebuser(
  input: { email: string; name: string; language?: Language; folderIds?: string[] },
  ctx: Ctx,
) {
  const folders = await shareableFolders([...new Set(input.folderIds ?? [])], 'folderIds');
  return userView(await createAccount({ ...input, kind: 'webuser', folders }, ctx));
}

/**
 * A new account (client or staff) with an emailed invitation to choose a password.
 * Every step is undone if a later one fails, so a retry starts clean.
 */
export async function createAccount(
  input: {
    email: string;
    name: string;
    language?: Language;
    kind: 'webuser' | 'staff';
    role?: 'admin' | 'staff';
    folders?: FolderNode[];
  },
  ctx: Ctx,
): Promise<UserProfile> {
  const email = input.email.trim().toLowerCase();
  const name = input.name.trim();
  if (!name) throw new Invalid('name: cannot be empty.', 'name');
  const folders = input.folders ?? [];
  const settings = await getSettings();
  const language = input.language ?? settings.defaultLanguage;
  const nowIso = ctx.now.toISOString();
  const token = newToken();
  const inviteHash = hashToken(token);
  const groups: Group[] =
    input.kind === 'webuser' ? ['webusers'] : input.role === 'admin' ? ['staff', 'admin'] : ['staff'];

  const id = await createCognitoUser(email, groups).catch(async (err) => {
    // Created but not put in its group (or the answer was lost): remove it, or the retry would be a 409.
    // A Conflict means the address was already taken before this request: that user stays.
    if (!(err instanceof Conflict)) await deleteCognitoUser(email).catch(() => undefined);
    throw err;
  });
  const undo: Array<() => Promise<unknown>> = [() => deleteCognitoUser(email)];
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
    undo.push(() => users.deleteProfile(id));
    for (const f of folders) {
      await users.putGrant({
        userId: id,
        folderId: f.id,
        grantedBy: ctx.actor.id,
        grantedAt: nowIso,
        ancestors: f.ancestors,
      });
      undo.push(() => users.deleteGrant(id, f.id));
    }
    await links.putInvitation({
      tokenHash: inviteHash,
      userId: id,
      createdAt: nowIso,
      expiresAt: new Date(ctx.now.getTime() + INVITATION_DAYS * 86400_000).toISOString(),
    });
    undo.push(() => links.deleteInvitation(inviteHash));
    await mailInvitation(profile, token);
    await event(
      ctx,
      'user.created',
      { kind: 'user', id, name: email },
      input.kind === 'staff' ? { role: profile.role } : undefined,
    );
    for (const f of folders)
      await event(ctx, 'grant.added', { kind: 'folder', id: f.id, name: f.name }, { userId: id });
    await event(ctx, 'invitation.sent', { kind: 'user', id, name: email });
    return profile;
  } catch (err) {
    for (const step of undo.reverse()) await step().catch(() => undefined);
    throw err;
  }
}

export async function listWebusers(input: { limit: number; cursor?: string; q?: string }) {
  const page = await users.listWebusers(input.limit, input.cursor, input.q?.trim() || undefined);
  const sessions = await users.getSessionStates(page.users.map((u) => u.id));
  return {
    users: page.users.map((u) => userView(u, sessions.get(u.id))),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}

export async function grantPaths(grants: Grant[]) {
  const items = await nodes.getMany(
    grants.flatMap((g) => [
      folderKeys.node(g.folderId),
      ...g.ancestors.filter((a) => a !== ROOT_ID).map((a) => folderKeys.node(a)),
    ]),
  );
  const out = [];
  for (const g of grants) {
    const folder = nodes.fromItem<FolderNode>(items.get(`${folderKeys.node(g.folderId).PK}|META`));
    const chain = folder ? await resolveChain(folder, items) : undefined;
    out.push({
      folderId: g.folderId,
      name: folder?.name ?? null,
      path: folder && chain ? [...pathNames(chain.ancestors, chain.byId), folder.name] : [],
      expiresAt: g.expiresAt ?? null,
      grantedAt: g.grantedAt,
      live: !!folder && chain?.state === 'ok' && isLive(g, new Date()),
    });
  }
  return out;
}

export function linkView(l: links.ShareLink, now: Date) {
  return {
    id: l.id,
    folderId: l.folderId,
    email: l.email,
    name: l.name ?? null,
    createdAt: l.createdAt,
    createdBy: l.createdBy,
    expiresAt: l.expiresAt,
    revokedAt: l.revokedAt ?? null,
    status: l.revokedAt ? 'revoked' : isLive(l, now) ? 'active' : 'expired',
  };
}

export async function getWebuser(id: string, now: Date) {
  const { profile, grants } = await users.getUserWithGrants(id);
  if (!profile || profile.kind !== 'webuser') throw new NotFound();
  const [paths, sent, sessions] = await Promise.all([
    grantPaths(grants),
    links.linksToEmail(profile.email),
    users.getSessionStates([id]),
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
  id: string,
  input: { name?: string; language?: Language; status?: 'active' | 'disabled' },
  ctx: Ctx,
) {
  const before = await webuser(id);
  const name = input.name?.trim();
  if (input.name !== undefined && !name) throw new Invalid('name: cannot be empty.', 'name');
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
  if (input.status && input.status !== before.status) {
    await setEnabled(before.email, input.status === 'active');
    await event(ctx, input.status === 'disabled' ? 'user.disabled' : 'user.enabled', {
      kind: 'user',
      id,
      name: before.email,
    });
  }
  const sessions = await users.getSessionStates([id]);
  return userView(after, sessions.get(id));
}

export async function reinvite(id: string, ctx: Ctx): Promise<void> {
  const profile = await webuser(id);
  if (profile.status === 'disabled')
    throw new Conflict('This user is disabled. Enable them before inviting again.', 'user_disabled');
  const token = newToken();
  const hash = hashToken(token);
  await links.putInvitation({
    tokenHash: hash,
    userId: id,
    createdAt: ctx.now.toISOString(),
    expiresAt: new Date(ctx.now.getTime() + INVITATION_DAYS * 86400_000).toISOString(),
  });
  await users.updateProfile(id, { inviteHash: hash }, ctx.now.toISOString());
  try {
    await mailInvitation(profile, token);
  } catch (err) {
    // Put the previous invitation back in force; the new one never existed.
    await users
      .updateProfile(id, { inviteHash: profile.inviteHash ?? '' }, ctx.now.toISOString())
      .catch(() => undefined);
    await links.deleteInvitation(hash).catch(() => undefined);
    throw err;
  }
  if (profile.inviteHash) await links.deleteInvitation(profile.inviteHash).catch(() => undefined);
  await event(ctx, 'invitation.sent', { kind: 'user', id, name: profile.email });
}

/** GDPR erasure. Access goes first; the profile goes last, so a failed erase can run again. */
export async function eraseWebuser(id: string, ctx: Ctx): Promise<void> {
  const { profile, grants } = await users.getUserWithGrants(id);
  if (!profile || profile.kind !== 'webuser') throw new NotFound();
  const pseudonym = `erased-${hashToken(id).slice(0, 10)}`;
  await deleteCognitoUser(profile.email);
  for (const g of grants) await users.deleteGrant(id, g.folderId);
  const sent = await links.linksToEmail(profile.email);
  for (const l of sent) {
    await links.deleteLink(l);
    await pseudonymise('actor', l.id, pseudonym);
    await pseudonymise('target', l.id, pseudonym);
  }
  if (profile.inviteHash) await links.deleteInvitation(profile.inviteHash);
  await pseudonymise('actor', id, pseudonym);
  await pseudonymise('target', id, pseudonym);
  await users.deleteSessionState(id);
  await users.deleteProfile(id);
  await event(ctx, 'user.erased', { kind: 'user', id, name: pseudonym });
}

/** Sets the password from an invitation. The token is single-use and works only while it is the latest. */
export async function acceptInvitation(
  input: { token: string; password: string },
  ctx: { now: Date; ip: string; userAgent: string },
): Promise<void> {
  const problem = passwordProblem(input.password);
  if (problem) throw new Invalid(problem, 'password');
  const hash = hashToken(input.token);
  // Brute-force limit: counters read alongside the lookup; a blocked address gets 429 whatever the token.
  const [limit, invitation] = await Promise.all([limitFor('invite', ctx), links.getInvitation(hash)]);
  enforce('invite', limit, ctx);
  const refuse = async (): Promise<never> => {
    await recordFailure('invite', ctx);
    throw new NotFound();
  };
  if (!invitation || invitation.usedAt || Date.parse(invitation.expiresAt) <= ctx.now.getTime()) return refuse();
  const profile = await users.getProfile(invitation.userId);
  if (!profile || profile.inviteHash !== hash || profile.status !== 'active') return refuse();
  if (!(await links.consumeInvitation(hash, ctx.now.toISOString()))) return refuse();
  try {
    await setPassword(profile.email, input.password);
    await users.markActivated(profile.id, ctx.now.toISOString());
    const actor: Actor = { kind: 'webuser', id: profile.id, email: profile.email, name: profile.name };
    await putEvent(
      newEvent(
        {
          type: 'invitation.accepted',
          actor,
          target: { kind: 'user', id: profile.id, name: profile.email },
          ip: ctx.ip,
          userAgent: ctx.userAgent,
        },
        ctx.now,
      ),
    );
  } catch (err) {
    // Any step that did not happen: the invitation is usable again, so the person's retry completes it.
    await links.unconsumeInvitation(hash).catch(() => undefined);
    throw err;
  }
}
