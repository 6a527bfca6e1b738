/**
 * The staff side of documents: folders, uploads, versions, trash.
 * Each exported function is one API operation; handlers in functions/http/staff
 * validate input and call exactly one of these.
 */

import { fileAsksAcknowledgement } from '../domain/acknowledgement.ts';
import { parseClientCode, parseTaxId } from '../domain/client-ids.ts';
import type { Disposition } from '../domain/download.ts';
import { type ListOrder, orderOf } from '../domain/listing.ts';
import {
  currentObjectKey,
  type FileNode,
  type FileVersion,
  type FolderNode,
  type Node,
  type NodeChanges,
  objectKeyOf,
  ROOT_ID,
} from '../domain/model.ts';
import { claimIsAbandoned, nameKey, normalizeName } from '../domain/names.ts';
import { parseQuery } from '../domain/search.ts';
import { breadcrumbs, childAncestors, isInsideSubtree, MAX_DEPTH, parentOf, virtualRoot } from '../domain/tree.ts';
import {
  CHECKSUM_PART_PAGE_MAX,
  FIRST_PART_PAGE,
  partBytes,
  partChecksums,
  partPage,
  recordedChecksum,
  uploadPlan,
  uploadUrlSeconds,
  uploadWindowSeconds,
} from '../domain/uploads.ts';
import { Conflict, Invalid, NotFound } from '../lib/errors.ts';
import { ulid } from '../lib/ids.ts';
import { deliveryType, record, resolveChain, type StaffCtx, thumbnailUrls } from './access.ts';
import { type BulkInput, issueAll, readSelection, takeFiles } from './bulk-download.ts';
import { claimClientIds } from './client-identity.ts';
import { findByName, type SearchPage } from './name-search.ts';
import type { Needs } from './ports.ts';
import { fileView, folderView, versionView } from './views.ts';

type Page = { limit: number; cursor?: string } & Partial<ListOrder>;
/** Trash and restore: the tree, and the log they write to. */
type Documents = Needs<'nodes' | 'nodeWrites' | 'activity' | 'config'>;
type Uploads = Needs<'nodes' | 'nodeWrites' | 'activity' | 'files' | 'config'>;
/** A name claim as a create, move or upload makes it (claimedAt lets a crashed create's claim be taken). */
type NameClaimOwner = { kind: Node['kind']; id: string; claimedAt: string; pendingUntil?: string };
const nowIso = (ctx: StaffCtx) => ctx.now.toISOString();

/** A live folder (not trashed); the virtual root always exists. */
async function liveFolder(deps: Needs<'nodes' | 'config'>, id: string): Promise<FolderNode> {
  if (id === ROOT_ID) return virtualRoot(deps.config.companyName);
  const f = await deps.nodes.getFolder(id);
  if (!f || f.trashedAt) throw new NotFound();
  return f;
}

/**
 * Claims `name` inside `parentId` for `owner`. If someone holds it, the claim
 * is taken over only when it is provably abandoned: an upload never completed
 * past its deadline, or a create whose node was never written.
 */
async function claimOrConflict(
  deps: Needs<'nodes' | 'nodeWrites'>,
  parentId: string,
  name: string,
  owner: NameClaimOwner,
  now: Date,
): Promise<void> {
  const { nodes, nodeWrites } = deps;
  if (await nodeWrites.claimName(parentId, name, owner)) return;
  const holder = await nodes.getClaim(parentId, name);
  if (!holder) {
    if (await nodeWrites.claimName(parentId, name, owner)) return;
  } else {
    const node = holder.kind === 'folder' ? await nodes.getFolder(holder.id) : await nodes.getFile(holder.id);
    if (claimIsAbandoned(holder, !!node, now) && (await nodeWrites.replaceClaim(parentId, name, holder.id, owner)))
      return;
  }
  throw new Conflict(`An item named "${name}" already exists in this folder.`, 'name_taken');
}

/** Claims the name and reads the parent together; a parent that is gone releases the claim. */
async function claimInLiveFolder(
  deps: Needs<'nodes' | 'nodeWrites' | 'config'>,
  parentId: string,
  name: string,
  owner: NameClaimOwner,
  now: Date,
): Promise<FolderNode> {
  // The parent read and the name claim are independent: run them together.
  const [parentResult, claimResult] = await Promise.allSettled([
    liveFolder(deps, parentId),
    claimOrConflict(deps, parentId, name, owner, now),
  ]);
  if (parentResult.status === 'rejected') {
    if (claimResult.status === 'fulfilled') await deps.nodeWrites.releaseClaim(parentId, name, owner.id);
    throw parentResult.reason;
  }
  if (claimResult.status === 'rejected') throw claimResult.reason;
  return parentResult.value;
}

