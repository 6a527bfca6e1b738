/**
 * Drop-and-route: a plan saying which client folder each dropped file goes in (from the tax id or client
 * code in its name), and the folders under it created on demand, once, however many uploads ask at once.
 */
import type { ClientIdKind, FolderNode } from '../domain/model.ts';
import { ROOT_ID } from '../domain/model.ts';
import { claimIsAbandoned } from '../domain/names.ts';
import { candidatesIn, decideRoute, expandSubPath, splitPath } from '../domain/routing.ts';
import { childAncestors, MAX_DEPTH, pathNames } from '../domain/tree.ts';
import { Conflict, Invalid, NotFound } from '../lib/errors.ts';
import { ulid } from '../lib/ids.ts';
import { resolveChain, type StaffCtx } from './access.ts';
import type { Needs } from './ports.ts';

export const MAX_PLAN_NAMES = 1000;

/**
 * POST /routing/plan: for each name, in order, the client folder it goes to (with the path the file will
 * have), or why none. Two rounds: the claims of every id the names offer (one BatchGet round), then the
 * folders they point to with their chains (one BatchGet).
 */
export async function planRouting(
  deps: Needs<'clientIds' | 'nodes'>,
  input: { names: string[]; subPath?: string },
  ctx: StaffCtx,
) {
  // A template that cannot make folder names is refused before anything is read.
  if (input.subPath !== undefined) expandSubPath(input.subPath, '', ctx.now);
  const candidates = input.names.map(candidatesIn);
  const wanted = new Map<string, { kind: ClientIdKind; value: string }>();
  for (const c of candidates) {
    for (const value of c.taxIds) wanted.set(`taxId#${value}`, { kind: 'taxId', value });
    for (const value of c.codes) wanted.set(`clientCode#${value}`, { kind: 'clientCode', value });
  }
  const claims = await deps.clientIds.getClientIdClaims([...wanted.values()]);
  const folders = await deps.nodes.getFolders([...new Set(claims.flatMap((c) => [c.folderId, ...c.ancestors]))]);
  // Only folders that are live, carry the id themselves (a claim may outlive a change that crashed), and are reachable.
  const live = new Map<string, { folder: FolderNode; path: string[] }>();
  const taxIdOwners = new Map<string, string>();
  const codeOwners = new Map<string, string>();
  for (const claim of claims) {
    const folder = folders.get(claim.folderId);
    if (!folder || folder.trashedAt || folder[claim.kind] !== claim.value) continue;
    if (!live.has(folder.id)) {
      const chain = await resolveChain(deps, folder, folders);
      if (chain.state !== 'ok') continue;
      live.set(folder.id, { folder, path: [...pathNames(chain.ancestors, chain.byId), folder.name] });
    }
    (claim.kind === 'taxId' ? taxIdOwners : codeOwners).set(claim.value, folder.id);
  }
  return {
    plan: input.names.map((name, i) => {
      const d = decideRoute(candidates[i], taxIdOwners, codeOwners);
      if (d.folderId === null) return { name, folderId: null, reason: d.reason };
      const target = live.get(d.folderId)!;
      const subPath = input.subPath !== undefined ? expandSubPath(input.subPath, name, ctx.now) : [];
      return {
        name,
        folderId: d.folderId,
        folderName: target.folder.name,
        taxId: d.taxId,
        clientCode: d.clientCode,
        subPath: subPath.join('/'),
        path: [...target.path, ...subPath],
      };
    }),
  };
}

/**
 * The folder at `path` under one folder, found or made: one segment at a time, each taken through the
 * name claim (a conditional write), so parallel calls for the same path make each folder exactly once and
 * all answer the same id. Idempotent.
 */
export async function ensurePath(
  deps: Needs<'nodes' | 'nodeWrites'>,
  folderId: string,
  input: { path: string },
  ctx: StaffCtx,
) {
  const segments = splitPath(input.path);
  if (!segments.length) throw new Invalid('path: name at least one folder.', 'path', 'empty');
  if (folderId === ROOT_ID) throw new Invalid('id: paths are made under a client folder.', 'id', 'root');
  const start = await deps.nodes.getFolder(folderId);
  if (!start || start.trashedAt) throw new NotFound();
  let parent = { id: start.id, ancestors: start.ancestors };
  const created: string[] = [];
  for (const name of segments) {
    const ancestors = childAncestors(parent);
    if (ancestors.length > MAX_DEPTH)
      throw new Invalid(`path: folders nest at most ${MAX_DEPTH} levels deep.`, 'path', 'depth');
    const id = await childFolder(deps, parent.id, ancestors, name, ctx);
    if (id.created) created.push(id.id);
    parent = { id: id.id, ancestors };
  }
  return { folderId: parent.id, created };
}

async function childFolder(
  deps: Needs<'nodes' | 'nodeWrites'>,
  parentId: string,
  ancestors: string[],
  name: string,
  ctx: StaffCtx,
): Promise<{ id: string; created: boolean }> {
  const at = ctx.now.toISOString();
  for (let attempt = 0; attempt < 3; attempt++) {
    const holder = await deps.nodes.getClaim(parentId, name);
    const id = ulid(ctx.now.getTime());
    const owner = { kind: 'folder' as const, id, claimedAt: at };
    if (holder) {
      if (holder.kind !== 'folder')
        throw new Conflict(`A file named "${name}" is where the folder should be.`, 'name_taken');
      // A claim old enough to be a create that crashed before its folder: only then is the folder read.
      const maybeOrphan = claimIsAbandoned(holder, false, ctx.now);
      if (!maybeOrphan || (await deps.nodes.getFolder(holder.id))) return { id: holder.id, created: false };
      if (!(await deps.nodeWrites.replaceClaim(parentId, name, holder.id, owner))) continue;
    } else if (!(await deps.nodeWrites.claimName(parentId, name, owner))) continue;
    await deps.nodeWrites.putNewFolder({
      kind: 'folder',
      id,
      name,
      parentId,
      ancestors,
      version: 1,
      createdAt: at,
      updatedAt: at,
      createdBy: ctx.actor.id,
    });
    return { id, created: true };
  }
  throw new Conflict('This folder is being changed. Try again.', 'busy');
}
