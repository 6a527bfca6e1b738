import { BatchGetCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client.ts';

type Key = { PK: string; SK: string };

/**
 * Consistent BatchGet of up to 100 keys in one round trip (retrying only
 * what DynamoDB hands back as unprocessed). Returns items by "PK|SK".
 */
export async function batchGet(keys: Key[]): Promise<Map<string, Record<string, any>>> {
  const out = new Map<string, Record<string, any>>();
  const unique = [...new Map(keys.map((k) => [`${k.PK}|${k.SK}`, k])).values()];
  for (let i = 0; i < unique.length; i += 100) {
    let request: Record<string, any> | undefined = {
      [table()]: { Keys: unique.slice(i, i + 100), ConsistentRead: true },
    };
    for (let attempt = 0; request && attempt < 5; attempt++) {
      const res: any = await db.send(new BatchGetCommand({ RequestItems: request }));
      for (const item of res.Responses?.[table()] ?? []) out.set(`${item.PK}|${item.SK}`, item);
      request = res.UnprocessedKeys && Object.keys(res.UnprocessedKeys).length ? res.UnprocessedKeys : undefined;
    }
  }
  return out;
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

const KEY_ATTRIBUTES = new Set(['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK', 'ttl']);

/** An item without its key and index attributes: what repositories hand out. */
export function stripKeys<T>(item: Record<string, any> | undefined): T | undefined {
  if (!item) return undefined;
  const out: Record<string, any> = {};
  for (const [k, v] of Object.entries(item)) if (!KEY_ATTRIBUTES.has(k)) out[k] = v;
  return out as T;
}

export const isConditionFailure = (e: unknown) => (e as { name?: string })?.name === 'ConditionalCheckFailedException';