// ---- folders -----------------------------------------------------------------

/**
 * The first page of a staff listing shows its images small: their thumbnail URLs, recorded as one
 * `preview` event on the folder (audit first: no URL without its event).
 */
async function withThumbnails(
  deps: Needs<'files' | 'activity'>,
  folder: FolderNode,
  files: FileNode[],
  page: Page,
  ctx: StaffCtx,
  above: Map<string, FolderNode> = new Map(),
) {
  const byId = new Map(above).set(folder.id, folder);
  const thumbs = page.cursor ? new Map<string, string>() : await thumbnailUrls(deps, files);
  if (thumbs.size)
    await record(deps, ctx, {
      type: 'preview',
      actor: ctx.actor,
      target: { kind: 'folder', id: folder.id, name: folder.name },
      within: folder.id === ROOT_ID ? [] : folder.ancestors,
      details: { thumbnails: [...thumbs.keys()] },
    });
  return files.map((f) => ({
    ...fileView(f, fileAsksAcknowledgement(f, byId)),
    ...(thumbs.has(f.id) ? { thumbnailUrl: thumbs.get(f.id) } : {}),
  }));
}

export async function openFolder(
  deps: Needs<'nodes' | 'settings' | 'files' | 'activity'>,
  id: string,
  page: Page,
  ctx: StaffCtx,
) {
  const { nodes, settings: company } = deps;
  if (id === ROOT_ID) {
    const [children, settings] = await Promise.all([
      nodes.listChildren(ROOT_ID, page.limit, page.cursor, orderOf(page)),
      company.getSettings(),
    ]);
    const root = virtualRoot(settings.name);
    return {
      folder: folderView(root),
      path: [{ id: ROOT_ID, name: root.name }],
      folders: children.folders.map(folderView),
      files: await withThumbnails(deps, root, children.files, page, ctx),
      nextCursor: children.nextCursor,
    };
  }
  const folder = await nodes.getFolder(id);
  if (!folder || folder.trashedAt) throw new NotFound();
  const [ancestors, children, settings] = await Promise.all([
    nodes.getFolders(folder.ancestors),
    nodes.listChildren(id, page.limit, page.cursor, orderOf(page)),
    company.getSettings(),
  ]);
  const chain = await resolveChain(deps, folder, ancestors);
  if (chain.state !== 'ok') throw new NotFound();
  return {
    folder: folderView(folder),
    // The root crumb is the company's name as the admin set it.
    path: breadcrumbs(folder, chain.byId, settings.name),
    folders: children.folders.map(folderView),
    files: await withThumbnails(deps, folder, children.files, page, ctx, chain.byId),
    nextCursor: children.nextCursor,
  };
}

export async function createFolder(
  deps: Needs<'nodes' | 'nodeWrites' | 'config'>,
  input: { parentId: string; name: string },
  ctx: StaffCtx,
) {
  const name = normalizeName(input.name);
  const id = ulid(ctx.now.getTime());
  const at = nowIso(ctx);
  const owner = { kind: 'folder' as const, id, claimedAt: at };
  const parent = await claimInLiveFolder(deps, input.parentId, name, owner, ctx.now);
  const ancestors = childAncestors(parent);
  if (ancestors.length > MAX_DEPTH) {
    await deps.nodeWrites.releaseClaim(input.parentId, name, id);
    throw new Invalid(`parentId: folders nest at most ${MAX_DEPTH} levels deep.`, 'parentId', 'depth');
  }
  const folder: FolderNode = {
    kind: 'folder',
    id,
    name,
    parentId: parent.id,
    ancestors,
    version: 1,
    createdAt: at,
    updatedAt: at,
    createdBy: ctx.actor.id,
  };
  await deps.nodeWrites.putNewFolder(folder);
  return folderView(folder);
}

