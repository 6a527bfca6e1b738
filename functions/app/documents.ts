/**
 * The staff side of documents: folders, uploads, versions, trash.
 * Each exported function is one API operation; handlers in functions/http/staff
 * validate input and call exactly one of these.
 */
import { config } from '../lib/config.ts';
import { Conflict, Invalid, NotFound, TooLarge } from '../lib/errors.ts';
import { ulid } from '../lib/ids.ts';
import { normalizeName } from '../domain/names.ts';
import { MAX_DEPTH, breadcrumbs, childAncestors, isInsideSubtree } from '../domain/tree.ts';
import { newEvent, type Actor } from '../domain/activity.ts';
import type { Disposition } from '../domain/download.ts';
import { ROOT_ID, fileKeys, folderKeys, nameKey } from '../store/keys.ts';
import * as nodes from '../store/nodes.ts';
import type { FileNode, FileVersion, FolderNode, Node } from '../store/nodes.ts';
import { putEvent, queryEvents } from '../store/activity.ts';
import { getSettings } from '../store/settings.ts';
import {
  completeMultipartUpload,
  headObject,
  mintDownloadUrl,
  presignUploadPost,
  startMultipartUpload,
} from '../aws/s3.ts';
import { ancestorKeys, parentOf, resolveChain } from './tree.ts';
import { fileView, folderView, rootFolder, versionView } from './views.ts';

export interface Ctx {
  actor: Actor;
  now: Date;
  ip: string;
  userAgent: string;
}

const rootName = () => config.companyName;
/** An abandoned claim (create that crashed between its two writes) is reclaimable after this. */
const ORPHAN_CLAIM_MS = 60_000;

/** A live folder (not trashed); the virtual root always exists. */
async function liveFolder(id: string): Promise<FolderNode> {
  if (id === ROOT_ID) return rootFolder(rootName());
  const f = await nodes.getFolder(id);
  if (!f || f.trashedAt) throw new NotFound();
  return f;
}

/**
 * Claims `name` inside `parentId` for `owner`. If someone holds it, the claim
 * is taken over only when it is provably abandoned: an upload never completed
 * past its deadline, or a create whose node was never written.
 */
async function claimOrConflict(
  parentId: string,
  name: string,
  owner: nodes.NameClaim & { claimedAt: string },
  now: Date,
): Promise<void> {
  if (await nodes.claimName(parentId, name, owner)) return;
  const holder = (await nodes.getClaim(parentId, name)) as (nodes.NameClaim & { claimedAt?: string }) | undefined;
  if (!holder) {
    if (await nodes.claimName(parentId, name, owner)) return;
  } else {
    const node = holder.kind === 'folder' ? await nodes.getFolder(holder.id) : await nodes.getFile(holder.id);
    const abandonedUpload = !node && holder.pendingUntil && Date.parse(holder.pendingUntil) < now.getTime();
    const orphan =
      !node &&
      !holder.pendingUntil &&
      holder.claimedAt &&
      Date.parse(holder.claimedAt) + ORPHAN_CLAIM_MS < now.getTime();
    if ((abandonedUpload || orphan) && (await nodes.replaceClaim(parentId, name, holder.id, owner))) return;
  }
  throw new Conflict(`An item named "${name}" already exists in this folder.`, 'name_taken');
}

// ---- folders -----------------------------------------------------------------

export async function openFolder(id: string, page: { limit: number; cursor?: string }) {
  if (id === ROOT_ID) {
    const [children, settings] = await Promise.all([
      nodes.listChildren(ROOT_ID, page.limit, page.cursor),
      getSettings(),
    ]);
    const root = rootFolder(settings.name);
    return {
      folder: folderView(root),
      path: [{ id: ROOT_ID, name: root.name }],
      folders: children.folders.map(folderView),
      files: children.files.map(fileView),
      nextCursor: children.nextCursor,
    };
  }
  const folder = await nodes.getFolder(id);
  if (!folder || folder.trashedAt) throw new NotFound();
  const [items, children, settings] = await Promise.all([
    nodes.getMany(ancestorKeys(folder)),
    nodes.listChildren(id, page.limit, page.cursor),
    getSettings(),
  ]);
  const chain = await resolveChain(folder, items);
  if (chain.state !== 'ok') throw new NotFound();
  return {
    folder: folderView(folder),
    // The root crumb is the company's name as the admin set it.
    path: breadcrumbs(folder, chain.byId, settings.name),
    folders: children.folders.map(folderView),
    files: children.files.map(fileView),
    nextCursor: children.nextCursor,
  };
}

