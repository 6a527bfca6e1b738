/**
 * What the use cases share about access: who is asking (the ctx types), a
 * node's verified ancestry, the portal's session, the one way to say "not
 * found" to a client, and the audit-first download. No use case imports
 * another one's internals; what two of them need lives here (or in views.ts,
 * client-views.ts, accounts.ts, branding.ts, rate-limit.ts).
 */

import { isLive } from '../domain/access.ts';
import { fileAsksAcknowledgement } from '../domain/acknowledgement.ts';
import { newEvent } from '../domain/activity.ts';
import { canThumbnail, type Disposition, THUMBNAILS_PER_PAGE } from '../domain/download.ts';
import {
  type ActivityEvent,
  type Actor,
  currentObjectKey,
  type FileNode,
  type FolderNode,
  type Grant,
  type Node,
  ROOT_ID,
  type Target,
  type UserProfile,
} from '../domain/model.ts';
import { type ChainState, checkChain, parentOf, pathNames } from '../domain/tree.ts';
import { NotFound } from '../lib/errors.ts';
import type { Caller } from '../lib/http.ts';
import type { Log, Needs } from './ports.ts';
import { failed } from './rate-limit.ts';

/** Every request: when, from where, and its logger (undo steps that fail are logged there). */
export interface RequestCtx {
  now: Date;
  ip: string;
  userAgent: string;
  log: Log;
}

/** A staff request: the acting staff member is the actor of its events. */
export interface StaffCtx extends RequestCtx {
  actor: Actor;
}

/** A signed-in web user's request, before their account is checked. */
export interface PortalCtx extends RequestCtx {
  caller: Caller;
}

/** A share-link or invitation request: no account, the token is the credential (and the link's password). */
export type LinkCtx = RequestCtx & { password?: string };

/** Stores one event of this request (resolves only once it is stored). */
export function record(
  deps: Needs<'activity'>,
  ctx: RequestCtx,
  event: Omit<ActivityEvent, 'id' | 'at' | 'ip' | 'userAgent'>,
): Promise<void> {
  return deps.activity.putEvent(newEvent({ ...event, ip: ctx.ip, userAgent: ctx.userAgent }, ctx.now));
}

// ---- the tree --------------------------------------------------------------------

/**
 * A node together with its ancestry: one BatchGet brings the ancestor folders
 * (for clients, together with the node or their grants' folders) so the chain
 * check and the breadcrumbs cost one round trip. A stale chain (a move still
 * rewriting the subtree, or one that crashed half-way) is resolved by walking
 * parent pointers and repaired, so it heals on first read.
 */
export interface Chain {
  state: ChainState;
  /** Ancestors that hold (root..parent). */
  ancestors: string[];
  byId: Map<string, FolderNode>;
}

/** Builds the chain state from already-fetched folders (no I/O). */
function chainFrom(node: Node, folders: Map<string, FolderNode>): Chain {
  const byId = new Map<string, FolderNode>();
  for (const id of node.ancestors) {
    const folder = folders.get(id);
    if (folder) byId.set(id, folder);
  }
  const state = checkChain(
    { id: node.id, name: node.name, parentId: parentOf(node), ancestors: node.ancestors, trashedAt: node.trashedAt },
    byId,
  );
  return { state, ancestors: node.ancestors, byId };
}

/** Walks parent pointers up to the root; slow, only for stale chains. */
async function walkUp(
  deps: Needs<'nodes'>,
  node: Node,
): Promise<{ ancestors: string[]; byId: Map<string, FolderNode>; trashed: boolean } | undefined> {
  const byId = new Map<string, FolderNode>();
  const up: string[] = [];
  let current = parentOf(node);
  for (let depth = 0; current !== ROOT_ID; depth++) {
    if (depth > 100) return undefined;
    const f = await deps.nodes.getFolder(current);
    if (!f) return undefined;
    if (f.trashedAt) return { ancestors: [], byId, trashed: true };
    byId.set(f.id, f);
    up.unshift(f.id);
    current = f.parentId;
  }
  return { ancestors: [ROOT_ID, ...up], byId, trashed: false };
}

/**
 * The node's true chain: the stored one when it holds, else the walked one. `fetched` are folders
 * already read in this request's first round (the ancestors). Staff and jobs (deps with
 * `nodeWrites`) also repair the node's stored ancestry; the client functions answer from the walked
 * chain and write nothing (their roles may not write node items), so a stale node heals when staff
 * next read it, or when the move that left it stale finishes its rewrite.
 */
