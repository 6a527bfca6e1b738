/**
 * Once, when a deployment made before sorted listings and search (issue 16) is upgraded: the folders and
 * files written before then have no place in the "modified" and "size" orders (GSI3SK, GSI4SK) and no
 * name-index entries, so sorted pages and searches would not find them. This walks the table once (a
 * Scan: a maintenance job, never a request path), and for every live folder and file writes what a
 * write of today would have: its sort keys and its index entries. Idempotent (a rerun rewrites the same
 * items) and resumable (`from`: the last key it printed).
 */
import { ScanCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { FileNode, FolderNode, Node } from '../domain/model.ts';
import { isConditionFailure, stripKeys } from './batch.ts';
import { db, table } from './client.ts';
import { fileKeys, folderKeys } from './keys.ts';
import { putEntries } from './search.ts';

export interface BackfillProgress {
  scanned: number;
  nodes: number;
  /** Where a later run can start (the Scan's last key), until the table is done. */
  next?: Record<string, unknown>;
}

/** Sort keys of a live node (a trashed one has no listing: the condition leaves it alone). */
async function putSortKeys(node: Node): Promise<boolean> {
  const keys = node.kind === 'folder' ? folderKeys.sorted(node as FolderNode) : fileKeys.sorted(node as FileNode);
  const names = Object.keys(keys);
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: node.kind === 'folder' ? folderKeys.node(node.id) : fileKeys.node(node.id),
        UpdateExpression: `SET ${names.map((n) => `${n} = :${n}`).join(', ')}`,
        ConditionExpression: 'attribute_exists(GSI1PK) AND attribute_not_exists(trashedAt)',
        ExpressionAttributeValues: Object.fromEntries(names.map((n) => [`:${n}`, (keys as Record<string, string>)[n]])),
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}

export async function backfillSortAndSearch(
  opts: { from?: Record<string, unknown>; pageSize?: number; onPage?: (p: BackfillProgress) => void } = {},
): Promise<BackfillProgress> {
  const progress: BackfillProgress = { scanned: 0, nodes: 0 };
  let start = opts.from;
  do {
    const page = await db.send(
      new ScanCommand({
        TableName: table(),
        FilterExpression: 'SK = :meta AND (begins_with(PK, :folder) OR begins_with(PK, :file))',
        ExpressionAttributeValues: { ':meta': 'META', ':folder': 'FOLDER#', ':file': 'FILE#' },
        Limit: opts.pageSize ?? 500,
        ExclusiveStartKey: start,
      }),
    );
    progress.scanned += page.ScannedCount ?? 0;
    for (const item of page.Items ?? []) {
      const node = stripKeys<Node>(item)!;
      // The root is never listed nor searched; a node in the trash gets its keys back when restored.
      if (!item.GSI1PK || node.trashedAt) continue;
      // Index entries first, as every write does: a crash leaves extras (filtered), never gaps.
      await putEntries(node);
      if (await putSortKeys(node)) progress.nodes++;
    }
    start = page.LastEvaluatedKey;
    progress.next = start;
    opts.onPage?.(progress);
  } while (start);
  return progress;
}
