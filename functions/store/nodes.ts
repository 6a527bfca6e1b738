/**
 * Folders, files and file versions in the table, and the name claims that keep
 * names unique inside a folder. No transactions (the local emulator has none):
 * every multi-item change is a sequence of conditional single-item writes in an
 * order where a crash leaves nothing visible half-done.
 */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { DEFAULT_ORDER, type ListOrder, type Phase, phaseOrder } from '../domain/listing.ts';
import type {
  ChecksumCheck,
  ChildPage,
  FileNode,
  FileVersion,
  FolderNode,
  NameClaim,
  Node,
  NodeChanges,
} from '../domain/model.ts';
import { ROOT_ID } from '../domain/model.ts';
import { Invalid } from '../lib/errors.ts';
import {
  batchGet,
  decodeCursor,
  encodeCursor,
  getByIds,
  isConditionFailure,
  keyOf,
  queryPartition,
  stripKeys,
} from './batch.ts';
import { db, table } from './client.ts';
import { childrenKeys, fileKeys, folderKeys, INDEX, nameClaimKeys, trashKeys } from './keys.ts';
import { deleteEntries, deleteStaleEntries, filesBeneath, putEntries, searchNames } from './search.ts';

export const nodeKey = (kind: 'folder' | 'file', id: string) =>
  kind === 'folder' ? folderKeys.node(id) : fileKeys.node(id);

export async function getFolder(id: string): Promise<FolderNode | undefined> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: folderKeys.node(id), ConsistentRead: true }));
  return stripKeys<FolderNode>(out.Item);
}

export async function getFile(id: string): Promise<FileNode | undefined> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: fileKeys.node(id), ConsistentRead: true }));
  return stripKeys<FileNode>(out.Item);
}

/**
 * Folders by id, in one BatchGet (none when there is nothing to read): a node's
 * ancestors, granted folders with their chains. Absent ids are gone; the
 * virtual root is never stored, so it is never asked for.
 */
export function getFolders(ids: string[]): Promise<Map<string, FolderNode>> {
  return getByIds(
    ids.filter((id) => id !== ROOT_ID),
    folderKeys.node,
  );
}

/** Files by id, in one BatchGet. */
export function getFiles(ids: string[]): Promise<Map<string, FileNode>> {
  return getByIds(ids, fileKeys.node);
}

/** A node of unknown kind (a trash entry names only its id): both keys in one BatchGet. */
export async function findNode(id: string): Promise<Node | undefined> {
  const items = await batchGet([folderKeys.node(id), fileKeys.node(id)]);
  return stripKeys<Node>(items.get(keyOf(folderKeys.node(id))) ?? items.get(keyOf(fileKeys.node(id))));
}

/** A file's META and, when asked for, one of its versions: one BatchGet. */
export async function getFileAndVersion(
  fileId: string,
  versionId?: string,
): Promise<{ file?: FileNode; version?: FileVersion }> {
  const versionKey = versionId ? fileKeys.version(fileId, versionId) : undefined;
  const items = await batchGet([fileKeys.node(fileId), ...(versionKey ? [versionKey] : [])]);
  return {
    file: stripKeys<FileNode>(items.get(keyOf(fileKeys.node(fileId)))),
    version: versionKey ? stripKeys<FileVersion>(items.get(keyOf(versionKey))) : undefined,
  };
}

/** A file's META and all its versions, in one query. */
export async function getFileWithVersions(id: string): Promise<{ file?: FileNode; versions: FileVersion[] }> {
  const items = await queryPartition(fileKeys.partition(id));
  const meta = items.find((i) => i.SK === fileKeys.node(id).SK);
  const versions = items
    .filter((i) => String(i.SK).startsWith(fileKeys.versionPrefix))
    .map((i) => stripKeys<FileVersion>(i)!);
  return { file: stripKeys<FileNode>(meta), versions };
}

/**
 * Children of a folder in one order, folders first: a page is one round (in the folders' part, the
 * first files are read alongside, so the page that ends the folders goes on with files). The cursor
 * names its order and part, and is refused for another order or folder.
 */
