import { BatchGetCommand, BatchWriteCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client.ts';

type Key = { PK: string; SK: string };

/** Attempts at what a batch call hands back unprocessed (DynamoDB throttling part of it), with backoff between. */
const BATCH_ATTEMPTS = 6;
const backoff = (attempt: number) =>
  new Promise((r) => setTimeout(r, Math.random() * Math.min(1000, 25 * 2 ** attempt)));

/**
 * What a batch call left unprocessed after every attempt: the store is throttling. The request fails
 * (503, "try again") rather than answering from a partial read or leaving writes undone.
 */
function stillUnprocessed(what: string): Error {
  return Object.assign(new Error(`DynamoDB left ${what} unprocessed after ${BATCH_ATTEMPTS} attempts`), {
    name: 'ProvisionedThroughputExceededException',
    $fault: 'server',
  });
}

/**
 * Consistent BatchGet of up to 100 keys per call, one round trip for up to 100 keys: what DynamoDB
 * hands back as unprocessed is asked for again after a backoff, and a read still incomplete fails the
 * request, never treats the missing items as absent. Returns items by "PK|SK".
 */
export async function batchGet(keys: Key[]): Promise<Map<string, Record<string, any>>> {
  const out = new Map<string, Record<string, any>>();
  const unique = [...new Map(keys.map((k) => [`${k.PK}|${k.SK}`, k])).values()];
  const chunks: Key[][] = [];
  for (let i = 0; i < unique.length; i += 100) chunks.push(unique.slice(i, i + 100));
  await Promise.all(
    chunks.map(async (chunk) => {
      let request: Record<string, any> | undefined = { [table()]: { Keys: chunk, ConsistentRead: true } };
      for (let attempt = 0; request; attempt++) {
        if (attempt === BATCH_ATTEMPTS) throw stillUnprocessed('keys of a BatchGetItem');
        if (attempt) await backoff(attempt);
        const res: any = await db.send(new BatchGetCommand({ RequestItems: request }));
        for (const item of res.Responses?.[table()] ?? []) out.set(`${item.PK}|${item.SK}`, item);
        request = res.UnprocessedKeys && Object.keys(res.UnprocessedKeys).length ? res.UnprocessedKeys : undefined;
      }
    }),
  );
  return out;
}

/** BatchWriteItem of any number of requests (25 a call, in parallel), unprocessed ones retried with backoff. */
export async function batchWrite(requests: Array<Record<string, any>>): Promise<void> {
  const chunks: Array<Array<Record<string, any>>> = [];
  for (let i = 0; i < requests.length; i += 25) chunks.push(requests.slice(i, i + 25));
  await Promise.all(
    chunks.map(async (chunk) => {
      let pending: Array<Record<string, any>> | undefined = chunk;
      for (let attempt = 0; pending?.length; attempt++) {
        if (attempt === BATCH_ATTEMPTS) throw stillUnprocessed('writes of a BatchWriteItem');
        if (attempt) await backoff(attempt);
        const out = await db.send(new BatchWriteCommand({ RequestItems: { [table()]: pending } }));
        pending = out.UnprocessedItems?.[table()] as Array<Record<string, any>> | undefined;
      }
    }),
  );
}

/** Every item of one partition (an entity and what it owns), read consistently, all pages. */
export async function queryPartition(pk: string): Promise<Record<string, any>[]> {
  const items: Record<string, any>[] = [];
  let start: Record<string, any> | undefined;
  do {
    const out = await db.send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': pk },
        ConsistentRead: true,
        ExclusiveStartKey: start,
      }),
    );
    items.push(...(out.Items ?? []));
    start = out.LastEvaluatedKey;
  } while (start);
  return items;
}

export const keyOf = (k: Key) => `${k.PK}|${k.SK}`;

/** Items by id in one BatchGet (none for no ids), without their keys; ids not found are absent. */
export async function getByIds<T>(ids: string[], key: (id: string) => Key): Promise<Map<string, T>> {
  const items = await batchGet(ids.map(key));
  const out = new Map<string, T>();
  for (const id of ids) {
    const item = items.get(keyOf(key(id)));
    if (item) out.set(id, stripKeys<T>(item)!);
  }
  return out;
}

export function encodeCursor(key: Record<string, unknown> | undefined): string | undefined {
  return key ? Buffer.from(JSON.stringify(key)).toString('base64url') : undefined;
}

export function decodeCursor(cursor: string | undefined): Record<string, any> | undefined {
  if (!cursor) return undefined;
  try {
    const v = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    return v && typeof v === 'object' ? v : undefined;
  } catch {
    return undefined;
  }
}

/** Keys, index attributes, TTL, and what an item keeps for the store alone (a profile's pending two-step code). */
const KEY_ATTRIBUTES = new Set([
  'PK',
  'SK',
  'GSI1PK',
  'GSI1SK',
  'GSI2PK',
  'GSI2SK',
  'GSI3SK',
  'GSI4SK',
  'ttl',
  'twoStepCode',
]);

/** An item without its key and index attributes (and store-only secrets): what repositories hand out. */
export function stripKeys<T>(item: Record<string, any> | undefined): T | undefined {
  if (!item) return undefined;
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(item)) if (!KEY_ATTRIBUTES.has(k)) out[k] = v;
  return out as T;
}

export const isConditionFailure = (e: unknown) => (e as { name?: string })?.name === 'ConditionalCheckFailedException';