/** Rewrites the stored ancestry of everything live beneath a moved folder. */
async function rewriteSubtree(deps: Needs<'nodes' | 'nodeWrites'>, folder: FolderNode): Promise<void> {
  const { nodes, nodeWrites } = deps;
  const queue: Array<{ id: string; ancestors: string[] }> = [{ id: folder.id, ancestors: folder.ancestors }];
  while (queue.length) {
    const current = queue.shift()!;
    const below = childAncestors(current);
    let cursor: string | undefined;
    do {
      const page = await nodes.listChildren(current.id, 500, cursor);
      await Promise.all([
        ...page.folders.map((f) => nodeWrites.setAncestors('folder', f.id, below)),
        ...page.files.map((f) => nodeWrites.setAncestors('file', f.id, below)),
      ]);
      queue.push(...page.folders.map((f) => ({ id: f.id, ancestors: below })));
      cursor = page.nextCursor;
    } while (cursor);
  }
}

/** What PATCH /folders/{id} and PATCH /files/{id} may change besides the name and the parent. */
type Settable = Pick<
  NodeChanges,
  'receiptsToUploader' | 'taxId' | 'clientCode' | 'requiresAcknowledgement' | 'reminders'
>;
type FolderChanges = { name?: string; parentId?: string; version: number } & Settable;

async function renameOrMove<T extends Node>(
  deps: Needs<'nodes' | 'nodeWrites' | 'config'>,
  node: T,
  input: { name?: string; parentId?: string; version: number } & Settable,
  ctx: StaffCtx,
): Promise<T> {
  const { nodes, nodeWrites } = deps;
  if (node.version !== input.version)
    throw new Conflict('This item was changed by someone else. Reload and try again.', 'stale_version');
  const oldParent = parentOf(node);
  const name = input.name !== undefined ? normalizeName(input.name) : node.name;
  const newParentId = input.parentId ?? oldParent;
  let ancestors = node.ancestors;
  if (newParentId !== oldParent) {
    const target = await liveFolder(deps, newParentId);
    if (node.kind === 'folder' && isInsideSubtree(node.id, target))
      throw new Invalid('parentId: a folder cannot move into itself or a folder inside it.', 'parentId', 'into_itself');
    ancestors = childAncestors(target);
    if (ancestors.length > MAX_DEPTH)
      throw new Invalid(`parentId: folders nest at most ${MAX_DEPTH} levels deep.`, 'parentId', 'depth');
  }
  const claimChanges = newParentId !== oldParent || nameKey(name) !== nameKey(node.name);
  if (claimChanges)
    await claimOrConflict(deps, newParentId, name, { kind: node.kind, id: node.id, claimedAt: nowIso(ctx) }, ctx.now);
  const updated = await nodeWrites.updateNode(
    node,
    input.version,
    {
      name,
      parent: newParentId,
      ancestors,
      receiptsToUploader: input.receiptsToUploader,
      taxId: input.taxId,
      clientCode: input.clientCode,
      requiresAcknowledgement: input.requiresAcknowledgement,
      // Files have no reminders rule of their own: their folders' (or the company's) applies.
      ...(node.kind === 'folder' ? { reminders: input.reminders } : {}),
    },
    ctx.now.toISOString(),
  );
  if (!updated) {
    if (claimChanges) await nodeWrites.releaseClaim(newParentId, name, node.id);
    throw new Conflict('This item was changed by someone else. Reload and try again.', 'stale_version');
  }
  if (claimChanges) await nodeWrites.releaseClaim(oldParent, node.name, node.id);
  if (updated.kind === 'folder' && newParentId !== oldParent) await rewriteSubtree(deps, updated as FolderNode);
  return updated;
}

export async function updateFolder(
  deps: Needs<'nodes' | 'nodeWrites' | 'clientIds' | 'config'>,
  id: string,
  input: FolderChanges,
  ctx: StaffCtx,
) {
  if (id === ROOT_ID) throw new Invalid('id: the root folder cannot be renamed or moved.', 'id', 'root');
  const taxId = input.taxId ? parseTaxId(input.taxId) : input.taxId;
  const clientCode = input.clientCode ? parseClientCode(input.clientCode) : input.clientCode;
  const folder = await deps.nodes.getFolder(id);
  if (!folder || folder.trashedAt) throw new NotFound();
  if (folder.version !== input.version)
    throw new Conflict('This item was changed by someone else. Reload and try again.', 'stale_version');
  // The tax id and client code are claimed first, the old ones released once the folder holds the new.
  const ids = await claimClientIds(deps, folder, { taxId, clientCode }, ctx);
  let updated: FolderNode;
  try {
    updated = await renameOrMove(deps, folder, { ...input, taxId, clientCode }, ctx);
  } catch (e) {
    await ids.undo();
    throw e;
  }
  await ids.release();
  return folderView(updated);
}