export async function listChildren(
  parentId: string,
  limit: number,
  cursor?: string,
  order: ListOrder = DEFAULT_ORDER,
): Promise<ChildPage> {
  const partition = childrenKeys.partition(parentId);
  const at = readCursor(cursor, partition, order);
  const query = (phase: Phase, start?: Record<string, any>) => {
    const { index, sortKey, prefix } = childrenKeys.order(order.sort, phase);
    return db.send(
      new QueryCommand({
        TableName: table(),
        IndexName: index,
        KeyConditionExpression: 'GSI1PK = :pk AND begins_with(#sk, :prefix)',
        ExpressionAttributeNames: { '#sk': sortKey },
        ExpressionAttributeValues: { ':pk': partition, ':prefix': prefix },
        ScanIndexForward: phaseOrder(order, phase).order === 'asc',
        Limit: limit,
        ExclusiveStartKey: start,
      }),
    );
  };
  if (at.phase === 'file') {
    const out = await query('file', at.key);
    const files = (out.Items ?? []).map((i) => stripKeys<FileNode>(i)!);
    return { folders: [], files, nextCursor: writeCursor(order, 'file', out.LastEvaluatedKey) };
  }
  const [folderPage, filePage] = await Promise.all([query('folder', at.key), query('file')]);
  const folders = (folderPage.Items ?? []).map((i) => stripKeys<FolderNode>(i)!);
  if (folderPage.LastEvaluatedKey)
    return { folders, files: [], nextCursor: writeCursor(order, 'folder', folderPage.LastEvaluatedKey) };
  const fileItems = filePage.Items ?? [];
  const taken = fileItems.slice(0, limit - folders.length);
  const more = fileItems.length > taken.length || !!filePage.LastEvaluatedKey;
  const last = taken.at(-1);
  const { sortKey } = childrenKeys.order(order.sort, 'file');
  const resumeAt = last ? { PK: last.PK, SK: last.SK, GSI1PK: last.GSI1PK, [sortKey]: last[sortKey] } : undefined;
  return {
    folders,
    files: taken.map((i) => stripKeys<FileNode>(i)!),
    nextCursor: more ? writeCursor(order, 'file', resumeAt, true) : undefined,
  };
}

/** `{ o: order, p: part, k: the index position }`; a start-of-files cursor has no `k`. */
function writeCursor(order: ListOrder, phase: Phase, key: Record<string, any> | undefined, always = false) {
  if (!key && !always) return undefined;
  return encodeCursor({ s: order.sort, o: order.order, p: phase, ...(key ? { k: key } : {}) });
}

function readCursor(cursor: string | undefined, partition: string, order: ListOrder) {
  if (!cursor) return { phase: 'folder' as Phase, key: undefined };
  const c = decodeCursor(cursor);
  const phaseOk = c?.p === 'folder' || c?.p === 'file';
  if (!c || !phaseOk || (c.k !== undefined && c.k?.GSI1PK !== partition))
    throw new Invalid('cursor: not a cursor for this folder.', 'cursor', 'cursor');
  if (c.s !== order.sort || c.o !== order.order)
    throw new Invalid('cursor: made for another order; ask again with the same sort and order.', 'cursor', 'order');
  return { phase: c.p as Phase, key: c.k as Record<string, any> | undefined };
}

// ---- name claims -------------------------------------------------------------

export async function claimName(parentId: string, name: string, owner: NameClaim): Promise<boolean> {
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: { ...nameClaimKeys.claim(parentId, name), ...owner },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}

export async function getClaim(parentId: string, name: string): Promise<NameClaim | undefined> {
  const out = await db.send(
    new GetCommand({ TableName: table(), Key: nameClaimKeys.claim(parentId, name), ConsistentRead: true }),
  );
  return stripKeys<NameClaim>(out.Item);
}

/** Takes over a claim only if it still belongs to `staleOwnerId` (an abandoned upload or a crashed create). */
export async function replaceClaim(
  parentId: string,
  name: string,
  staleOwnerId: string,
  owner: NameClaim,
): Promise<boolean> {
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: { ...nameClaimKeys.claim(parentId, name), ...owner },
        ConditionExpression: 'id = :stale',
        ExpressionAttributeValues: { ':stale': staleOwnerId },
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}