export async function createFolder(input: { parentId: string; name: string }, ctx: Ctx) {
  const name = normalizeName(input.name);
  const id = ulid(ctx.now.getTime());
  const nowIso = ctx.now.toISOString();
  // The parent read and the name claim are independent: run them together.
  const [parentResult, claimResult] = await Promise.allSettled([
    liveFolder(input.parentId),
    claimOrConflict(input.parentId, name, { kind: 'folder', id, claimedAt: nowIso }, ctx.now),
  ]);
  if (parentResult.status === 'rejected') {
    if (claimResult.status === 'fulfilled') await nodes.releaseClaim(input.parentId, name, id);
    throw parentResult.reason;
  }
  if (claimResult.status === 'rejected') throw claimResult.reason;
  const parent = parentResult.value;
  const ancestors = childAncestors(parent);
  if (ancestors.length > MAX_DEPTH) {
    await nodes.releaseClaim(input.parentId, name, id);
    throw new Invalid(`parentId: folders nest at most ${MAX_DEPTH} levels deep.`, 'parentId');
  }
  const folder: FolderNode = {
    kind: 'folder',
    id,
    name,
    parentId: parent.id,
    ancestors,
    version: 1,
    createdAt: nowIso,
    updatedAt: nowIso,
    createdBy: ctx.actor.id,
  };
  await nodes.putNewFolder(folder);
  return folderView(folder);
}

/** Rewrites the stored ancestry of everything live beneath a moved folder. */
async function rewriteSubtree(folder: FolderNode): Promise<void> {
  const queue: Array<{ id: string; ancestors: string[] }> = [{ id: folder.id, ancestors: folder.ancestors }];
  while (queue.length) {
    const current = queue.shift()!;
    const below = childAncestors(current);
    let cursor: string | undefined;
    do {
      const page = await nodes.listChildren(current.id, 500, cursor);
      await Promise.all([
        ...page.folders.map((f) => nodes.setAncestors('folder', f.id, below)),
        ...page.files.map((f) => nodes.setAncestors('file', f.id, below)),
      ]);
      queue.push(...page.folders.map((f) => ({ id: f.id, ancestors: below })));
      cursor = page.nextCursor;
    } while (cursor);
  }
}

async function renameOrMove<T extends Node>(
  node: T,
  input: { name?: string; parentId?: string; version: number; receiptsToUploader?: boolean | null },
  ctx: Ctx,
): Promise<T> {
  if (node.version !== input.version)
    throw new Conflict('This item was changed by someone else. Reload and try again.', 'stale_version');
  const oldParent = parentOf(node);
  const name = input.name !== undefined ? normalizeName(input.name) : node.name;
  const newParentId = input.parentId ?? oldParent;
  let ancestors = node.ancestors;
  if (newParentId !== oldParent) {
    const target = await liveFolder(newParentId);
    if (node.kind === 'folder' && isInsideSubtree(node.id, target))
      throw new Invalid('parentId: a folder cannot move into itself or a folder inside it.', 'parentId');
    ancestors = childAncestors(target);
    if (ancestors.length > MAX_DEPTH)
      throw new Invalid(`parentId: folders nest at most ${MAX_DEPTH} levels deep.`, 'parentId');
  }
  const claimChanges = newParentId !== oldParent || nameKey(name) !== nameKey(node.name);
  if (claimChanges)
    await claimOrConflict(
      newParentId,
      name,
      { kind: node.kind, id: node.id, claimedAt: ctx.now.toISOString() },
      ctx.now,
    );
  const updated = await nodes.updateNode(
    node,
    input.version,
    { name, parent: newParentId, ancestors, receiptsToUploader: input.receiptsToUploader },
    ctx.now.toISOString(),
  );
  if (!updated) {
    if (claimChanges) await nodes.releaseClaim(newParentId, name, node.id);
    throw new Conflict('This item was changed by someone else. Reload and try again.', 'stale_version');
  }
  if (claimChanges) await nodes.releaseClaim(oldParent, node.name, node.id);
  if (updated.kind === 'folder' && newParentId !== oldParent) await rewriteSubtree(updated as FolderNode);
  return updated;
}

export async function updateFolder(
  id: string,
  input: { name?: string; parentId?: string; version: number; receiptsToUploader?: boolean | null },
  ctx: Ctx,
) {
  if (id === ROOT_ID) throw new Invalid('id: the root folder cannot be renamed or moved.', 'id');
  const folder = await nodes.getFolder(id);
  if (!folder || folder.trashedAt) throw new NotFound();
  return folderView(await renameOrMove(folder, input, ctx));
}