export async function updateFile(
  deps: Needs<'nodes' | 'nodeWrites' | 'config'>,
  id: string,
  input: { name?: string; folderId?: string; version: number; requiresAcknowledgement?: boolean | null },
  ctx: StaffCtx,
) {
  const file = await deps.nodes.getFile(id);
  if (!file || file.trashedAt) throw new NotFound();
  const changes = {
    name: input.name,
    parentId: input.folderId,
    version: input.version,
    requiresAcknowledgement: input.requiresAcknowledgement,
  };
  const updated = await renameOrMove(deps, file, changes, ctx);
  // What the answer says of acknowledgement includes the folders' settings: read the chain.
  const chain = await resolveChain(deps, updated);
  return fileView(updated, fileAsksAcknowledgement(updated, chain.byId));
}

export async function trashItem(deps: Documents, kind: Node['kind'], id: string, ctx: StaffCtx): Promise<void> {
  const { nodes, nodeWrites } = deps;
  if (id === ROOT_ID) throw new Invalid('id: the root folder cannot be trashed.', 'id', 'root');
  const node = kind === 'folder' ? await nodes.getFolder(id) : await nodes.getFile(id);
  if (!node || node.trashedAt) throw new NotFound();
  if (!(await nodeWrites.trashNode(node, ctx.actor.id, nowIso(ctx)))) throw new NotFound();
  // The name is free again; restoring re-claims it.
  await nodeWrites.releaseClaim(parentOf(node), node.name, node.id);
  await record(deps, ctx, { type: 'item.trashed', actor: ctx.actor, target: { kind, id, name: node.name } });
}

/**
 * What is in the trash, newest first, each with where it was (the folders above it, by name) and who
 * trashed it: one query, then one round for the folders' names, the staff and the company's name.
 */
export async function listTrash(deps: Needs<'nodes' | 'users' | 'settings'>, page: Page) {
  const { items, nextCursor } = await deps.nodes.listTrash(page.limit, page.cursor);
  const [folders, people, settings] = await Promise.all([
    deps.nodes.getFolders([...new Set(items.flatMap((n) => n.ancestors))]),
    deps.users.getProfiles([...new Set(items.map((n) => n.trashedBy!))]),
    deps.settings.getSettings(),
  ]);
  return {
    items: items.map((n) => ({
      kind: n.kind,
      ...(n.kind === 'folder' ? folderView(n) : fileView(n)),
      trashedAt: n.trashedAt!,
      trashedBy: n.trashedBy!,
      trashedByEmail: people.get(n.trashedBy!)?.email ?? null,
      from: n.ancestors.map((a) => ({ id: a, name: a === ROOT_ID ? settings.name : (folders.get(a)?.name ?? '') })),
    })),
    nextCursor,
  };
}

export async function restoreItem(deps: Documents, id: string, input: { name?: string }, ctx: StaffCtx) {
  const { nodes, nodeWrites } = deps;
  const node = await nodes.findNode(id);
  if (!node?.trashedAt) throw new NotFound();
  const parent = await liveFolder(deps, parentOf(node)).catch(() => {
    throw new Conflict(
      'The folder this item was in is gone or in the trash. Restore that folder first.',
      'parent_gone',
    );
  });
  const name = input.name !== undefined ? normalizeName(input.name) : node.name;
  await claimOrConflict(deps, parent.id, name, { kind: node.kind, id: node.id, claimedAt: nowIso(ctx) }, ctx.now);
  const restored = await nodeWrites.restoreNode(node, name, nowIso(ctx));
  if (!restored) {
    await nodeWrites.releaseClaim(parent.id, name, node.id);
    throw new NotFound();
  }
  // The parent may have moved while this item was in the trash.
  const ancestors = childAncestors(parent);
  if (ancestors.join('/') !== restored.ancestors.join('/')) {
    await nodeWrites.setAncestors(restored.kind, restored.id, ancestors);
    restored.ancestors = ancestors;
    if (restored.kind === 'folder') await rewriteSubtree(deps, restored);
  }
  await record(deps, ctx, { type: 'item.restored', actor: ctx.actor, target: { kind: node.kind, id, name } });
  return { kind: restored.kind, ...(restored.kind === 'folder' ? folderView(restored) : fileView(restored)) };
}