export async function confirmClaim(parentId: string, name: string, ownerId: string): Promise<void> {
  await db
    .send(
      new UpdateCommand({
        TableName: table(),
        Key: nameClaimKeys.claim(parentId, name),
        UpdateExpression: 'REMOVE pendingUntil',
        ConditionExpression: 'id = :id',
        ExpressionAttributeValues: { ':id': ownerId },
      }),
    )
    .catch((e) => {
      if (!isConditionFailure(e)) throw e;
    });
}

/** Releases a claim if it is still ours; never removes someone else's. */
export async function releaseClaim(parentId: string, name: string, ownerId: string): Promise<void> {
  try {
    await db.send(
      new DeleteCommand({
        TableName: table(),
        Key: nameClaimKeys.claim(parentId, name),
        ConditionExpression: 'id = :id',
        ExpressionAttributeValues: { ':id': ownerId },
      }),
    );
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
  }
}

// ---- folders -----------------------------------------------------------------

export async function putNewFolder(f: FolderNode): Promise<void> {
  await putEntries(f);
  await db.send(
    new PutCommand({
      TableName: table(),
      Item: {
        ...folderKeys.node(f.id),
        ...folderKeys.listing(f.parentId, f.name, f.id),
        ...folderKeys.sorted(f),
        ...f,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
}

/** The optional fields a PATCH sets (a value) or removes (`null`); undefined leaves them as they are. */
const OPTIONAL_FIELDS = ['receiptsToUploader', 'taxId', 'clientCode', 'requiresAcknowledgement', 'reminders'] as const;

export function applyOptional(node: Node, changes: NodeChanges): void {
  const target = node as unknown as Record<string, unknown>;
  for (const field of OPTIONAL_FIELDS) {
    const value = changes[field];
    if (value === null) delete target[field];
    else if (value !== undefined) target[field] = value;
  }
}

/**
 * Optimistic update of a live node: succeeds only if `version` still matches
 * and the node is not in the trash. Returns the new node, or undefined when
 * the condition failed (stale version, trashed, or gone).
 */
export async function updateNode<T extends Node>(
  node: T,
  expectedVersion: number,
  changes: NodeChanges,
  now: string,
): Promise<T | undefined> {
  const next = { ...node, version: expectedVersion + 1, updatedAt: now } as T;
  if (changes.name !== undefined) next.name = changes.name;
  if (changes.ancestors !== undefined) next.ancestors = changes.ancestors;
  applyOptional(next, changes);
  if (changes.parent !== undefined) {
    if (next.kind === 'folder') (next as FolderNode).parentId = changes.parent;
    else (next as FileNode).folderId = changes.parent;
  }
  const parent = next.kind === 'folder' ? (next as FolderNode).parentId : (next as FileNode).folderId;
  const reindex = next.name !== node.name || next.ancestors.join('/') !== node.ancestors.join('/');
  if (reindex) await putEntries(next);
  const listing =
    next.kind === 'folder'
      ? { ...folderKeys.listing(parent, next.name, next.id), ...folderKeys.sorted(next) }
      : { ...fileKeys.listing(parent, next.name, next.id), ...fileKeys.sorted(next as FileNode) };
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: { ...nodeKey(next.kind, next.id), ...listing, ...next },
        ConditionExpression: 'attribute_exists(PK) AND #v = :v AND attribute_not_exists(trashedAt)',
        ExpressionAttributeNames: { '#v': 'version' },
        ExpressionAttributeValues: { ':v': expectedVersion },
      }),
    );
    if (reindex) await deleteStaleEntries(node, next);
    return next;
  } catch (e) {
    if (isConditionFailure(e)) return undefined;
    throw e;
  }
}

/** Rewrites a descendant's stored ancestry after a move (idempotent; no version bump). */
export async function setAncestors(kind: 'folder' | 'file', id: string, ancestors: string[]): Promise<void> {
  // The name index is scoped by the folders above: entries for the new place first, the old ones after.
  const before = stripKeys<Node>(
    (await db.send(new GetCommand({ TableName: table(), Key: nodeKey(kind, id), ConsistentRead: true }))).Item,
  );
  const moved = before && !before.trashedAt && before.ancestors.join('/') !== ancestors.join('/');
  if (moved) await putEntries({ ...before, ancestors });
  await db
    .send(
      new UpdateCommand({
        TableName: table(),
        Key: nodeKey(kind, id),
        UpdateExpression: 'SET ancestors = :a',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':a': ancestors },
      }),
    )
    .catch((e) => {
      if (!isConditionFailure(e)) throw e;
    });
  if (moved) await deleteStaleEntries(before, { ...before, ancestors });
}

