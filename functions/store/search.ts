/**
 * The name index (docs/ARCHITECTURE.md, "Data"): written with the node by store/nodes.ts, read by
 * searches. Writes are ordered so a crash leaves extra entries, never missing ones: entries for a
 * node's new name or place are written before the node, old ones removed after it. A search
 * checks every entry against the node and its chain as they are now, so an extra entry is never
 * an answer.
 */
import { QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { Node } from '../domain/model.ts';
import { nameWords, type SearchEntry, scopesOf, searchEntries } from '../domain/search.ts';
import { Invalid } from '../lib/errors.ts';
import { batchWrite, decodeCursor, encodeCursor } from './batch.ts';
import { db, table } from './client.ts';
import { searchKeys } from './keys.ts';

type Indexed = Pick<Node, 'kind' | 'id' | 'name' | 'ancestors'>;

/** Every index item of a node: member entries (files) and word entries (the bench seeds with these too). */
export function indexItems(node: Indexed) {
  const words = nameWords(node.name);
  const members =
    node.kind === 'file'
      ? scopesOf(node).map((scope) => ({
          ...searchKeys.member(scope, node.id),
          nodeId: node.id,
          kind: node.kind,
          ancestors: node.ancestors,
        }))
      : [];
  return [...members, ...entriesOf(node, words)];
}

function entriesOf(node: Indexed, words: string[]) {
  return searchEntries(node).map(({ scope, word }) => ({
    ...searchKeys.entry(scope, word, node.id),
    nodeId: node.id,
    kind: node.kind,
    word,
    words,
    ancestors: node.ancestors,
  }));
}

const keyString = (i: { PK: string; SK: string }) => `${i.PK}|${i.SK}`;

/** DynamoDB orders sort keys by their UTF-8 bytes (JavaScript's `<` compares UTF-16 units). */
const byteOrder = (a: string, b: string) => Buffer.compare(Buffer.from(a), Buffer.from(b));

/** Writes the node's entries (before the node itself is written). */
export async function putEntries(node: Indexed): Promise<void> {
  await batchWrite(indexItems(node).map((Item) => ({ PutRequest: { Item } })));
}

/** Removes the node's entries (after the node left the listings). */
export async function deleteEntries(node: Indexed): Promise<void> {
  await batchWrite(indexItems(node).map((i) => ({ DeleteRequest: { Key: { PK: i.PK, SK: i.SK } } })));
}

/** After a rename or move: the entries of `before` that `after` no longer has. */
export async function deleteStaleEntries(before: Indexed, after: Indexed): Promise<void> {
  const kept = new Set(indexItems(after).map(keyString));
  const stale = indexItems(before).filter((i) => !kept.has(keyString(i)));
  await batchWrite(stale.map((i) => ({ DeleteRequest: { Key: { PK: i.PK, SK: i.SK } } })));
}

/**
 * Entries whose word starts with `prefix` in each scope (one Query each, in parallel: one round), in
 * index order, after `after`. Only what every scope has read up to is returned (`next` is that
 * point), so merging the scopes never skips an entry.
 */
export async function searchNames(
  scopes: string[],
  prefix: string,
  limit: number,
  after?: string,
): Promise<{ entries: SearchEntry[]; next?: string }> {
  const pages = await Promise.all(
    scopes.map((scope) =>
      db.send(
        new QueryCommand({
          TableName: table(),
          KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
          ExpressionAttributeValues: { ':pk': searchKeys.partition(scope), ':prefix': prefix },
          Limit: limit,
          ...(after ? { ExclusiveStartKey: { PK: searchKeys.partition(scope), SK: after } } : {}),
        }),
      ),
    ),
  );
  let next: string | undefined;
  for (const p of pages) {
    const last = p.LastEvaluatedKey?.SK as string | undefined;
    if (last !== undefined && (next === undefined || byteOrder(last, next) < 0)) next = last;
  }
  const bySk = new Map<string, Record<string, any>>();
  for (const p of pages)
    for (const i of p.Items ?? []) if (next === undefined || byteOrder(i.SK, next) <= 0) bySk.set(i.SK, i);
  const entries = [...bySk.values()]
    .sort((a, b) => byteOrder(a.SK, b.SK))
    .map((i) => ({
      nodeId: i.nodeId,
      kind: i.kind,
      word: i.word,
      words: i.words ?? [],
      ancestors: i.ancestors ?? [],
      position: i.SK,
    }));
  return { entries, next };
}

/** Ids of the live-indexed files beneath a folder (any depth), a page at a time, in one Query. */
export async function filesBeneath(
  folderId: string,
  limit: number,
  cursor?: string,
): Promise<{ files: Array<{ id: string; ancestors: string[] }>; nextCursor?: string }> {
  const partition = searchKeys.partition(folderId);
  const start = decodeCursor(cursor);
  if (cursor && (!start || start.PK !== partition || typeof start.SK !== 'string'))
    throw new Invalid('cursor: not a cursor for this folder.', 'cursor', 'cursor');
  const out = await db.send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'PK = :pk AND begins_with(SK, :member)',
      ExpressionAttributeValues: { ':pk': partition, ':member': searchKeys.memberPrefix },
      Limit: limit,
      ExclusiveStartKey: start ? { PK: start.PK, SK: start.SK } : undefined,
    }),
  );
  return {
    files: (out.Items ?? []).map((i) => ({ id: i.nodeId as string, ancestors: (i.ancestors ?? []) as string[] })),
    nextCursor: encodeCursor(out.LastEvaluatedKey),
  };
}