// ---- uploads ---------------------------------------------------------------------

/** What an uploader declares: the size, the type and (from the browser, always) the content's SHA-256. */
type UploadInput = { size: number; contentType: string; sha256?: string };

/** Part URLs of a multipart upload, living as long as those parts take to send (uploadUrlSeconds). */
async function mintPartUrls(
  deps: Needs<'files' | 'config'>,
  key: string,
  plan: { uploadId: string; partSize: number; partCount: number; size: number },
  partNumbers: number[],
  checksums: string[] = [],
) {
  const bytes = partNumbers.reduce((sum, n) => sum + partBytes(plan.size, plan.partSize, n), 0);
  const seconds = uploadUrlSeconds(bytes, deps.config.uploadUrlSeconds);
  const parts = await deps.files.presignParts(
    key,
    plan.uploadId,
    partNumbers.map((partNumber, i) => ({ partNumber, ...(checksums[i] ? { sha256: checksums[i] } : {}) })),
    seconds,
  );
  return { parts, expiresAt: new Date(Date.now() + seconds * 1000).toISOString() };
}

/**
 * The upload's URLs: a POST policy that lives as long as its bytes take at the slowest line we plan for,
 * or a multipart upload with its first page of part URLs (the rest: GET .../parts, page by page). An
 * upload that declares its SHA-256 gets a policy that pins it, or a multipart upload whose part URLs each
 * sign their part's SHA-256: those come only from GET .../parts with the checksums (the uploader learns
 * the part size here), so the first page is empty.
 */
async function presign(deps: Needs<'files' | 'config'>, key: string, input: UploadInput, multipart: boolean) {
  const { size, contentType, sha256 } = input;
  if (multipart) {
    const m = await deps.files.startMultipartUpload(key, size, contentType, !!sha256);
    const first = sha256 ? [] : Array.from({ length: Math.min(FIRST_PART_PAGE, m.partCount) }, (_, i) => i + 1);
    const { parts, expiresAt } = await mintPartUrls(deps, key, { ...m, size }, first);
    return {
      upload: {
        type: 'multipart' as const,
        uploadId: m.uploadId,
        partSize: m.partSize,
        partCount: m.partCount,
        ...(sha256 ? { checksums: 'sha256' as const, checksumPageMax: CHECKSUM_PART_PAGE_MAX } : {}),
        parts,
        expiresAt,
      },
      plan: { uploadId: m.uploadId, partSize: m.partSize, partCount: m.partCount },
    };
  }
  const seconds = uploadUrlSeconds(size, deps.config.uploadUrlSeconds);
  const post = await deps.files.presignUploadPost(key, size, contentType, seconds, sha256);
  const expiresAt = new Date(Date.now() + seconds * 1000).toISOString();
  return { upload: { type: 'post' as const, url: post.url, fields: post.fields, expiresAt }, plan: undefined };
}

/** GET /files/{id}/versions/{versionId}/parts: the next page of a pending multipart upload's part URLs. */
export async function uploadPartUrls(
  deps: Needs<'nodes' | 'files' | 'config'>,
  fileId: string,
  versionId: string,
  range: { from: number; to: number; checksums?: string[] },
) {
  const version = await deps.nodes.getVersion(fileId, versionId);
  if (version?.status !== 'pending' || !version.uploadId || !version.partSize || !version.partCount)
    throw new NotFound();
  const numbers = partPage(range.from, range.to, version.partCount);
  const checksums = partChecksums(!!version.declaredSha256, numbers, range.checksums);
  return mintPartUrls(
    deps,
    version.objectKey,
    { uploadId: version.uploadId, partSize: version.partSize, partCount: version.partCount, size: version.size },
    numbers,
    checksums,
  );
}

/** Upload URLs for a new version, and its pending item (invisible until completed). */
async function openVersion(
  deps: Needs<'nodes' | 'nodeWrites' | 'files' | 'config'>,
  fileId: string,
  versionId: string,
  input: UploadInput,
  multipart: boolean,
  ctx: StaffCtx,
  first?: { pendingName: string; pendingFolderId: string },
) {
  const objectKey = objectKeyOf(fileId, versionId);
  const { upload, plan } = await presign(deps, objectKey, input, multipart);
  await deps.nodeWrites.putPendingVersion({
    fileId,
    versionId,
    status: 'pending',
    objectKey,
    size: input.size,
    contentType: input.contentType,
    ...(input.sha256 ? { declaredSha256: input.sha256 } : {}),
    ...plan,
    ...first,
    uploadedBy: ctx.actor.id,
    uploadedAt: nowIso(ctx),
  });
  return upload;
}

