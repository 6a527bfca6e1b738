/**
 * Brute-force counters: one item per (scope, subject, window), where the
 * subject is an address, a token prefix or a user. Each failure takes a slot
 * with one atomic conditional UpdateItem (ADD, only while below the allowance),
 * so parallel attempts cannot all slip under the limit, and every Lambda
 * instance sees the same count.
 * Items carry `ttl` for DynamoDB to delete them once they no longer matter
 * (the decision never depends on TTL having run: old windows are never read).
 */
import { UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { batchGet, isConditionFailure, keyOf } from './batch.ts';
import { db, table } from './client.ts';
import { rateKeys } from './keys.ts';

/** Failure counts of each subject's given windows (0 where there is no item), in order. One BatchGet. */
export async function readCounts(scope: string, subjects: string[], windows: number[]): Promise<number[][]> {
  const keys = subjects.map((subject) => windows.map((w) => rateKeys.window(scope, subject, w)));
  const items = await batchGet(keys.flat());
  return keys.map((ks) => ks.map((k) => Number(items.get(keyOf(k))?.failures ?? 0)));
}

/**
 * Counts one failure in a window, only while the window holds fewer than `allowed`: false when it
 * is full (the attempt is over the limit). The check and the increment are one conditional write.
 */
export async function takeFailureSlot(
  scope: string,
  subject: string,
  window: number,
  allowed: number,
  expiresAtSeconds: number,
): Promise<boolean> {
  if (allowed <= 0) return false;
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: rateKeys.window(scope, subject, window),
        UpdateExpression: 'ADD #failures :one SET #ttl = :ttl',
        ConditionExpression: 'attribute_not_exists(#failures) OR #failures < :allowed',
        ExpressionAttributeNames: { '#failures': 'failures', '#ttl': 'ttl' },
        ExpressionAttributeValues: { ':one': 1, ':ttl': expiresAtSeconds, ':allowed': allowed },
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}
