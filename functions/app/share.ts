/**
 * Share links: the token in the URL is the credential. It is looked up by its
 * SHA-256 on every request (consistent read), so revocation and expiry apply
 * to the very next request. Everything outside the link's subtree is 404.
 */
import { hashToken } from '../lib/ids.ts';
import { isLive, linkReaches } from '../domain/access.ts';
import { newEvent, type Actor, type Target } from '../domain/activity.ts';
import type { Disposition } from '../domain/download.ts';
import { folderKeys } from '../store/keys.ts';
import * as nodes from '../store/nodes.ts';
import type { FolderNode } from '../store/nodes.ts';
import { getLinkByHash, type ShareLink } from '../store/links.ts';
import { putEvent } from '../store/activity.ts';
import { getSettings } from '../store/settings.ts';
import { ancestorKeys, resolveChain } from './tree.ts';
import { clientListing, pathNames } from './client-views.ts';
import { companyView } from './branding.ts';
import { deny, issueDownload } from './portal.ts';
import { enforce, limitFor, recordFailure } from './rate-limit.ts';

export interface LinkCtx {
  now: Date;
  ip: string;
  userAgent: string;
}

/** A share token is 43 base64url characters (256 bits); anything else cannot be one. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const anonymous: Actor = { kind: 'anonymous', id: 'anonymous' };
const linkActor = (l: ShareLink): Actor => ({
  kind: 'link',
  id: l.id,
  email: l.email,
  ...(l.name ? { name: l.name } : {}),
});

function checkLink(link: ShareLink | undefined, now: Date): link is ShareLink {
  return !!link && isLive(link, now);
}

/** A token that opens nothing: counted against the address (brute-force limit), recorded, 404. */
async function refuseToken(target: Target, ctx: LinkCtx): Promise<never> {
  await recordFailure('share', ctx);
  return deny(anonymous, target, ctx);
}

export async function openShare(token: string, page: { limit: number; cursor?: string }, ctx: LinkCtx) {
  // The brute-force counters are read in the same round as the link; a blocked address gets 429 whatever the token.
  const [limit, link] = await Promise.all([
    limitFor('share', ctx),
    TOKEN_PATTERN.test(token) ? getLinkByHash(hashToken(token)) : undefined,
  ]);
  enforce('share', limit, ctx);
  if (!checkLink(link, ctx.now)) return refuseToken({ kind: 'link', id: 'unknown' }, ctx);
  // The link remembers its folder's ancestry: node, chain, children and branding in one round.
  const [items, children, settings] = await Promise.all([
    nodes.getMany([
      folderKeys.node(link.folderId),
      ...link.ancestors.filter((a) => a !== 'root').map((a) => folderKeys.node(a)),
    ]),
    nodes.listChildren(link.folderId, page.limit, page.cursor),
    getSettings(),
  ]);
  const folder = nodes.fromItem<FolderNode>(items.get(`${folderKeys.node(link.folderId).PK}|META`));
  const target: Target = { kind: 'folder', id: link.folderId, name: folder?.name };
  if (!folder || folder.trashedAt) return deny(linkActor(link), target, ctx);
  const chain = await resolveChain(folder, items);
  if (chain.state !== 'ok') return deny(linkActor(link), target, ctx);
  if (!page.cursor) {
    await putEvent(
      newEvent(
        {
          type: 'link.opened',
          actor: linkActor(link),
          target: { ...target, path: pathNames(chain.ancestors, chain.byId) },
          within: chain.ancestors,
          ip: ctx.ip,
          userAgent: ctx.userAgent,
        },
        ctx.now,
      ),
    );
  }
  return {
    ...clientListing(folder, chain.byId, folder.id, children),
    company: await companyView(settings),
    expiresAt: link.expiresAt,
  };
}

export async function openShareFolder(
  token: string,
  folderId: string,
  page: { limit: number; cursor?: string },
  ctx: LinkCtx,
) {
  const valid = TOKEN_PATTERN.test(token);
  const [limit, link, folder] = await Promise.all([
    limitFor('share', ctx),
    valid ? getLinkByHash(hashToken(token)) : undefined,
    valid ? nodes.getFolder(folderId) : undefined,
  ]);
  enforce('share', limit, ctx);
  if (!checkLink(link, ctx.now)) return refuseToken({ kind: 'folder', id: folderId }, ctx);
  const target: Target = { kind: 'folder', id: folderId, name: folder?.name };
  if (!folder || folder.trashedAt || !linkReaches(link.folderId, [...folder.ancestors, folder.id]))
    return deny(linkActor(link), target, ctx);
  const [items, children] = await Promise.all([
    nodes.getMany(ancestorKeys(folder)),
    nodes.listChildren(folder.id, page.limit, page.cursor),
  ]);
  const chain = await resolveChain(folder, items);
  if (chain.state !== 'ok' || !linkReaches(link.folderId, [...chain.ancestors, folder.id]))
    return deny(linkActor(link), target, ctx);
  if (!page.cursor) {
    await putEvent(
      newEvent(
        {
          type: 'folder.listed',
          actor: linkActor(link),
          target: { ...target, path: pathNames(chain.ancestors, chain.byId) },
          within: chain.ancestors,
          ip: ctx.ip,
          userAgent: ctx.userAgent,
        },
        ctx.now,
      ),
    );
  }
  return clientListing(folder, chain.byId, link.folderId, children);
}

export async function shareDownload(token: string, fileId: string, disposition: Disposition, ctx: LinkCtx) {
  const valid = TOKEN_PATTERN.test(token);
  const [limit, link, file] = await Promise.all([
    limitFor('share', ctx),
    valid ? getLinkByHash(hashToken(token)) : undefined,
    valid ? nodes.getFile(fileId) : undefined,
  ]);
  enforce('share', limit, ctx);
  if (!checkLink(link, ctx.now)) return refuseToken({ kind: 'file', id: fileId }, ctx);
  const target: Target = { kind: 'file', id: fileId, name: file?.name };
  if (!file || file.trashedAt || !linkReaches(link.folderId, file.ancestors)) return deny(linkActor(link), target, ctx);
  const chain = await resolveChain(file);
  if (chain.state !== 'ok' || !linkReaches(link.folderId, chain.ancestors)) return deny(linkActor(link), target, ctx);
  return issueDownload(
    file,
    linkActor(link),
    chain.ancestors,
    pathNames(chain.ancestors, chain.byId),
    disposition,
    ctx,
  );
}