export async function startUpload(
  deps: Needs<'nodes' | 'nodeWrites' | 'files' | 'config'>,
  folderId: string,
  input: UploadInput & { name: string },
  ctx: StaffCtx,
) {
  const name = normalizeName(input.name);
  const { multipart } = uploadPlan(input.size, deps.config);
  const fileId = ulid(ctx.now.getTime());
  const versionId = ulid(ctx.now.getTime());
  // The name stays taken while the upload could still be going on at the slowest line we plan for.
  const pendingUntil = new Date(ctx.now.getTime() + uploadWindowSeconds(input.size) * 1000).toISOString();
  const owner = { kind: 'file' as const, id: fileId, pendingUntil, claimedAt: nowIso(ctx) };
  await claimInLiveFolder(deps, folderId, name, owner, ctx.now);
  const upload = await openVersion(deps, fileId, versionId, input, multipart, ctx, {
    pendingName: name,
    pendingFolderId: folderId,
  });
  return {
    file: { id: fileId, name, folderId, size: input.size, contentType: input.contentType, status: 'uploading' },
    versionId,
    upload,
  };
}

export async function startNewVersion(
  deps: Needs<'nodes' | 'nodeWrites' | 'files' | 'config'>,
  fileId: string,
  input: UploadInput,
  ctx: StaffCtx,
) {
  const { multipart } = uploadPlan(input.size, deps.config);
  const file = await deps.nodes.getFile(fileId);
  if (!file || file.trashedAt) throw new NotFound();
  const versionId = ulid(ctx.now.getTime());
  const upload = await openVersion(deps, fileId, versionId, input, multipart, ctx);
  return { file: fileView(file), versionId, upload };
}

export async function completeUpload(
  deps: Uploads,
  fileId: string,
  versionId: string,
  input: { parts?: Array<{ partNumber: number; etag: string; sha256?: string }> },
  ctx: StaffCtx,
) {
  const { nodes, nodeWrites, files } = deps;
  const found = await nodes.getFileAndVersion(fileId, versionId);
  const version = found.version;
  let file = found.file;
  if (!version) throw new NotFound();
  if (file?.trashedAt) throw new NotFound();

  let ready = version;
  if (version.status !== 'ready') {
    if (version.uploadId) {
      if (!input.parts?.length)
        throw new Invalid('parts: a multipart upload is completed with its parts and their ETags.', 'parts', 'parts');
      if (version.declaredSha256 && input.parts.some((p) => !p.sha256))
        throw new Invalid(
          'parts: this upload declared a sha256; each part is completed with its SHA-256 too.',
          'parts',
          'checksum_required',
        );
      await files.completeMultipartUpload(version.objectKey, version.uploadId, input.parts).catch((e) => {
        const name = (e as { name?: string }).name ?? '';
        // Already completed by an earlier call that did not finish: the HeadObject below decides.
        if (name === 'NoSuchUpload') return;
        // The uploader's parts, not our service, are wrong: a part missing, out of order or too small.
        if (['InvalidPart', 'InvalidPartOrder', 'EntityTooSmall'].includes(name))
          throw new Invalid(
            'parts: storage refused these parts (one is missing, out of order or under the minimum size).',
            'parts',
            'parts_refused',
          );
        throw e;
      });
    }
    const head = await files.headObject(version.objectKey);
    if (!head) throw new Conflict('The upload is not in storage. Upload the bytes, then complete.', 'upload_missing');
    if (head.size !== version.size)
      throw new Conflict(
        `The uploaded object has ${head.size} bytes, not the ${version.size} declared.`,
        'size_mismatch',
      );
    ready = await nodeWrites.markVersionReady(version, { ...head, ...recordedChecksum(version, head) }, nowIso(ctx));
  }

  if (!file) {
    // First upload of this file: only now does it exist for listings.
    // Only "the folder is gone" puts the file at the root; a store that did not answer is a 503 (retried),
    // never a wrong ancestry.
    const folder = await liveFolder(deps, ready.pendingFolderId!).catch((e) => {
      if (e instanceof NotFound) return undefined;
      throw e;
    });
    const ancestors = folder ? childAncestors(folder) : [ROOT_ID];
    const created: FileNode = {
      kind: 'file',
      id: fileId,
      name: ready.pendingName!,
      folderId: ready.pendingFolderId!,
      ancestors,
      currentVersionId: ready.versionId,
      size: ready.size,
      contentType: ready.contentType,
      ...(ready.sha256 ? { sha256: ready.sha256 } : {}),
      ...(ready.verifiedBy ? { verifiedBy: ready.verifiedBy } : {}),
      ...(ready.s3VersionId ? { s3VersionId: ready.s3VersionId } : {}),
      version: 1,
      createdAt: nowIso(ctx),
      updatedAt: nowIso(ctx),
      createdBy: ready.uploadedBy,
    };
    if (await nodeWrites.putNewFile(created)) {
      file = created;
      await nodeWrites.confirmClaim(created.folderId, created.name, fileId);
      await recordUpload(deps, created, versionId, ctx);
    } else {
      file = (await nodes.getFile(fileId))!;
      await finishEarlierComplete(deps, file, versionId, ctx);
    }
  } else if (file.currentVersionId < ready.versionId) {
    file = (await nodeWrites.setCurrentVersion(fileId, ready, nowIso(ctx))) ?? (await nodes.getFile(fileId))!;
    await recordUpload(deps, file, versionId, ctx);
  } else if (file.currentVersionId === ready.versionId) {
    await finishEarlierComplete(deps, file, versionId, ctx);
  }
  return { file: fileView(file), version: versionView(ready) };
}

