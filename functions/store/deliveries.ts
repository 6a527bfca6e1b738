/**
 * Deliveries: which documents came within which client's reach, and whether they opened them. One
 * item per (recipient, file), written by the notifications job when a version is uploaded; listed while
 * unopened through two sparse indexes (per recipient, and company-wide), oldest first. Opening (by the
 * client functions, in the round of the event) removes the index keys; so does the reminders job when
 * access is gone. Updates only: the client functions may not delete.
 */
import { PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Delivery } from '../domain/model.ts';
import { Invalid } from '../lib/errors.ts';
import { decodeCursor, encodeCursor, isConditionFailure, stripKeys } from './batch.ts';
import { db, table } from './client.ts';
import { deliveryKeys, INDEX } from './keys.ts';

const INDEX_KEYS = 'GSI1PK, GSI1SK, GSI2PK, GSI2SK';

async function conditional(run: () => Promise<unknown>): Promise<boolean> {
  try {
    await run();
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}

/** A delivery as stored: listed as unopened (both indexes), no reminders yet. */
const unopenedItem = (d: Delivery) => ({
  ...deliveryKeys.item(d.recipientId, d.fileId),
  ...deliveryKeys.byRecipient(d.recipientId, d.deliveredAt, d.fileId),
  ...deliveryKeys.all(d.deliveredAt, d.recipientId, d.fileId),
  ...d,
  reminders: 0,
});

/**
 * Records a version within a recipient's reach, unless this delivery (or a newer one) is there, or they
 * opened the file since that upload: a rerun of the job writes nothing, and an open that came before the
 * job ran is kept.
 */
export function putDelivery(d: Delivery): Promise<boolean> {
  return conditional(() =>
    db.send(
      new PutCommand({
        TableName: table(),
        Item: unopenedItem(d),
        ConditionExpression:
          '(attribute_not_exists(deliveredAt) OR deliveredAt < :at) AND ' +
          '(attribute_not_exists(openedAt) OR openedAt < :at)',
        ExpressionAttributeValues: { ':at': d.deliveredAt },
      }),
    ),
  );
}

/**
 * A document that came within the recipient's reach by a grant or link made after it was uploaded:
 * recorded only if nothing is known of it for them yet (or what was known was dropped unopened, as when a
 * grant was revoked and is given again). A document they already had, opened or not, stays as it is.
 */
export function putDeliveryIfNew(d: Delivery): Promise<boolean> {
  return conditional(() =>
    db.send(
      new PutCommand({
        TableName: table(),
        Item: unopenedItem(d),
        ConditionExpression:
          'attribute_not_exists(PK) OR (attribute_exists(droppedAt) AND attribute_not_exists(openedAt))',
      }),
    ),
  );
}

/** The recipient opened the file: out of the unopened lists (an item is made if the job has not written it yet). */
export async function markOpened(recipientId: string, fileId: string, at: string): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: table(),
      Key: deliveryKeys.item(recipientId, fileId),
      UpdateExpression: `SET openedAt = :at REMOVE ${INDEX_KEYS}`,
      ExpressionAttributeValues: { ':at': at },
    }),
  );
}

/** No longer within reach (grant or link gone, file trashed): out of the lists, kept as a record. */
export async function dropDelivery(d: Pick<Delivery, 'recipientId' | 'fileId'>, at: string): Promise<void> {
  await db
    .send(
      new UpdateCommand({
        TableName: table(),
        Key: deliveryKeys.item(d.recipientId, d.fileId),
        UpdateExpression: `SET droppedAt = :at REMOVE ${INDEX_KEYS}`,
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':at': at },
      }),
    )
    .catch((e) => {
      if (!isConditionFailure(e)) throw e;
    });
}

/**
 * Counts one more reminder, only while the delivery is unopened and has exactly `sent` so far: the
 * reminders job's "already sent" check, so two runs never mail the same reminder.
 */
export function countReminder(d: Delivery, sent: number, at: string): Promise<boolean> {
  return conditional(() =>
    db.send(
      new UpdateCommand({
        TableName: table(),
        Key: deliveryKeys.item(d.recipientId, d.fileId),
        UpdateExpression: 'SET reminders = :next, lastReminderAt = :at',
        ConditionExpression: 'reminders = :sent AND attribute_exists(GSI2PK) AND versionId = :v',
        ExpressionAttributeValues: { ':next': sent + 1, ':sent': sent, ':at': at, ':v': d.versionId },
      }),
    ),
  );
}

/** Gives back a reminder counted for a mail that could not be sent (the next run tries again). */
export async function uncountReminder(d: Delivery, sent: number): Promise<void> {
  const last = d.lastReminderAt;
  await conditional(() =>
    db.send(
      new UpdateCommand({
        TableName: table(),
        Key: deliveryKeys.item(d.recipientId, d.fileId),
        UpdateExpression: last
          ? 'SET reminders = :sent, lastReminderAt = :last'
          : 'SET reminders = :sent REMOVE lastReminderAt',
        ConditionExpression: 'reminders = :next',
        ExpressionAttributeValues: { ':sent': sent, ':next': sent + 1, ...(last ? { ':last': last } : {}) },
      }),
    ),
  );
}

/**
 * Unopened deliveries, oldest first: one recipient's (GSI1) or the company's (GSI2), delivered before
 * `before` when given. One query.
 */
export async function listUnopened(q: {
  recipientId?: string;
  before?: string;
  limit: number;
  cursor?: string;
}): Promise<{ deliveries: Delivery[]; nextCursor?: string }> {
  const [index, pk, sk, partition] = q.recipientId
    ? [INDEX.gsi1, 'GSI1PK', 'GSI1SK', deliveryKeys.recipientPartition(q.recipientId)]
    : [INDEX.gsi2, 'GSI2PK', 'GSI2SK', deliveryKeys.allPartition];
  const start = decodeCursor(q.cursor);
  if (q.cursor && (!start || start[pk] !== partition))
    throw new Invalid('cursor: not a cursor for this list.', 'cursor', 'cursor');
  const out = await db.send(
    new QueryCommand({
      TableName: table(),
      IndexName: index,
      KeyConditionExpression: q.before ? `${pk} = :pk AND ${sk} < :before` : `${pk} = :pk`,
      ExpressionAttributeValues: { ':pk': partition, ...(q.before ? { ':before': q.before } : {}) },
      ScanIndexForward: true,
      Limit: q.limit,
      ExclusiveStartKey: start,
    }),
  );
  return {
    deliveries: (out.Items ?? []).map((i) => stripKeys<Delivery>(i)!),
    nextCursor: encodeCursor(out.LastEvaluatedKey),
  };
}