export async function updateFile(id: string, input: { name?: string; folderId?: string; version: number }, ctx: Ctx) {
  const file = await nodes.getFile(id);
  if (!file || file.trashedAt) throw new NotFound();
  return fileView(
    await renameOrMove(file, { name: input.name, parentId: input.folderId, version: input.version }, ctx),
  );
}

export async function trashItem(kind: 'folder' | 'file', id: string, ctx: Ctx): Promise<void> {
  if (id === ROOT_ID) throw new Invalid('id: the root folder cannot be trashed.', 'id');
  const node = kind === 'folder' ? await nodes.getFolder(id) : await nodes.getFile(id);
  if (!node || node.trashedAt) throw new NotFound();
  if (!(await nodes.trashNode(node, ctx.actor.id, ctx.now.toISOString()))) throw new NotFound();
  // The name is free again; restoring re-claims it.
  await nodes.releaseClaim(parentOf(node), node.name, node.id);
  await putEvent(
    newEvent(
      {
        type: 'item.trashed',
        actor: ctx.actor,
        target: { kind, id, name: node.name },
        ip: ctx.ip,
        userAgent: ctx.userAgent,
      },
      ctx.now,
    ),
  );
}

export async function listTrash(page: { limit: number; cursor?: string }) {
  const { items, nextCursor } = await nodes.listTrash(page.limit, page.cursor);
  return {
    items: items.map((n) => ({
      kind: n.kind,
      ...(n.kind === 'folder' ? folderView(n) : fileView(n)),
      trashedAt: n.trashedAt!,
      trashedBy: n.trashedBy!,
    })),
    nextCursor,
  };
}

export async function restoreItem(id: string, input: { name?: string }, ctx: Ctx) {
  const items = await nodes.getMany([folderKeys.node(id), fileKeys.node(id)]);
  const raw = items.get(`${folderKeys.node(id).PK}|META`) ?? items.get(`${fileKeys.node(id).PK}|META`);
  const node = nodes.fromItem<Node>(raw);
  if (!node || !node.trashedAt) throw new NotFound();
  const parent = await liveFolder(parentOf(node)).catch(() => {
    throw new Conflict(
      'The folder this item was in is gone or in the trash. Restore that folder first.',
      'parent_gone',
    );
  });
  const name = input.name !== undefined ? normalizeName(input.name) : node.name;
  await claimOrConflict(parent.id, name, { kind: node.kind, id: node.id, claimedAt: ctx.now.toISOString() }, ctx.now);
  const restored = await nodes.restoreNode(node, name, ctx.now.toISOString());
  if (!restored) {
    await nodes.releaseClaim(parent.id, name, node.id);
    throw new NotFound();
  }
  // The parent may have moved while this item was in the trash.
  const ancestors = childAncestors(parent);
  if (ancestors.join('/') !== restored.ancestors.join('/')) {
    await nodes.setAncestors(restored.kind, restored.id, ancestors);
    restored.ancestors = ancestors;
    if (restored.kind === 'folder') await rewriteSubtree(restored);
  }
  await putEvent(
    newEvent(
      {
        type: 'item.restored',
        actor: ctx.actor,
        target: { kind: node.kind, id, name },
        ip: ctx.ip,
        userAgent: ctx.userAgent,
      },
      ctx.now,
    ),
  );
  return { kind: restored.kind, ...(restored.kind === 'folder' ? folderView(restored) : fileView(restored)) };
}

// ---- uploads ---------------------------------------------------------------------

function uploadPlan(size: number) {
  if (size > config.maxMultipartSize) throw new TooLarge(`size: at most ${config.maxMultipartSize} bytes.`, 'size');
  const multipart = size > config.multipartThreshold;
  if (!multipart && size > config.maxSinglePutSize)
    throw new TooLarge(`size: at most ${config.maxSinglePutSize} bytes in one upload.`, 'size');
  return { multipart };
}

async function presign(fileId: string, versionId: string, size: number, contentType: string, multipart: boolean) {
  const key = fileKeys.objectKey(fileId, versionId);
  if (multipart) {
    const m = await startMultipartUpload(key, size, contentType);
    return {
      upload: { type: 'multipart' as const, uploadId: m.uploadId, partSize: m.partSize, parts: m.parts },
      uploadId: m.uploadId,
    };
  }
  const post = await presignUploadPost(key, size, contentType);
  return { upload: { type: 'post' as const, url: post.url, fields: post.fields }, uploadId: undefined };
}

