/**
 * The client portal: what a signed-in web user may list and download.
 * Every request decides from current data: the user's profile and grants
 * (one consistent query on their partition) and the node's ancestor chain
 * (one BatchGet). Anything not reachable is the same 404, and is recorded.
 */

import { grantRootFor } from '../domain/access.ts';
import type { Disposition } from '../domain/download.ts';
import type { ListOrder } from '../domain/listing.ts';
import type { Actor, Target } from '../domain/model.ts';
import { parseQuery } from '../domain/search.ts';
import { NotFound, Unauthorized } from '../lib/errors.ts';
import type { Caller } from '../lib/http.ts';
import {
  acknowledge,
  deny,
  issueDownload,
  type PortalCtx,
  recordListing,
  resolveChain,
  session,
  thumbnailUrls,
} from './access.ts';
import { companyView } from './branding.ts';
import { type BulkInput, issueAll, readSelection, takeFiles } from './bulk-download.ts';
import { clientListing, folderForWebuser, searchUnderGrants, topsForGrants } from './client-views.ts';
import type { SearchPage } from './name-search.ts';
import type { Needs } from './ports.ts';

type Portal = Needs<'nodes' | 'users' | 'activity'>;

const anonymousActor = (ctx: PortalCtx): Actor => ({ kind: 'webuser', id: ctx.caller.sub });

/** GET /me: who the token belongs to, for any signed-in user (staff or web user). */
export async function signedInUser(deps: Needs<'users'>, caller: Caller) {
  const profile = await deps.users.getProfile(caller.sub);
  if (profile?.status === 'disabled') throw new Unauthorized('This account is disabled.');
  return { id: caller.sub, email: profile?.email ?? null, name: profile?.name ?? null, groups: caller.groups };
}

export async function portalMe(deps: Needs<'users' | 'activity' | 'settings' | 'files'>, ctx: PortalCtx) {
  const { s, extra: settings } = await session(deps, ctx, () => deps.settings.getSettings());
  if (!s) throw new Unauthorized('This account is not active.');
  return {
    user: { id: s.profile.id, email: s.profile.email, name: s.profile.name, language: s.profile.language },
    company: await companyView(deps, settings),
  };
}

/** The tops of what the signed-in user can see: granted folders not inside another granted folder. */
export async function portalFolders(deps: Portal, ctx: PortalCtx) {
  const { s } = await session(deps, ctx, async () => undefined);
  if (!s) throw new NotFound();
  return topsForGrants(deps, s.grants, ctx.now);
}

export async function portalFolder(
  deps: Portal & Needs<'files'>,
  folderId: string,
  page: { limit: number; cursor?: string } & Partial<ListOrder>,
  ctx: PortalCtx,
) {
  const { s, extra: folder } = await session(deps, ctx, () => deps.nodes.getFolder(folderId));
  const target: Target = { kind: 'folder', id: folderId, name: folder?.name };
  if (!s) return deny(deps, anonymousActor(ctx), target, ctx);
  const result = await folderForWebuser(deps, s.grants, folderId, page, ctx.now, folder, s.actor.id);
  if (!result) return deny(deps, s.actor, target, ctx);
  if (page.cursor) return result.listing;
  // The first page shows its images small: those thumbnails are named in the listing's event.
  const thumbs = await thumbnailUrls(deps, result.children.files);
  await recordListing(deps, ctx, 'folder.listed', s.actor, target, result.chain, [...thumbs.keys()]);
  return clientListing(result.node, result.chain.byId, result.viewRoot, result.children, thumbs, result.confirmed);
}

export async function portalDownload(
  deps: Portal & Needs<'files' | 'deliveries'>,
  fileId: string,
  disposition: Disposition,
  ctx: PortalCtx,
) {
  const { s, file, chain } = await reachableFile(deps, fileId, ctx);
  return issueDownload(deps, file, s.actor, chain, disposition, ctx);
}

/** The signed-in user's session, a live file their grants reach, and its chain; else the one denial. */
async function reachableFile(deps: Portal, fileId: string, ctx: PortalCtx) {
  const { s, extra: file } = await session(deps, ctx, () => deps.nodes.getFile(fileId));
  const target: Target = { kind: 'file', id: fileId, name: file?.name };
  if (!s) return deny(deps, anonymousActor(ctx), target, ctx);
  if (!file || file.trashedAt) return deny(deps, s.actor, target, ctx);
  // Decided on the verified chain only: the stored one may be stale (a move still rewriting the
  // subtree), and deciding from it would refuse a client whose grant reaches the file's new place.
  const chain = await resolveChain(deps, file);
  if (chain.state !== 'ok' || !grantRootFor(chain.ancestors, s.grants, ctx.now))
    return deny(deps, s.actor, target, ctx);
  return { s, file, chain };
}

/**
 * GET /portal/search: names under the user's live grants only, paths starting at the granted folder.
 * Round 1: profile + grants (the scopes are the tops of the live grants); round 2: one Query per top;
 * round 3: the candidates and their chains, checked as they are now.
 */
export async function portalSearch(deps: Portal, q: string, page: SearchPage, ctx: PortalCtx) {
  const words = parseQuery(q);
  const { s } = await session(deps, ctx, async () => undefined);
  if (!s) throw new NotFound();
  return searchUnderGrants(deps, s.grants, words, page, ctx.now);
}

/**
 * POST /portal/folders/{id}/downloads: the files of a folder a grant reaches (all of its subtree, a page
 * at a time, or a selection), each recorded before its URL; files out of reach are left out silently.
 * Round 1: profile + grants ∥ Get folder ∥ the page of files; round 2: the chains (and the files).
 */
export async function portalFolderDownload(
  deps: Portal & Needs<'files' | 'deliveries'>,
  folderId: string,
  input: BulkInput,
  ctx: PortalCtx,
) {
  const { s, extra: first } = await session(deps, ctx, () => readSelection(deps, folderId, input));
  const target: Target = { kind: 'folder', id: folderId, name: first.folder?.name };
  if (!s) return deny(deps, anonymousActor(ctx), target, ctx);
  const result = await takeFiles(deps, first, (chain) => !!grantRootFor(chain, s.grants, ctx.now));
  if (!result) return deny(deps, s.actor, target, ctx);
  return issueAll(deps, result.folder, result.taken, s.actor, first.nextCursor, ctx);
}

/** POST /portal/files/{id}/acknowledge: the client confirms receipt of a file of theirs that asks for it. */
export async function portalAcknowledge(
  deps: Portal & Needs<'deliveries'>,
  fileId: string,
  ctx: PortalCtx,
): Promise<void> {
  const { s, file, chain } = await reachableFile(deps, fileId, ctx);
  await acknowledge(deps, file, s.actor, chain, ctx);
}