/** The upload's event, under every folder above the file (its ancestors end with its folder). */
function recordUpload(deps: Needs<'activity'>, file: FileNode, versionId: string, ctx: StaffCtx): Promise<void> {
  return record(deps, ctx, {
    type: 'file.uploaded',
    actor: ctx.actor,
    target: { kind: 'file', id: file.id, name: file.name, versionId },
    within: file.ancestors,
  });
}

/**
 * A complete that is called again for the version already current: an earlier call made the
 * version visible and then failed (the store stopped answering) before confirming the name claim
 * or recording the upload. Finish those steps; the event is written only if it is not there.
 */
async function finishEarlierComplete(
  deps: Needs<'nodes' | 'nodeWrites' | 'activity'>,
  file: FileNode,
  versionId: string,
  ctx: StaffCtx,
): Promise<void> {
  if (file.currentVersionId !== versionId) return;
  await deps.nodeWrites.confirmClaim(file.folderId, file.name, file.id);
  // Only events since the upload started (event ids are ULIDs, like the version id) can be it.
  const { events } = await deps.activity.queryEvents(
    { targetId: file.id, type: 'file.uploaded', minId: versionId },
    1000,
  );
  if (events.some((e) => e.target?.versionId === versionId)) return;
  await recordUpload(deps, file, versionId, ctx);
}

// ---- files -----------------------------------------------------------------------

export async function fileDetails(deps: Needs<'nodes' | 'settings' | 'users'>, id: string) {
  const { file, versions } = await deps.nodes.getFileWithVersions(id);
  if (!file || file.trashedAt) throw new NotFound();
  const ready = versions.filter((v) => v.status === 'ready');
  // Who uploaded each version, in the same round as the chain.
  const [chain, settings, people] = await Promise.all([
    resolveChain(deps, file),
    deps.settings.getSettings(),
    deps.users.getProfiles([...new Set(ready.map((v) => v.uploadedBy))]),
  ]);
  if (chain.state !== 'ok') throw new NotFound();
  const path = breadcrumbs(
    {
      id: file.folderId,
      name: chain.byId.get(file.folderId)?.name ?? settings.name,
      ancestors: file.ancestors.slice(0, -1),
    },
    chain.byId,
    settings.name,
  );
  return {
    file: fileView(file, fileAsksAcknowledgement(file, chain.byId)),
    path,
    versions: ready
      .sort((a, b) => (a.versionId < b.versionId ? 1 : -1))
      .map((v) => ({
        ...versionView(v),
        uploadedByEmail: people.get(v.uploadedBy)?.email ?? null,
        uploadedByName: people.get(v.uploadedBy)?.name ?? null,
      })),
  };
}