/** Upload URLs for a new version, and its pending item (invisible until completed). */
async function openVersion(
  fileId: string,
  versionId: string,
  input: { size: number; contentType: string },
  multipart: boolean,
  ctx: Ctx,
  first?: { pendingName: string; pendingFolderId: string },
) {
  const { upload, uploadId } = await presign(fileId, versionId, input.size, input.contentType, multipart);
  await nodes.putPendingVersion({
    fileId,
    versionId,
    status: 'pending',
    objectKey: fileKeys.objectKey(fileId, versionId),
    size: input.size,
    contentType: input.contentType,
    uploadId,
    ...first,
    uploadedBy: ctx.actor.id,
    uploadedAt: ctx.now.toISOString(),
  });
  return upload;
}

export async function startUpload(
  folderId: string,
  input: { name: string; size: number; contentType: string },
  ctx: Ctx,
) {
  const name = normalizeName(input.name);
  const { multipart } = uploadPlan(input.size);
  const fileId = ulid(ctx.now.getTime());
  const versionId = ulid(ctx.now.getTime());
  const pendingUntil = new Date(ctx.now.getTime() + (config.uploadUrlSeconds + 300) * 1000).toISOString();
  const [folderResult, claimResult] = await Promise.allSettled([
    liveFolder(folderId),
    claimOrConflict(
      folderId,
      name,
      { kind: 'file', id: fileId, pendingUntil, claimedAt: ctx.now.toISOString() },
      ctx.now,
    ),
  ]);
  if (folderResult.status === 'rejected') {
    if (claimResult.status === 'fulfilled') await nodes.releaseClaim(folderId, name, fileId);
    throw folderResult.reason;
  }
  if (claimResult.status === 'rejected') throw claimResult.reason;
  const upload = await openVersion(fileId, versionId, input, multipart, ctx, {
    pendingName: name,
    pendingFolderId: folderId,
  });
  return {
    file: { id: fileId, name, folderId, size: input.size, contentType: input.contentType, status: 'uploading' },
    versionId,
    upload,
  };
}

export async function startNewVersion(fileId: string, input: { size: number; contentType: string }, ctx: Ctx) {
  const { multipart } = uploadPlan(input.size);
  const file = await nodes.getFile(fileId);
  if (!file || file.trashedAt) throw new NotFound();
  const versionId = ulid(ctx.now.getTime());
  const upload = await openVersion(fileId, versionId, input, multipart, ctx);
  return { file: fileView(file), versionId, upload };
}

export async function completeUpload(
  fileId: string,
  versionId: string,
  input: { parts?: Array<{ partNumber: number; etag: string }> },
  ctx: Ctx,
) {
  const items = await nodes.getMany([fileKeys.node(fileId), fileKeys.version(fileId, versionId)]);
  const version = nodes.fromItem<FileVersion>(
    items.get(`${fileKeys.version(fileId, versionId).PK}|${fileKeys.version(fileId, versionId).SK}`),
  );
  let file = nodes.fromItem<FileNode>(items.get(`${fileKeys.node(fileId).PK}|META`));
  if (!version) throw new NotFound();
  if (file?.trashedAt) throw new NotFound();

  let ready = version;
  if (version.status !== 'ready') {
    if (version.uploadId) {
      if (!input.parts?.length)
        throw new Invalid('parts: a multipart upload is completed with its parts and their ETags.', 'parts');
      await completeMultipartUpload(version.objectKey, version.uploadId, input.parts).catch((e) => {
        // Already completed by an earlier call that did not finish: the HeadObject below decides.
        if ((e as { name?: string }).name !== 'NoSuchUpload') throw e;
      });
    }
    const head = await headObject(version.objectKey);
    if (!head) throw new Conflict('The upload is not in storage. Upload the bytes, then complete.', 'upload_missing');
    if (head.size !== version.size)
      throw new Conflict(
        `The uploaded object has ${head.size} bytes, not the ${version.size} declared.`,
        'size_mismatch',
      );
    ready = await nodes.markVersionReady(version, head.size, head.sha256, ctx.now.toISOString());
  }

  if (!file) {
    // First upload of this file: only now does it exist for listings.
    // Only "the folder is gone" puts the file at the root; a store that did not answer is a 503 (retried), never a wrong ancestry.
    const folder = await liveFolder(ready.pendingFolderId!).catch((e) => {
      if (e instanceof NotFound) return undefined;
      throw e;
    });
    const ancestors = folder ? childAncestors(folder) : [ROOT_ID];
    const nowIso = ctx.now.toISOString();
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
      version: 1,
      createdAt: nowIso,
      updatedAt: nowIso,
      createdBy: ready.uploadedBy,
    };
    if (await nodes.putNewFile(created)) {
      file = created;
      await nodes.confirmClaim(created.folderId, created.name, fileId);
      await putEvent(
        newEvent(
          {
            type: 'file.uploaded',
            actor: ctx.actor,
            target: { kind: 'file', id: fileId, name: created.name, versionId },
            within: ancestors.concat(created.folderId),
            ip: ctx.ip,
            userAgent: ctx.userAgent,
          },
          ctx.now,
        ),
      );
    } else {
      file = (await nodes.getFile(fileId))!;
      await finishEarlierComplete(file, versionId, ctx);
    }
  } else if (file.currentVersionId < ready.versionId) {
    file = (await nodes.setCurrentVersion(fileId, ready, ctx.now.toISOString())) ?? (await nodes.getFile(fileId))!;
    await putEvent(
      newEvent(
        {
          type: 'file.uploaded',
          actor: ctx.actor,
          target: { kind: 'file', id: fileId, name: file.name, versionId },
          within: file.ancestors.concat(file.folderId),
          ip: ctx.ip,
          userAgent: ctx.userAgent,
        },
        ctx.now,
      ),
    );
  } else if (file.currentVersionId === ready.versionId) {
    await finishEarlierComplete(file, versionId, ctx);
  }
  return { file: fileView(file), version: versionView(ready) };
}

