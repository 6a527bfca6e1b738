/** Staff sharing: folder grants to web users, and "Send by email" share links. */

import { isLive } from '../domain/access.ts';
import { folderSharedMail, linkMail } from '../domain/emails.ts';
import { type Grant, type Language, ROOT_ID, type ShareLink } from '../domain/model.ts';
import { linkExpiry, requestedExpiry } from '../domain/sharing.ts';
import { Conflict, Invalid, NotFound } from '../lib/errors.ts';
import { hashToken, newToken, ulid } from '../lib/ids.ts';
import { hashPassword } from '../lib/passwords.ts';
import { record, resolveChain, type StaffCtx } from './access.ts';
import { sendBranded } from './branding.ts';
import type { Needs } from './ports.ts';
import { bestEffort } from './undo.ts';
import { linkView } from './views.ts';

type Mailing = Needs<'settings' | 'mailer' | 'config'>;

async function shareableFolder(deps: Needs<'nodes'>, id: string) {
  if (id === ROOT_ID) throw new Invalid('id: the root folder cannot be shared.', 'id', 'root');
  const f = await deps.nodes.getFolder(id);
  if (!f || f.trashedAt) throw new NotFound();
  return f;
}

export async function grantFolder(
  deps: Needs<'nodes' | 'users' | 'activity'> & Mailing,
  folderId: string,
  userId: string,
  input: { expiresAt?: string; notify?: boolean },
  ctx: StaffCtx,
) {
  const { users } = deps;
  const [folder, profile] = await Promise.all([shareableFolder(deps, folderId), users.getProfile(userId)]);
  if (profile?.kind !== 'webuser') throw new NotFound();
  const expiresAt = requestedExpiry(input.expiresAt, 'expiresAt', ctx.now);
  const grant: Grant = {
    userId,
    folderId,
    grantedBy: ctx.actor.id,
    grantedAt: ctx.now.toISOString(),
    ancestors: folder.ancestors,
    email: profile.email,
    name: profile.name,
    ...(expiresAt ? { expiresAt } : {}),
  };
  const isNew = await users.putGrant(grant);
  let counted = false;
  try {
    if (isNew) {
      await users.adjustGrantCount(userId, 1);
      counted = true;
    }
    if (input.notify) {
      const s = await deps.settings.getSettings();
      const { language: lang, name } = profile;
      await sendBranded(deps, s, profile.email, (brand, site) =>
        folderSharedMail({ lang, ...brand, name, folderName: folder.name, url: `${site}/portal/f/${folder.id}` }),
      );
    }
    await record(deps, ctx, {
      type: 'grant.added',
      actor: ctx.actor,
      target: { kind: 'folder', id: folderId, name: folder.name },
      within: folder.ancestors,
      details: { userId, expiresAt: expiresAt ?? null },
    });
  } catch (err) {
    // A new grant that is not counted, mailed or recorded does not stay: the retry makes it whole.
    // Access goes first, then the count.
    const about = { userId, folderId };
    if (isNew) {
      const removeGrant = { leftBehind: 'a live grant never recorded', run: () => users.deleteGrant(userId, folderId) };
      await bestEffort(ctx.log, removeGrant, about);
    }
    if (counted) {
      const uncount = { leftBehind: 'a grant count one too high', run: () => users.adjustGrantCount(userId, -1) };
      await bestEffort(ctx.log, uncount, about);
    }
    throw err;
  }
  return {
    grant: { folderId, userId, expiresAt: expiresAt ?? null, grantedAt: grant.grantedAt, grantedBy: grant.grantedBy },
  };
}

export async function revokeGrant(
  deps: Needs<'users' | 'activity'>,
  folderId: string,
  userId: string,
  ctx: StaffCtx,
): Promise<void> {
  if (!(await deps.users.deleteGrant(userId, folderId))) return;
  await deps.users.adjustGrantCount(userId, -1);
  await record(deps, ctx, {
    type: 'grant.removed',
    actor: ctx.actor,
    target: { kind: 'folder', id: folderId },
    details: { userId },
  });
}