export async function resolveChain(
  deps: Needs<'nodes'> & Partial<Needs<'nodeWrites'>>,
  node: Node,
  fetched?: Map<string, FolderNode>,
): Promise<Chain> {
  const folders = fetched ?? (await deps.nodes.getFolders(node.ancestors));
  const chain = chainFrom(node, folders);
  if (chain.state !== 'stale') return chain;
  const walked = await walkUp(deps, node);
  if (!walked) return { state: 'stale', ancestors: node.ancestors, byId: chain.byId };
  if (walked.trashed) return { state: 'trashed', ancestors: node.ancestors, byId: walked.byId };
  if (deps.nodeWrites) await deps.nodeWrites.setAncestors(node.kind, node.id, walked.ancestors);
  node.ancestors = walked.ancestors;
  return { state: 'ok', ancestors: walked.ancestors, byId: walked.byId };
}

/** Where each grant's folder is, and whether it is still reachable: one BatchGet for all of them. */
export async function grantPaths(deps: Needs<'nodes' | 'clock'>, grants: Grant[]) {
  const folders = await deps.nodes.getFolders(grants.flatMap((g) => [g.folderId, ...g.ancestors]));
  const out = [];
  for (const g of grants) {
    const folder = folders.get(g.folderId);
    const chain = folder ? await resolveChain(deps, folder, folders) : undefined;
    out.push({
      folderId: g.folderId,
      name: folder?.name ?? null,
      path: folder && chain ? [...pathNames(chain.ancestors, chain.byId), folder.name] : [],
      expiresAt: g.expiresAt ?? null,
      grantedAt: g.grantedAt,
      // The container's clock, not the request's: what staff see is "live right now".
      live: !!folder && chain?.state === 'ok' && isLive(g, deps.clock.now()),
    });
  }
  return out;
}

// ---- clients ---------------------------------------------------------------------

export interface Session {
  profile: UserProfile;
  grants: Grant[];
  actor: Actor;
}

/** Starts every portal request: profile + grants, and the sign-in/last-seen mark, in one round. */
export async function session<T>(
  deps: Needs<'users' | 'activity'>,
  ctx: PortalCtx,
  alongside: () => Promise<T>,
): Promise<{ s?: Session; extra: T }> {
  const [user, extra, newSignIn] = await Promise.all([
    deps.users.getUserWithGrants(ctx.caller.sub),
    alongside(),
    deps.users.touchSession(ctx.caller.sub, ctx.caller.authTime ?? 'unknown', ctx.now).catch((err) => {
      // Best effort: the request goes on; last seen stays older and this sign-in may get no event.
      ctx.log.warn('session state not written: last seen and the sign-in event left for a later request', { err });
      return false;
    }),
  ]);
  const p = user.profile;
  if (p?.kind !== 'webuser' || p.status !== 'active') return { extra };
  const actor: Actor = { kind: 'webuser', id: p.id, email: p.email, name: p.name };
  if (newSignIn) await record(deps, ctx, { type: 'signin', actor });
  return { s: { profile: p, grants: user.grants, actor }, extra };
}

/**
 * Records the denial, then answers exactly as for something that does not exist. A signed-in client's
 * denials are counted like failed token guesses (each in one conditional write): past the limit the
 * answer is 429 and nothing more is recorded, so probing cannot grow the audit log without bound.
 */
export async function deny(
  deps: Needs<'activity'> & Partial<Needs<'rateLimits' | 'config'>>,
  actor: Actor,
  target: Target,
  ctx: RequestCtx,
): Promise<never> {
  if (actor.kind === 'webuser' && deps.rateLimits && deps.config) {
    await failed({ rateLimits: deps.rateLimits, config: deps.config }, 'denied', ctx, {
      subjects: [`user:${actor.id}`],
      previous: [0],
    });
  }
  await record(deps, ctx, { type: 'access.denied', actor, target }).catch((err) =>
    // Best effort: the answer is the same 404 either way; only the log line says it was tried.
    ctx.log.warn('access.denied event not stored', { err, actor: actor.id, target: target.id }),
  );
  throw new NotFound();
}

/**
 * A client looked at a folder: the event carries the path they saw (and the files whose thumbnails the
 * page showed), and sits under every folder above it.
 */
export function recordListing(
  deps: Needs<'activity'>,
  ctx: RequestCtx,
  type: 'folder.listed' | 'link.opened',
  actor: Actor,
  target: Target,
  chain: Chain,
  thumbnails: string[] = [],
): Promise<void> {
  return record(deps, ctx, {
    type,
    actor,
    target: { ...target, path: pathNames(chain.ancestors, chain.byId) },
    within: chain.ancestors,
    ...(thumbnails.length ? { details: { thumbnails } } : {}),
  });
}

/**
 * Thumbnails for the images of a listing page: short-lived inline URLs (minted locally, no request),
 * at most THUMBNAILS_PER_PAGE. The caller records them in the listing's event before answering.
 */
export async function thumbnailUrls(deps: Needs<'files'>, files: FileNode[]): Promise<Map<string, string>> {
  const chosen = files.filter(canThumbnail).slice(0, THUMBNAILS_PER_PAGE);
  const urls = await Promise.all(
    chosen.map((f) => deps.files.mintDownloadUrl(currentObjectKey(f), f.name, f.contentType, 'inline')),
  );
  return new Map(chosen.map((f, i) => [f.id, urls[i].url]));
}

