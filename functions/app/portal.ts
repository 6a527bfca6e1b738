/**
 * The client portal: what a signed-in web user may list and download.
 * Every request decides from current data: the user's profile and grants
 * (one consistent query on their partition) and the node's ancestor chain
 * (one BatchGet). Anything not reachable is the same 404, and is recorded.
 */
import { NotFound, Unauthorized } from '../lib/errors.ts';
import type { Caller } from '../lib/http.ts';
import { grantRootFor, isLive, topsOf } from '../domain/access.ts';
import { newEvent, type Actor, type Target } from '../domain/activity.ts';
import type { Disposition } from '../domain/download.ts';
import { fileKeys, folderKeys } from '../store/keys.ts';
import * as nodes from '../store/nodes.ts';
import type { FileNode, FolderNode } from '../store/nodes.ts';
import { getUserWithGrants, touchSession, type Grant, type UserProfile } from '../store/users.ts';
import { putEvent } from '../store/activity.ts';
import { getSettings } from '../store/settings.ts';
import { mintDownloadUrl } from '../aws/s3.ts';
import { ancestorKeys, resolveChain } from './tree.ts';
import { clientFolder, clientListing, pathNames } from './client-views.ts';
import { companyView } from './branding.ts';

export interface PortalCtx {
  caller: Caller;
  now: Date;
  ip: string;
  userAgent: string;
}

interface Session {
  profile: UserProfile;
  grants: Grant[];
  actor: Actor;
}

/** Starts every portal request: profile + grants, and the sign-in/last-seen mark, in one round. */
async function session<T>(ctx: PortalCtx, alongside: () => Promise<T>): Promise<{ s?: Session; extra: T }> {
  const [user, extra, newSignIn] = await Promise.all([
    getUserWithGrants(ctx.caller.sub),
    alongside(),
    touchSession(ctx.caller.sub, ctx.caller.authTime ?? 'unknown', ctx.now).catch(() => false),
  ]);
  const p = user.profile;
  if (!p || p.kind !== 'webuser' || p.status !== 'active') return { extra };
  const actor: Actor = { kind: 'webuser', id: p.id, email: p.email, name: p.name };
  if (newSignIn) await putEvent(newEvent({ type: 'signin', actor, ip: ctx.ip, userAgent: ctx.userAgent }, ctx.now));
  return { s: { profile: p, grants: user.grants, actor }, extra };
}

/** Records the denial, then answers exactly as for something that does not exist. */
export async function deny(
  actor: Actor,
  target: Target,
  ctx: { now: Date; ip: string; userAgent: string },
): Promise<never> {
  await putEvent(
    newEvent({ type: 'access.denied', actor, target, ip: ctx.ip, userAgent: ctx.userAgent }, ctx.now),
  ).catch(() => undefined);
  throw new NotFound();
}

const anonymousActor = (ctx: PortalCtx): Actor => ({ kind: 'webuser', id: ctx.caller.sub });

export async function portalMe(ctx: PortalCtx) {
  const { s, extra: settings } = await session(ctx, getSettings);
  if (!s) throw new Unauthorized('This account is not active.');
  return {
    user: { id: s.profile.id, email: s.profile.email, name: s.profile.name, language: s.profile.language },
    company: await companyView(settings),
  };
}

/** The tops of what a user with these grants sees; also the engine of the staff's "view as". */
export async function topsForGrants(grants: Grant[], now: Date) {
  const live = grants.filter((g) => isLive(g, now));
  // Each grant remembers its folder's ancestry, so nodes and chains come in one BatchGet.
  const items = await nodes.getMany(
    live.flatMap((g) => [
      folderKeys.node(g.folderId),
      ...g.ancestors.filter((a) => a !== 'root').map((a) => folderKeys.node(a)),
    ]),
  );
  const reachable: FolderNode[] = [];
  for (const g of live) {
    const folder = nodes.fromItem<FolderNode>(items.get(`${folderKeys.node(g.folderId).PK}|META`));
    if (!folder || folder.trashedAt) continue;
    const chain = await resolveChain(folder, items);
    if (chain.state === 'ok') reachable.push(folder);
  }
  const tops = topsOf(reachable).sort((a, b) => a.name.localeCompare(b.name, 'es', { sensitivity: 'base' }));
  const expiry = new Map(live.map((g) => [g.folderId, g.expiresAt]));
  return {
    folders: tops.map((f) => ({
      ...clientFolder(f),
      path: [{ id: f.id, name: f.name }],
      expiresAt: expiry.get(f.id) ?? null,
    })),
  };
}