/** Moves a live node to the trash: it leaves its folder's listing and joins the trash list. */
export async function trashNode(node: Node, by: string, now: string): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: nodeKey(node.kind, node.id),
        UpdateExpression:
          'SET trashedAt = :now, trashedBy = :by, GSI2PK = :tpk, GSI2SK = :tsk, #v = #v + :one, updatedAt = :now ' +
          'REMOVE GSI1PK, GSI1SK',
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(trashedAt)',
        ExpressionAttributeNames: { '#v': 'version' },
        ExpressionAttributeValues: {
          ':now': now,
          ':by': by,
          ':tpk': trashKeys.partition,
          ':tsk': trashKeys.entry(now, node.id).GSI2SK,
          ':one': 1,
        },
      }),
    );
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
  // Out of the name index too (what is beneath a trashed folder stays indexed: searches check the chain).
  await deleteEntries(node);
  return true;
}

export async function restoreNode(node: Node, name: string, now: string): Promise<Node | undefined> {
  const parent = node.kind === 'folder' ? node.parentId : node.folderId;
  const listing =
    node.kind === 'folder' ? folderKeys.listing(parent, name, node.id) : fileKeys.listing(parent, name, node.id);
  // Restoring changes `updatedAt`, so the node's place in the "modified" order is written anew.
  const sorted: Record<string, string> =
    node.kind === 'folder'
      ? folderKeys.sorted({ id: node.id, updatedAt: now })
      : fileKeys.sorted({ id: node.id, updatedAt: now, size: node.size });
  const sortedSet = Object.keys(sorted)
    .map((k) => `, ${k} = :${k}`)
    .join('');
  const sortedValues = Object.fromEntries(Object.entries(sorted).map(([k, v]) => [`:${k}`, v]));
  await putEntries({ ...node, name });
  try {
    const out = await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: nodeKey(node.kind, node.id),
        UpdateExpression:
          `SET #n = :name, GSI1PK = :pk, GSI1SK = :sk${sortedSet}, #v = #v + :one, updatedAt = :now ` +
          'REMOVE trashedAt, trashedBy, GSI2PK, GSI2SK',
        ConditionExpression: 'attribute_exists(trashedAt)',
        ExpressionAttributeNames: { '#v': 'version', '#n': 'name' },
        ExpressionAttributeValues: {
          ':name': name,
          ':pk': listing.GSI1PK,
          ':sk': listing.GSI1SK,
          ...sortedValues,
          ':one': 1,
          ':now': now,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return stripKeys<Node>(out.Attributes);
  } catch (e) {
    if (isConditionFailure(e)) return undefined;
    throw e;
  }
}

export async function listTrash(limit: number, cursor?: string): Promise<{ items: Node[]; nextCursor?: string }> {
  const start = decodeCursor(cursor);
  if (cursor && (!start || start.GSI2PK !== trashKeys.partition))
    throw new Invalid('cursor: not a cursor for the trash.', 'cursor', 'cursor');
  const out = await db.send(
    new QueryCommand({
      TableName: table(),
      IndexName: INDEX.gsi2,
      KeyConditionExpression: 'GSI2PK = :pk',
      ExpressionAttributeValues: { ':pk': trashKeys.partition },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: start,
    }),
  );
  return { items: (out.Items ?? []).map((i) => stripKeys<Node>(i)!), nextCursor: encodeCursor(out.LastEvaluatedKey) };
}

// ---- files and versions ----------------------------------------------------------

export async function putPendingVersion(v: FileVersion): Promise<void> {
  await db.send(
    new PutCommand({
      TableName: table(),
      Item: { ...fileKeys.version(v.fileId, v.versionId), ...v },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
}

/** A version made from another (an older one made current again): written once, ready. */
export async function putVersionCopy(v: FileVersion): Promise<void> {
  await putPendingVersion(v);
}

export async function getVersion(fileId: string, versionId: string): Promise<FileVersion | undefined> {
  const out = await db.send(
    new GetCommand({ TableName: table(), Key: fileKeys.version(fileId, versionId), ConsistentRead: true }),
  );
  return stripKeys<FileVersion>(out.Item);
}

/** `SET a = :a` for the fields given, `REMOVE` for those given as undefined when `remove` (one expression). */
function optionalFields(fields: Record<string, string | undefined>, remove: boolean) {
  const set: string[] = [];
  const gone: string[] = [];
  const values: Record<string, string> = {};
  for (const [name, value] of Object.entries(fields)) {
    if (value !== undefined) {
      set.push(`${name} = :${name}`);
      values[`:${name}`] = value;
    } else if (remove) gone.push(name);
  }
  return { set: set.map((s) => `, ${s}`).join(''), remove: gone.length ? ` REMOVE ${gone.join(', ')}` : '', values };
}

/** The bytes are in S3: what S3 says of them (size, SHA-256, ETag, version id) is recorded on the version. */
export async function markVersionReady(
  v: FileVersion,
  stored: { size: number; sha256?: string; verifiedBy?: ChecksumCheck; etag?: string; s3VersionId?: string },
  now: string,
): Promise<FileVersion> {
  const extra = optionalFields(
    { sha256: stored.sha256, verifiedBy: stored.verifiedBy, etag: stored.etag, s3VersionId: stored.s3VersionId },
    false,
  );
  const out = await db.send(
    new UpdateCommand({
      TableName: table(),
      Key: fileKeys.version(v.fileId, v.versionId),
      UpdateExpression: `SET #s = :ready, #size = :size, completedAt = if_not_exists(completedAt, :now)${extra.set}`,
      ExpressionAttributeNames: { '#s': 'status', '#size': 'size' },
      ExpressionAttributeValues: { ':ready': 'ready', ':size': stored.size, ':now': now, ...extra.values },
      ReturnValues: 'ALL_NEW',
    }),
  );
  return stripKeys<FileVersion>(out.Attributes)!;
}

/** Creates the file's META (first upload): from now on it is listed. */
export async function putNewFile(f: FileNode): Promise<boolean> {
  await putEntries(f);
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: { ...fileKeys.node(f.id), ...fileKeys.listing(f.folderId, f.name, f.id), ...fileKeys.sorted(f), ...f },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}

/** Points the file at a newer completed version; older completions never win over newer ones. */
export async function setCurrentVersion(fileId: string, v: FileVersion, now: string): Promise<FileNode | undefined> {
  try {
    const extra = optionalFields({ sha256: v.sha256, verifiedBy: v.verifiedBy, s3VersionId: v.s3VersionId }, true);
    const out = await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: fileKeys.node(fileId),
        UpdateExpression:
          'SET currentVersionId = :vid, objectKey = :key, #size = :size, contentType = :ct, updatedAt = :now, ' +
          '#v = #v + :one, GSI3SK = :bymod, GSI4SK = :bysize' +
          extra.set +
          extra.remove,
        ConditionExpression: 'attribute_exists(PK) AND currentVersionId < :vid',
        ExpressionAttributeNames: { '#v': 'version', '#size': 'size' },
        ExpressionAttributeValues: {
          ':vid': v.versionId,
          ':key': v.objectKey,
          ':size': v.size,
          ':ct': v.contentType,
          ':now': now,
          ':one': 1,
          // A new version changes size and modification time: the file moves in those orders.
          ':bymod': fileKeys.sorted({ id: fileId, updatedAt: now, size: v.size }).GSI3SK,
          ':bysize': fileKeys.sorted({ id: fileId, updatedAt: now, size: v.size }).GSI4SK,
          ...extra.values,
        },
        ReturnValues: 'ALL_NEW',
      }),
    );
    return stripKeys<FileNode>(out.Attributes);
  } catch (e) {
    if (isConditionFailure(e)) return undefined;
    throw e;
  }
}

/** The name index, read for a search, and the files beneath a folder (store/search.ts). */
export { filesBeneath, searchNames };
