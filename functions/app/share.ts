/**
 * Share links: the token in the URL is the credential. It is looked up by its
 * SHA-256 on every request (consistent read), so revocation and expiry apply
 * to the very next request. Everything outside the link's subtree is 404.
 */

import { isLive, linkReaches } from '../domain/access.ts';
import type { Disposition } from '../domain/download.ts';
import { type ListOrder, orderOf } from '../domain/listing.ts';
import type { Actor, ShareLink, Target } from '../domain/model.ts';
import { parseQuery } from '../domain/search.ts';
import { AppError } from '../lib/errors.ts';
import { hashToken } from '../lib/ids.ts';
import { verifyPassword } from '../lib/passwords.ts';
import {
  acknowledge,
  deny,
  issueDownload,
  type LinkCtx,
  recordListing,
  resolveChain,
  thumbnailUrls,
} from './access.ts';
import { companyView } from './branding.ts';
import { type BulkInput, issueAll, readSelection, takeFiles } from './bulk-download.ts';
import { clientListing } from './client-views.ts';
import { findByName, type SearchPage } from './name-search.ts';
import type { Needs } from './ports.ts';
import { enforce, failed, limitFor, subjectsOf } from './rate-limit.ts';

type Share = Needs<'links' | 'nodes' | 'activity' | 'rateLimits' | 'config'>;
type Page = { limit: number; cursor?: string } & Partial<ListOrder>;

/** A share token is 43 base64url characters (256 bits); anything else cannot be one. */
export const TOKEN_PATTERN = /^[A-Za-z0-9_-]{43}$/;

const anonymous: Actor = { kind: 'anonymous', id: 'anonymous' };
const linkActor = (l: ShareLink): Actor => ({
  kind: 'link',
  id: l.id,
  email: l.email,
  ...(l.name ? { name: l.name } : {}),
});

/**
 * The link a token opens, read in one round with the brute-force counters and
 * whatever the request also needs (`alongside`, skipped for what cannot be a token).
 * A blocked address gets 429 whatever the token; a token that opens nothing is
 * counted against the address, recorded, and answered 404.
 */
async function admit<T>(
  deps: Share,
  token: string,
  refused: Target,
  ctx: LinkCtx,
  alongside: () => Promise<T>,
): Promise<{ link: ShareLink; extra: T | undefined }> {
  const valid = TOKEN_PATTERN.test(token);
  const [limit, link, extra] = await Promise.all([
    limitFor(deps, 'share', ctx, subjectsOf(ctx, token)),
    valid ? deps.links.getLinkByHash(hashToken(token)) : undefined,
    valid ? alongside() : undefined,
  ]);
  enforce('share', limit, ctx);
  // A link whose downloads are used up answers as an expired one.
  const usedUp = !!link?.maxDownloads && (link.downloads ?? 0) >= link.maxDownloads;
  if (!link || !isLive(link, ctx.now) || usedUp) {
    await failed(deps, 'share', ctx, limit);
    return deny(deps, anonymous, refused, ctx);
  }
  if (link.passwordHash) {
    if (ctx.password === undefined || ctx.password === '')
      throw new AppError(401, 'password_required', 'This link asks for its password.');
    if (!(await verifyPassword(ctx.password, link.passwordHash))) {
      // A wrong password is a failed guess like a wrong token: past the limit, 429.
      await failed(deps, 'share', ctx, limit);
      throw new AppError(401, 'password_wrong', 'The password is not right.');
    }
  }
  return { link, extra };
}

export async function openShare(deps: Share & Needs<'settings' | 'files'>, token: string, page: Page, ctx: LinkCtx) {
  const { link } = await admit(deps, token, { kind: 'link', id: 'unknown' }, ctx, async () => undefined);
  // The link remembers its folder's ancestry: node, chain, children and branding in one round.
  const [folders, children, settings, confirmed] = await Promise.all([
    deps.nodes.getFolders([link.folderId, ...link.ancestors]),
    deps.nodes.listChildren(link.folderId, page.limit, page.cursor, orderOf(page)),
    deps.settings.getSettings(),
    deps.activity.acknowledgedIn(link.folderId, link.id),
  ]);
  const folder = folders.get(link.folderId);
  const target: Target = { kind: 'folder', id: link.folderId, name: folder?.name };
  if (!folder || folder.trashedAt) return deny(deps, linkActor(link), target, ctx);
  const chain = await resolveChain(deps, folder, folders);
  if (chain.state !== 'ok') return deny(deps, linkActor(link), target, ctx);
  const thumbs = page.cursor ? new Map<string, string>() : await thumbnailUrls(deps, children.files);
  if (!page.cursor) await recordListing(deps, ctx, 'link.opened', linkActor(link), target, chain, [...thumbs.keys()]);
  return {
    ...clientListing(folder, chain.byId, folder.id, children, thumbs, confirmed),
    company: await companyView(deps, settings),
    expiresAt: link.expiresAt,
  };
}

