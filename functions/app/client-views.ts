/**
 * What a client (web user or link holder) sees of a folder: the same shape
 * for the portal, share links and the staff's "view as", built by one function.
 */

import { grantRootFor, isLive, topsOf } from '../domain/access.ts';
import { fileAsksAcknowledgement } from '../domain/acknowledgement.ts';
import { type ListOrder, orderOf } from '../domain/listing.ts';
import type { ChildPage, FileNode, FolderNode, Grant } from '../domain/model.ts';
import { breadcrumbs } from '../domain/tree.ts';
import { resolveChain } from './access.ts';
import { findByName, type SearchPage } from './name-search.ts';
import type { Needs } from './ports.ts';

export const clientFolder = (f: FolderNode) => ({ id: f.id, name: f.name, updatedAt: f.updatedAt });
export const clientFile = (
  f: FileNode,
  thumbnailUrl?: string,
  requiresAcknowledgement = false,
  acknowledged = false,
) => ({
  id: f.id,
  name: f.name,
  size: f.size,
  contentType: f.contentType,
  updatedAt: f.updatedAt,
  /** The client is asked to confirm receipt ("Confirmar recepción"). */
  requiresAcknowledgement,
  /** They already confirmed receipt of this version (a new version asks again). */
  acknowledged: requiresAcknowledgement && acknowledged,
  ...(thumbnailUrl ? { thumbnailUrl } : {}),
});

/** The listing of a folder a client may see, with breadcrumbs starting at `viewRoot`. */
export function clientListing(
  folder: FolderNode,
  byId: Map<string, FolderNode>,
  viewRoot: string,
  children: ChildPage,
  thumbnails: Map<string, string> = new Map(),
  /** `<fileId>#<versionId>` the client confirmed in this folder (activity.acknowledgedIn). */
  confirmed: Set<string> = new Set(),
) {
  const withFolder = new Map(byId).set(folder.id, folder);
  return {
    folder: clientFolder(folder),
    path: breadcrumbs(folder, byId, '', viewRoot),
    folders: children.folders.map(clientFolder),
    files: children.files.map((f) =>
      clientFile(
        f,
        thumbnails.get(f.id),
        fileAsksAcknowledgement(f, withFolder),
        confirmed.has(`${f.id}#${f.currentVersionId}`),
      ),
    ),
    ...(children.nextCursor ? { nextCursor: children.nextCursor } : {}),
  };
}

/** The tops of what a user with these grants sees; also the engine of the staff's "view as". */
export async function topsForGrants(deps: Needs<'nodes'>, grants: Grant[], now: Date) {
  const live = grants.filter((g) => isLive(g, now));
  // Each grant remembers its folder's ancestry, so nodes and chains come in one BatchGet.
  const folders = await deps.nodes.getFolders(live.flatMap((g) => [g.folderId, ...g.ancestors]));
  const reachable: FolderNode[] = [];
  for (const g of live) {
    const folder = folders.get(g.folderId);
    if (!folder || folder.trashedAt) continue;
    const chain = await resolveChain(deps, folder, folders);
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

/** What a user with these grants may see of one folder (the portal and the staff's "view as"). */
export async function folderForWebuser(
  deps: Needs<'nodes' | 'activity'>,
  grants: Grant[],
  folderId: string,
  page: { limit: number; cursor?: string } & Partial<ListOrder>,
  now: Date,
  folder?: FolderNode,
  /** The web user whose confirmations of receipt the listing shows. */
  userId?: string,
) {
  const node = folder ?? (await deps.nodes.getFolder(folderId));
  if (!node || node.trashedAt) return undefined;
  // The children (and what the user confirmed here) are read in the same round as the chain; they are only
  // shown if the chain says so.
  const [ancestors, children, confirmed] = await Promise.all([
    deps.nodes.getFolders(node.ancestors),
    deps.nodes.listChildren(node.id, page.limit, page.cursor, orderOf(page)),
    userId ? deps.activity.acknowledgedIn(node.id, userId) : new Set<string>(),
  ]);
  const chain = await resolveChain(deps, node, ancestors);
  if (chain.state !== 'ok') return undefined;
  // Decided on the verified chain only (the stored one may be stale after a move).
  const viewRoot = grantRootFor([...chain.ancestors, node.id], grants, now);
  if (!viewRoot) return undefined;
  return {
    node,
    viewRoot,
    children,
    chain,
    confirmed,
    listing: clientListing(node, chain.byId, viewRoot, children, new Map(), confirmed),
  };
}

/**
 * Names within what these grants reach, never above a grant (the portal's search, and view-as's).
 * One Query per top of the live grants (one round), then the candidates and their chains.
 */
export function searchUnderGrants(deps: Needs<'nodes'>, grants: Grant[], words: string[], page: SearchPage, now: Date) {
  const live = grants.filter((g) => isLive(g, now));
  const scopes = topsOf(live.map((g) => ({ id: g.folderId, ancestors: g.ancestors }))).map((t) => t.id);
  return findByName(deps, scopes, words, page, (chain) => grantRootFor(chain, grants, now));
}