export async function folderGrants(deps: Needs<'users'>, folderId: string) {
  const grants = await deps.users.grantsOnFolder(folderId);
  return grants.map((g) => ({ userId: g.userId, expiresAt: g.expiresAt ?? null, grantedAt: g.grantedAt }));
}

/**
 * Who a folder is shared with: grants and links on it and on every folder above it (a grant on a
 * parent reaches its subfolders), each inherited one saying from which folder. Two rounds: the folder
 * with its own grants and links; then its ancestors with theirs. Grants carry their web user's email
 * and name, so no profile is read (only for grants made before they did: one more round).
 */
export async function folderSharing(deps: Needs<'nodes' | 'users' | 'links'>, folderId: string, now: Date) {
  const [folder, ownGrants, ownLinks] = await Promise.all([
    deps.nodes.getFolder(folderId),
    deps.users.grantsOnFolder(folderId),
    deps.links.linksForFolder(folderId),
  ]);
  if (!folder || folder.trashedAt) throw new NotFound();
  const above = folder.ancestors.filter((a) => a !== ROOT_ID);
  const [ancestors, grantsAbove, linksAbove] = await Promise.all([
    deps.nodes.getFolders(above),
    Promise.all(above.map((a) => deps.users.grantsOnFolder(a))),
    Promise.all(above.map((a) => deps.links.linksForFolder(a))),
  ]);
  const chain = await resolveChain(deps, folder, ancestors);
  if (chain.state !== 'ok') throw new NotFound();
  // After a move the stored ancestry may have been stale: only the verified chain's folders count.
  const reach = new Set(chain.ancestors);
  const via = (id: string) => (id === folderId ? null : { id, name: chain.byId.get(id)?.name ?? '' });
  const grants = [...ownGrants, ...grantsAbove.flat().filter((g) => reach.has(g.folderId))];
  const unnamed = [...new Set(grants.filter((g) => !g.email).map((g) => g.userId))];
  const [profiles, links] = await Promise.all([
    unnamed.length ? deps.users.getProfiles(unnamed) : new Map(),
    deps.links.withDownloadsTaken([...ownLinks, ...linksAbove.flat().filter((l) => reach.has(l.folderId))]),
  ]);
  return {
    grants: grants.map((g) => ({
      userId: g.userId,
      email: g.email ?? profiles.get(g.userId)?.email ?? null,
      name: g.name ?? profiles.get(g.userId)?.name ?? null,
      expiresAt: g.expiresAt ?? null,
      grantedAt: g.grantedAt,
      via: via(g.folderId),
    })),
    links: links.map((l) => ({ ...linkView(l, now), via: via(l.folderId) })),
  };
}