/** A look (inline: shown in the page) or a download (attachment): the event type that records it. */
export const deliveryType = (disposition: Disposition) => (disposition === 'inline' ? 'preview' : 'download');

/** Audit first: the event is stored, then the URL is minted. Clients only ever get the current version. */
/**
 * The client opened the file (a look, a download, a confirmation): it leaves their unopened deliveries.
 * Written in the round of the event; best effort, since the reminders job checks the log again before mailing.
 */
function markOpened(deps: Needs<'deliveries'>, actor: Actor, file: FileNode, ctx: RequestCtx): Promise<void> {
  // Deliveries are a client's (a web user's or a link's); staff opening a file opens nothing for them.
  if (actor.kind === 'staff') return Promise.resolve();
  return deps.deliveries.markOpened(actor.id, file.id, ctx.now.toISOString()).catch((err) => {
    ctx.log.warn('delivery not marked opened: the reminders job will find the open in the log', { err });
  });
}

export async function issueDownload(
  deps: Needs<'activity' | 'deliveries' | 'files'>,
  file: FileNode,
  actor: Actor,
  chain: Chain,
  disposition: Disposition,
  ctx: RequestCtx,
) {
  const [stored] = await Promise.allSettled([
    recordDownload(deps, file, actor, chain, disposition, ctx),
    markOpened(deps, actor, file, ctx),
  ]);
  if (stored.status === 'rejected') throw stored.reason;
  return deps.files.mintDownloadUrl(
    currentObjectKey(file),
    file.name,
    file.contentType,
    disposition,
    // The bytes completed for this version, whatever was written to the key since.
    file.s3VersionId,
  );
}

/** A file as an event names it: with its path at the time, and the version it is at. */
const fileTarget = (file: FileNode, chain: Chain): Target => ({
  kind: 'file',
  id: file.id,
  name: file.name,
  path: pathNames(chain.ancestors, chain.byId),
  versionId: file.currentVersionId,
});

function recordDownload(
  deps: Needs<'activity'>,
  file: FileNode,
  actor: Actor,
  chain: Chain,
  disposition: Disposition,
  ctx: RequestCtx,
) {
  return record(deps, ctx, {
    type: deliveryType(disposition),
    actor,
    target: fileTarget(file, chain),
    within: chain.ancestors,
    details: { size: file.size, disposition, ...contentHash(file) },
  });
}

/** The current version's SHA-256 and who checked it, for the events that prove what was handed over. */
const contentHash = (file: FileNode) =>
  file.sha256 ? { sha256: file.sha256, ...(file.verifiedBy ? { verifiedBy: file.verifiedBy } : {}) } : {};

/**
 * A client confirms receipt of the file's current version, when the file asks for it (else the same 404
 * as for anything not theirs). Recorded once per version and client: the confirmation item is written
 * first (a conditional put), then its `acknowledged` event; a second call writes nothing. No document
 * data changes.
 */
export async function acknowledge(
  deps: Needs<'activity' | 'deliveries'>,
  file: FileNode,
  actor: Actor,
  chain: Chain,
  ctx: RequestCtx,
): Promise<void> {
  if (!fileAsksAcknowledgement(file, chain.byId)) throw new NotFound();
  const event = newEvent(
    {
      type: 'acknowledged',
      actor,
      target: fileTarget(file, chain),
      within: chain.ancestors,
      details: { versionId: file.currentVersionId, size: file.size, sha256: file.sha256 ?? null, ...contentHash(file) },
      ip: ctx.ip,
      userAgent: ctx.userAgent,
    },
    ctx.now,
  );
  const ack = {
    fileId: file.id,
    versionId: file.currentVersionId,
    actorId: actor.id,
    eventId: event.id,
    at: event.at,
    ...(file.sha256 ? { sha256: file.sha256 } : {}),
  };
  // Confirmed before (in this folder or before a move): the listing's hint is written where the file is now.
  if (!(await deps.activity.putAcknowledgement(ack))) return deps.activity.markAcknowledgedIn(ack, file.folderId);
  try {
    await Promise.all([
      deps.activity.putEvent(event),
      markOpened(deps, actor, file, ctx),
      deps.activity.markAcknowledgedIn(ack, file.folderId),
    ]);
  } catch (err) {
    // No event, no confirmation: the client's retry records both.
    await Promise.all([
      deps.activity.deleteAcknowledgement(ack),
      deps.activity.unmarkAcknowledgedIn(ack, file.folderId),
    ]).catch((undoErr) =>
      ctx.log.error('acknowledgement left without its event', { err: undoErr, fileId: file.id, actor: actor.id }),
    );
    throw err;
  }
}
