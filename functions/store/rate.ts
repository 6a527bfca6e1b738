/**
 * Brute-force counters: one item per (scope, address, window), incremented
 * with an atomic UpdateItem ADD, so every Lambda instance sees the same count.
 * Items carry `ttl` for DynamoDB to delete them once they no longer matter
 * (the decision never depends on TTL having run: old windows are never read).
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client.ts';
import { batchGet, keyOf } from './batch.ts';
import { rateKeys } from './keys.ts';

/** Failure counts of the given windows (0 where there is no item). One BatchGet. */
export async function readCounts(scope: string, ip: string, windows: number[]): Promise<number[]> {
  const keys = windows.map((w) => rateKeys.window(scope, ip, w));
  const items = await batchGet(keys);
  return keys.map((k) => Number(items.get(keyOf(k))?.failures ?? 0));
}

/** Adds one failure to a window; returns the window's new count. */
export async function addFailure(scope: string, ip: string, window: number, expiresAtSeconds: number): Promise<number> {
  const out = await db.send(
    new UpdateCommand({
      TableName: table(),
      Key: rateKeys.window(scope, ip, window),
      UpdateExpression: 'ADD #failures :one SET #ttl = :ttl',
      ExpressionAttributeNames: { '#failures': 'failures', '#ttl': 'ttl' },
      ExpressionAttributeValues: { ':one': 1, ':ttl': expiresAtSeconds },
      ReturnValues: 'UPDATED_NEW',
    }),
  );
  return Number(out.Attributes?.failures ?? 0);
}