export async function sendFolder(
  deps: Needs<'nodes' | 'links' | 'activity'> & Mailing,
  folderId: string,
  input: {
    email: string;
    name?: string;
    message?: string;
    expiresAt?: string;
    language?: Language;
    password?: string;
    maxDownloads?: number;
    notifyOnOpen?: boolean;
  },
  ctx: StaffCtx,
  /** What a link made again (extendLink) keeps of the one it replaces. */
  carried: { passwordHash?: string } = {},
) {
  const [folder, settings, passwordHash] = await Promise.all([
    shareableFolder(deps, folderId),
    deps.settings.getSettings(),
    input.password !== undefined ? hashPassword(input.password) : carried.passwordHash,
  ]);
  const expiresAt = linkExpiry(input.expiresAt, ctx.now, settings.linkDefaultDays);
  const token = newToken();
  const link: ShareLink = {
    id: ulid(ctx.now.getTime()),
    tokenHash: hashToken(token),
    folderId,
    ancestors: folder.ancestors,
    email: input.email.trim().toLowerCase(),
    ...(input.name?.trim() ? { name: input.name.trim() } : {}),
    ...(input.message?.trim() ? { message: input.message.trim() } : {}),
    language: input.language ?? settings.defaultLanguage,
    createdBy: ctx.actor.id,
    createdAt: ctx.now.toISOString(),
    expiresAt,
    // The password is never mailed with the link: the sender tells it another way.
    ...(passwordHash ? { passwordHash } : {}),
    ...(input.maxDownloads ? { maxDownloads: input.maxDownloads } : {}),
    ...(input.notifyOnOpen ? { notifyOnOpen: true } : {}),
  };
  await deps.links.putLink(link);
  try {
    await sendBranded(deps, settings, link.email, (brand, site) =>
      linkMail({
        lang: link.language,
        ...brand,
        name: link.name,
        message: link.message,
        folderName: folder.name,
        // After "#": a fragment is never sent to a server, so no access log records the token.
        url: `${site}/s#${token}`,
        expiresAt,
      }),
    );
    await record(deps, ctx, {
      type: 'link.sent',
      actor: ctx.actor,
      target: { kind: 'link', id: link.id, name: link.email },
      within: [...folder.ancestors, folder.id],
      details: { folderId, folderName: folder.name, expiresAt },
    });
  } catch (err) {
    // No link lives without its link.sent event: the mailed token then opens nothing,
    // and the retry sends a working one.
    const removeLink = { leftBehind: 'a live link with no link.sent event', run: () => deps.links.deleteLink(link) };
    await bestEffort(ctx.log, removeLink, { linkId: link.id, folderId });
    throw err;
  }
  const options = {
    passwordProtected: !!passwordHash,
    maxDownloads: link.maxDownloads ?? null,
    notifyOnOpen: !!link.notifyOnOpen,
  };
  return { link: { id: link.id, folderId, email: link.email, expiresAt, ...options } };
}

/**
 * POST /links/{id}/extend: a link past its expiry (or about to be) is sent again with a new token and a new
 * expiry, with the options it had (its password too); the old token stays dead (revoked if still live).
 * A revoked link is not brought back.
 */
export async function extendLink(
  deps: Needs<'nodes' | 'links' | 'activity'> & Mailing,
  id: string,
  input: { expiresAt?: string },
  ctx: StaffCtx,
) {
  const old = await deps.links.getLinkById(id);
  if (!old) throw new NotFound();
  if (old.revokedAt) throw new Conflict('This link was revoked. Send the folder again instead.', 'link_revoked');
  // Extended once already: the client has the new link (a second "Ampliar" must not mail a third).
  if (old.replacedBy) throw new Conflict('This link was already extended: its new link was mailed.', 'link_replaced');
  const made = await sendFolder(
    deps,
    old.folderId,
    {
      email: old.email,
      name: old.name,
      message: old.message,
      language: old.language,
      expiresAt: input.expiresAt,
      maxDownloads: old.maxDownloads,
      notifyOnOpen: old.notifyOnOpen,
    },
    ctx,
    { passwordHash: old.passwordHash },
  );
  if (!(await deps.links.markReplaced(old.tokenHash, made.link.id)))
    ctx.log.warn('link extended twice at once: two new links were mailed', { linkId: old.id });
  if (isLive(old, ctx.now)) await revokeLink(deps, old.id, ctx);
  return { ...made, replaces: old.id };
}

export async function folderLinks(deps: Needs<'links'>, folderId: string, now: Date) {
  const links = await deps.links.withDownloadsTaken(await deps.links.linksForFolder(folderId));
  return { links: links.map((l) => linkView(l, now)) };
}

export async function revokeLink(deps: Needs<'links' | 'activity'>, id: string, ctx: StaffCtx): Promise<void> {
  const link = await deps.links.getLinkById(id);
  if (!link) throw new NotFound();
  if (await deps.links.revokeLink(link.tokenHash, ctx.actor.id, ctx.now.toISOString())) {
    await record(deps, ctx, {
      type: 'link.revoked',
      actor: ctx.actor,
      target: { kind: 'link', id, name: link.email },
      details: { folderId: link.folderId },
    });
  }
}