export async function openShareFolder(
  deps: Share & Needs<'files'>,
  token: string,
  folderId: string,
  page: Page,
  ctx: LinkCtx,
) {
  const refused: Target = { kind: 'folder', id: folderId };
  const { link, extra: folder } = await admit(deps, token, refused, ctx, () => deps.nodes.getFolder(folderId));
  const target: Target = { ...refused, name: folder?.name };
  // Decided on the verified chain below, never on the stored one (stale after a move until rewritten).
  if (!folder || folder.trashedAt) return deny(deps, linkActor(link), target, ctx);
  const [ancestors, children, confirmed] = await Promise.all([
    deps.nodes.getFolders(folder.ancestors),
    deps.nodes.listChildren(folder.id, page.limit, page.cursor, orderOf(page)),
    deps.activity.acknowledgedIn(folder.id, link.id),
  ]);
  const chain = await resolveChain(deps, folder, ancestors);
  if (chain.state !== 'ok' || !linkReaches(link.folderId, [...chain.ancestors, folder.id]))
    return deny(deps, linkActor(link), target, ctx);
  const thumbs = page.cursor ? new Map<string, string>() : await thumbnailUrls(deps, children.files);
  if (!page.cursor) await recordListing(deps, ctx, 'folder.listed', linkActor(link), target, chain, [...thumbs.keys()]);
  return clientListing(folder, chain.byId, link.folderId, children, thumbs, confirmed);
}

export async function shareDownload(
  deps: Share & Needs<'files' | 'deliveries'>,
  token: string,
  fileId: string,
  disposition: Disposition,
  ctx: LinkCtx,
) {
  const refused: Target = { kind: 'file', id: fileId };
  const { link, extra: file } = await admit(deps, token, refused, ctx, () => deps.nodes.getFile(fileId));
  const target: Target = { ...refused, name: file?.name };
  if (!file || file.trashedAt) return deny(deps, linkActor(link), target, ctx);
  const chain = await resolveChain(deps, file);
  if (chain.state !== 'ok' || !linkReaches(link.folderId, chain.ancestors))
    return deny(deps, linkActor(link), target, ctx);
  if (!link.maxDownloads) return issueDownload(deps, file, linkActor(link), chain, disposition, ctx);
  // A limited link: the download is taken (atomically) before its event; the last one taken, the next is 404.
  if (!(await deps.links.takeDownload(link.tokenHash, link.maxDownloads)))
    return deny(deps, linkActor(link), target, ctx);
  try {
    return await issueDownload(deps, file, linkActor(link), chain, disposition, ctx);
  } catch (err) {
    await deps.links
      .giveBackDownload(link.tokenHash)
      .catch((undo) =>
        ctx.log.error('a limited link lost a download to a failed request', { err: undo, linkId: link.id }),
      );
    throw err;
  }
}

/** POST /share/files/{id}/acknowledge: the link holder confirms receipt of a file in the link's folder. */
export async function shareAcknowledge(
  deps: Share & Needs<'deliveries'>,
  token: string,
  fileId: string,
  ctx: LinkCtx,
): Promise<void> {
  const refused: Target = { kind: 'file', id: fileId };
  const { link, extra: file } = await admit(deps, token, refused, ctx, () => deps.nodes.getFile(fileId));
  const target: Target = { ...refused, name: file?.name };
  if (!file || file.trashedAt) return deny(deps, linkActor(link), target, ctx);
  const chain = await resolveChain(deps, file);
  if (chain.state !== 'ok' || !linkReaches(link.folderId, chain.ancestors))
    return deny(deps, linkActor(link), target, ctx);
  await acknowledge(deps, file, linkActor(link), chain, ctx);
}

/**
 * GET /share/search (X-Share-Token): names inside the linked folder only, paths starting at it.
 * Round 1: the link ∥ the brute-force counters; round 2: the link folder's index entries; round 3: the
 * candidates and their chains.
 */
export async function shareSearch(deps: Share, token: string, q: string, page: SearchPage, ctx: LinkCtx) {
  const words = parseQuery(q);
  const { link } = await admit(deps, token, { kind: 'link', id: 'unknown' }, ctx, async () => undefined);
  const reach = (chain: string[]) => (linkReaches(link.folderId, chain) ? link.folderId : undefined);
  return findByName(deps, [link.folderId], words, page, reach);
}

/**
 * POST /share/folders/{id}/downloads (X-Share-Token): the files of a folder inside the linked one, each
 * recorded before its URL. Round 1: the link ∥ counters ∥ Get folder ∥ the page of files; round 2: chains.
 */
export async function shareFolderDownload(
  deps: Share & Needs<'files' | 'deliveries'>,
  token: string,
  folderId: string,
  input: BulkInput,
  ctx: LinkCtx,
) {
  const refused: Target = { kind: 'folder', id: folderId };
  const { link, extra: first } = await admit(deps, token, refused, ctx, () => readSelection(deps, folderId, input));
  const target: Target = { ...refused, name: first?.folder?.name };
  const result = first && (await takeFiles(deps, first, (chain) => linkReaches(link.folderId, chain)));
  if (!result) return deny(deps, linkActor(link), target, ctx);
  if (!link.maxDownloads || !result.taken.length)
    return issueAll(deps, result.folder, result.taken, linkActor(link), first.nextCursor, ctx);
  // A limited link: each file is one of its downloads. The batch takes as many as are left (atomically,
  // before any event); the files beyond them are left out, as unreachable ones are, and the page ends.
  const left = link.maxDownloads - (link.downloads ?? 0);
  const taken = result.taken.slice(0, Math.max(0, left));
  if (!taken.length || !(await deps.links.takeDownloads(link.tokenHash, link.maxDownloads, taken.length)))
    return deny(deps, linkActor(link), target, ctx);
  try {
    const more = taken.length === result.taken.length ? first.nextCursor : undefined;
    return await issueAll(deps, result.folder, taken, linkActor(link), more, ctx);
  } catch (err) {
    await deps.links
      .giveBackDownload(link.tokenHash, taken.length)
      .catch((undo) =>
        ctx.log.error('a limited link lost downloads to a failed request', { err: undo, linkId: link.id }),
      );
    throw err;
  }
}
