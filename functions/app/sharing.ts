/** Staff sharing: folder grants to web users, and "Send by email" share links. */
import { config } from '../lib/config.ts';
import { Invalid, NotFound } from '../lib/errors.ts';
import { hashToken, newToken, ulid } from '../lib/ids.ts';
import { newEvent } from '../domain/activity.ts';
import { folderSharedMail, linkMail, type Language } from '../domain/emails.ts';
import { ROOT_ID } from '../store/keys.ts';
import * as nodes from '../store/nodes.ts';
import * as users from '../store/users.ts';
import * as links from '../store/links.ts';
import { putEvent } from '../store/activity.ts';
import { getSettings } from '../store/settings.ts';
import { sendMail } from '../aws/mail.ts';
import type { Ctx } from './documents.ts';
import { linkView } from './webusers.ts';
import { mailBrand } from './branding.ts';

const MAX_LINK_DAYS = 365;

async function shareableFolder(id: string) {
  if (id === ROOT_ID) throw new Invalid('id: the root folder cannot be shared.', 'id');
  const f = await nodes.getFolder(id);
  if (!f || f.trashedAt) throw new NotFound();
  return f;
}

function futureDate(value: string | undefined, field: string, now: Date, maxDays?: number): string | undefined {
  if (value === undefined) return undefined;
  const t = Date.parse(value);
  if (t <= now.getTime()) throw new Invalid(`${field}: must be in the future.`, field);
  if (maxDays && t > now.getTime() + maxDays * 86400_000)
    throw new Invalid(`${field}: at most ${maxDays} days from now.`, field);
  return new Date(t).toISOString();
}

export async function grantFolder(
  folderId: string,
  userId: string,
  input: { expiresAt?: string; notify?: boolean },
  ctx: Ctx,
) {
  const [folder, profile] = await Promise.all([shareableFolder(folderId), users.getProfile(userId)]);
  if (!profile || profile.kind !== 'webuser') throw new NotFound();
  const expiresAt = futureDate(input.expiresAt, 'expiresAt', ctx.now);
  const grant: users.Grant = {
    userId,
    folderId,
    grantedBy: ctx.actor.id,
    grantedAt: ctx.now.toISOString(),
    ancestors: folder.ancestors,
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
      const s = await getSettings();
      await sendMail(
        profile.email,
        folderSharedMail({
          lang: profile.language,
          ...mailBrand(s),
          name: profile.name,
          folderName: folder.name,
          url: `${config.siteUrl}/portal/f/${folder.id}`,
        }),
      );
    }
    await putEvent(
      newEvent(
        {
          type: 'grant.added',
          actor: ctx.actor,
          target: { kind: 'folder', id: folderId, name: folder.name },
          within: folder.ancestors,
          ip: ctx.ip,
          userAgent: ctx.userAgent,
          details: { userId, expiresAt: expiresAt ?? null },
        },
        ctx.now,
      ),
    );
  } catch (err) {
    // A new grant that is not counted, mailed or recorded does not stay: the retry makes it whole.
    if (isNew) {
      await users.deleteGrant(userId, folderId).catch(() => undefined);
      if (counted) await users.adjustGrantCount(userId, -1).catch(() => undefined);
    }
    throw err;
  }
  return {
    grant: { folderId, userId, expiresAt: expiresAt ?? null, grantedAt: grant.grantedAt, grantedBy: grant.grantedBy },
  };
}

export async function revokeGrant(folderId: string, userId: string, ctx: Ctx): Promise<void> {
  if (!(await users.deleteGrant(userId, folderId))) return;
  await users.adjustGrantCount(userId, -1);
  await putEvent(
    newEvent(
      {
        type: 'grant.removed',
        actor: ctx.actor,
        target: { kind: 'folder', id: folderId },
        ip: ctx.ip,
        userAgent: ctx.userAgent,
        details: { userId },
      },
      ctx.now,
    ),
  );
}

export async function folderGrants(folderId: string) {
  const grants = await users.grantsOnFolder(folderId);
  return grants.map((g) => ({ userId: g.userId, expiresAt: g.expiresAt ?? null, grantedAt: g.grantedAt }));
}

export async function sendFolder(
  folderId: string,
  input: { email: string; name?: string; message?: string; expiresAt?: string; language?: Language },
  ctx: Ctx,
) {
  const [folder, settings] = await Promise.all([shareableFolder(folderId), getSettings()]);
  const expiresAt =
    futureDate(input.expiresAt, 'expiresAt', ctx.now, MAX_LINK_DAYS) ??
    new Date(ctx.now.getTime() + settings.linkDefaultDays * 86400_000).toISOString();
  const token = newToken();
  const link: links.ShareLink = {
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
  };
  await links.putLink(link);
  try {
    await sendMail(
      link.email,
      linkMail({
        lang: link.language,
        ...mailBrand(settings),
        name: link.name,
        message: link.message,
        folderName: folder.name,
        url: `${config.siteUrl}/s/${token}`,
        expiresAt,
      }),
    );
    await putEvent(
      newEvent(
        {
          type: 'link.sent',
          actor: ctx.actor,
          target: { kind: 'link', id: link.id, name: link.email },
          within: [...folder.ancestors, folder.id],
          ip: ctx.ip,
          userAgent: ctx.userAgent,
          details: { folderId, folderName: folder.name, expiresAt },
        },
        ctx.now,
      ),
    );
  } catch (err) {
    // No link lives without its link.sent event: the mailed token then opens nothing, and the retry sends a working one.
    await links.deleteLink(link).catch(() => undefined);
    throw err;
  }
  return { link: { id: link.id, folderId, email: link.email, expiresAt } };
}

export async function folderLinks(folderId: string, now: Date) {
  return { links: (await links.linksForFolder(folderId)).map((l) => linkView(l, now)) };
}

export async function revokeLink(id: string, ctx: Ctx): Promise<void> {
  const link = await links.getLinkById(id);
  if (!link) throw new NotFound();
  if (await links.revokeLink(link.tokenHash, ctx.actor.id, ctx.now.toISOString())) {
    await putEvent(
      newEvent(
        {
          type: 'link.revoked',
          actor: ctx.actor,
          target: { kind: 'link', id, name: link.email },
          ip: ctx.ip,
          userAgent: ctx.userAgent,
          details: { folderId: link.folderId },
        },
        ctx.now,
      ),
    );
  }
}