export async function staffDownload(
  deps: Needs<'nodes' | 'activity' | 'files'>,
  id: string,
  input: { versionId?: string; disposition: Disposition },
  ctx: StaffCtx,
) {
  const { file, version } = await deps.nodes.getFileAndVersion(id, input.versionId);
  if (!file || file.trashedAt) throw new NotFound();
  const versionId = input.versionId ?? file.currentVersionId;
  let contentType = file.contentType;
  let key = currentObjectKey(file);
  let s3VersionId = file.s3VersionId;
  if (input.versionId) {
    if (version?.status !== 'ready') throw new NotFound();
    contentType = version.contentType;
    key = version.objectKey;
    s3VersionId = version.s3VersionId;
  }
  // Audit first: no event, no URL.
  await record(deps, ctx, {
    type: deliveryType(input.disposition),
    actor: ctx.actor,
    target: { kind: 'file', id, name: file.name, versionId },
    within: file.ancestors,
    details: { disposition: input.disposition },
  });
  // The bytes completed for this version, whatever was written to the key since.
  return deps.files.mintDownloadUrl(key, file.name, contentType, input.disposition, s3VersionId);
}

/**
 * Makes an older version current again: a new version item pointing at the old version's object (the
 * bytes are not copied), made current like an upload, and recorded. Clients get it from their next
 * request on; every version stays in the list.
 */
export async function restoreVersion(
  deps: Needs<'nodes' | 'nodeWrites' | 'activity'>,
  fileId: string,
  versionId: string,
  ctx: StaffCtx,
) {
  const { file, version } = await deps.nodes.getFileAndVersion(fileId, versionId);
  if (!file || file.trashedAt || version?.status !== 'ready') throw new NotFound();
  if (file.currentVersionId === versionId) return { file: fileView(file), version: versionView(version) };
  const at = nowIso(ctx);
  const copy: FileVersion = {
    fileId,
    versionId: ulid(ctx.now.getTime()),
    status: 'ready',
    objectKey: version.objectKey,
    size: version.size,
    contentType: version.contentType,
    ...(version.sha256 ? { sha256: version.sha256 } : {}),
    ...(version.verifiedBy ? { verifiedBy: version.verifiedBy } : {}),
    // The copy points at the old version's bytes, pinned as they were completed.
    ...(version.s3VersionId ? { s3VersionId: version.s3VersionId } : {}),
    ...(version.etag ? { etag: version.etag } : {}),
    uploadedBy: ctx.actor.id,
    uploadedAt: at,
    completedAt: at,
    restoredFrom: versionId,
  };
  await deps.nodeWrites.putVersionCopy(copy);
  const current = await deps.nodeWrites.setCurrentVersion(fileId, copy, at);
  if (!current) throw new Conflict('This file changed meanwhile. Reload and try again.', 'stale_version');
  await record(deps, ctx, {
    type: 'version.restored',
    actor: ctx.actor,
    target: { kind: 'file', id: fileId, name: file.name, versionId: copy.versionId },
    within: file.ancestors,
    details: { restoredFrom: versionId },
  });
  return { file: fileView(current), version: versionView(copy) };
}

/**
 * GET /search: files and folders by name anywhere in the live tree, paths from the root (named after
 * the company). Round 1: the root scope's index entries ∥ the settings; round 2: the candidates.
 */
export async function searchDocuments(deps: Needs<'nodes' | 'settings'>, q: string, page: SearchPage) {
  const words = parseQuery(q);
  const rootName = deps.settings.getSettings().then((s) => s.name);
  return findByName(deps, [ROOT_ID], words, page, () => ROOT_ID, rootName);
}

/**
 * POST /folders/{id}/downloads: up to 100 files of the folder's subtree (or of a selection in it), each
 * recorded as a single download before its URL. Round 1: Get folder ∥ the page of files beneath (or the
 * selection); round 2: the chains (and the files); then the events.
 */
export async function downloadFromFolder(
  deps: Needs<'nodes' | 'activity' | 'deliveries' | 'files'>,
  folderId: string,
  input: BulkInput,
  ctx: StaffCtx,
) {
  const first = await readSelection(deps, folderId, input);
  const result = await takeFiles(deps, first, () => true);
  if (!result) throw new NotFound();
  return issueAll(deps, result.folder, result.taken, ctx.actor, first.nextCursor, ctx);
}