/**
 * A complete that is called again for the version already current: an earlier call made the
 * version visible and then failed (the store stopped answering) before confirming the name claim
 * or recording the upload. Finish those steps; the event is written only if it is not there.
 */
async function finishEarlierComplete(file: FileNode, versionId: string, ctx: Ctx): Promise<void> {
  if (file.currentVersionId !== versionId) return;
  await nodes.confirmClaim(file.folderId, file.name, file.id);
  // Only events since the upload started (event ids are ULIDs, like the version id) can be it.
  const { events } = await queryEvents({ fileId: file.id, type: 'file.uploaded', minId: versionId }, 1000);
  if (events.some((e) => e.target?.versionId === versionId)) return;
  await putEvent(
    newEvent(
      {
        type: 'file.uploaded',
        actor: ctx.actor,
        target: { kind: 'file', id: file.id, name: file.name, versionId },
        within: file.ancestors.concat(file.folderId),
        ip: ctx.ip,
        userAgent: ctx.userAgent,
      },
      ctx.now,
    ),
  );
}

// ---- files -----------------------------------------------------------------------

export async function fileDetails(id: string) {
  const { file, versions } = await nodes.getFileWithVersions(id);
  if (!file || file.trashedAt) throw new NotFound();
  const [chain, settings] = await Promise.all([resolveChain(file), getSettings()]);
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
    file: fileView(file),
    path,
    versions: versions
      .filter((v) => v.status === 'ready')
      .sort((a, b) => (a.versionId < b.versionId ? 1 : -1))
      .map(versionView),
  };
}

export async function staffDownload(id: string, input: { versionId?: string; disposition: Disposition }, ctx: Ctx) {
  const keys = [fileKeys.node(id), ...(input.versionId ? [fileKeys.version(id, input.versionId)] : [])];
  const items = await nodes.getMany([...keys]);
  const file = nodes.fromItem<FileNode>(items.get(`${fileKeys.node(id).PK}|META`));
  if (!file || file.trashedAt) throw new NotFound();
  const versionId = input.versionId ?? file.currentVersionId;
  let contentType = file.contentType;
  if (input.versionId) {
    const v = nodes.fromItem<FileVersion>(
      items.get(`${fileKeys.version(id, input.versionId).PK}|${fileKeys.version(id, input.versionId).SK}`),
    );
    if (!v || v.status !== 'ready') throw new NotFound();
    contentType = v.contentType;
  }
  // Audit first: no event, no URL.
  await putEvent(
    newEvent(
      {
        type: 'download',
        actor: ctx.actor,
        target: { kind: 'file', id, name: file.name, versionId },
        within: file.ancestors.concat(file.folderId),
        ip: ctx.ip,
        userAgent: ctx.userAgent,
        details: { disposition: input.disposition },
      },
      ctx.now,
    ),
  );
  return mintDownloadUrl(fileKeys.objectKey(id, versionId), file.name, contentType, input.disposition);
}