/** The tops of what the signed-in user can see: granted folders not inside another granted folder. */
export async function portalFolders(ctx: PortalCtx) {
  const { s } = await session(ctx, async () => undefined);
  if (!s) throw new NotFound();
  return topsForGrants(s.grants, ctx.now);
}

/** What a user with these grants may see of one folder (the portal and the staff's "view as"). */
export async function folderForWebuser(
  grants: Grant[],
  folderId: string,
  page: { limit: number; cursor?: string },
  now: Date,
  folder?: FolderNode,
) {
  const node = folder ?? (await nodes.getFolder(folderId));
  if (!node || node.trashedAt) return undefined;
  if (!grantRootFor([...node.ancestors, node.id], grants, now)) return undefined;
  const [items, children] = await Promise.all([
    nodes.getMany(ancestorKeys(node)),
    nodes.listChildren(node.id, page.limit, page.cursor),
  ]);
  const chain = await resolveChain(node, items);
  if (chain.state !== 'ok') return undefined;
  // Decide again on the verified chain (the stored one may have been stale).
  const viewRoot = grantRootFor([...chain.ancestors, node.id], grants, now);
  if (!viewRoot) return undefined;
  return { listing: clientListing(node, chain.byId, viewRoot, children), chain };
}

export async function portalFolder(folderId: string, page: { limit: number; cursor?: string }, ctx: PortalCtx) {
  const { s, extra: folder } = await session(ctx, () => nodes.getFolder(folderId));
  const target: Target = { kind: 'folder', id: folderId, name: folder?.name };
  if (!s) return deny(anonymousActor(ctx), target, ctx);
  const result = await folderForWebuser(s.grants, folderId, page, ctx.now, folder);
  if (!result) return deny(s.actor, target, ctx);
  if (!page.cursor) {
    await putEvent(
      newEvent(
        {
          type: 'folder.listed',
          actor: s.actor,
          target: { ...target, path: pathNames(result.chain.ancestors, result.chain.byId) },
          within: result.chain.ancestors,
          ip: ctx.ip,
          userAgent: ctx.userAgent,
        },
        ctx.now,
      ),
    );
  }
  return result.listing;
}

export async function portalDownload(fileId: string, disposition: Disposition, ctx: PortalCtx) {
  const { s, extra: file } = await session(ctx, () => nodes.getFile(fileId));
  const target: Target = { kind: 'file', id: fileId, name: file?.name };
  if (!s) return deny(anonymousActor(ctx), target, ctx);
  if (!file || file.trashedAt || !grantRootFor([...file.ancestors], s.grants, ctx.now))
    return deny(s.actor, target, ctx);
  const chain = await resolveChain(file);
  if (chain.state !== 'ok' || !grantRootFor(chain.ancestors, s.grants, ctx.now)) return deny(s.actor, target, ctx);
  return issueDownload(file, s.actor, chain.ancestors, pathNames(chain.ancestors, chain.byId), disposition, ctx);
}

/** Audit first: the event is stored, then the URL is minted. Clients only ever get the current version. */
export async function issueDownload(
  file: FileNode,
  actor: Actor,
  ancestors: string[],
  path: string[],
  disposition: Disposition,
  ctx: { now: Date; ip: string; userAgent: string },
) {
  await putEvent(
    newEvent(
      {
        type: 'download',
        actor,
        target: { kind: 'file', id: file.id, name: file.name, path, versionId: file.currentVersionId },
        within: ancestors,
        ip: ctx.ip,
        userAgent: ctx.userAgent,
        details: { size: file.size, disposition, ...(file.sha256 ? { sha256: file.sha256 } : {}) },
      },
      ctx.now,
    ),
  );
  return mintDownloadUrl(fileKeys.objectKey(file.id, file.currentVersionId), file.name, file.contentType, disposition);
}
