/** Bookkeeping for the background jobs: checkpoints, pending notifications, and "already sent" markers. */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import type { PendingDocument } from '../domain/model.ts';
import { batchGet, batchWrite, isConditionFailure, keyOf } from './batch.ts';
import { db, table } from './client.ts';
import { jobKeys } from './keys.ts';

/** Markers outlive any batch window by far; DynamoDB TTL removes them eventually. */
const MARKER_TTL_DAYS = 400;

export async function getCheckpoint(job: string): Promise<string | undefined> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: jobKeys.checkpoint(job), ConsistentRead: true }));
  return out.Item?.position as string | undefined;
}

export async function setCheckpoint(job: string, position: string): Promise<void> {
  await db.send(new PutCommand({ TableName: table(), Item: { ...jobKeys.checkpoint(job), position } }));
}

/** Queues one document for one recipient; true if it was not queued already. */
export async function queueDocument(p: PendingDocument, dueAt: string): Promise<boolean> {
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: { ...jobKeys.pending(p.userId, p.fileId, p.versionId), ...p },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
  // The first pending document opens the batch; later ones join it.
  await db
    .send(
      new PutCommand({
        TableName: table(),
        Item: { ...jobKeys.queue(p.userId), userId: p.userId, dueAt },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    )
    .catch((e) => {
      if (!isConditionFailure(e)) throw e;
    });
  return true;
}

export async function dueRecipients(now: string): Promise<string[]> {
  const out: string[] = [];
  let start: Record<string, any> | undefined;
  do {
    const res = await db.send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'PK = :pk',
        FilterExpression: 'dueAt <= :now',
        ExpressionAttributeValues: { ':pk': jobKeys.queuePartition, ':now': now },
        ExclusiveStartKey: start,
        ConsistentRead: true,
      }),
    );
    out.push(...(res.Items ?? []).map((i) => i.userId as string));
    start = res.LastEvaluatedKey;
  } while (start);
  return out;
}

export async function pendingFor(userId: string): Promise<PendingDocument[]> {
  const res = await db.send(
    new QueryCommand({
      TableName: table(),
      KeyConditionExpression: 'PK = :pk',
      ExpressionAttributeValues: { ':pk': jobKeys.pendingPartition(userId) },
      ConsistentRead: true,
    }),
  );
  return (res.Items ?? []).map(({ PK, SK, ...rest }) => rest as PendingDocument);
}

export async function alreadyNotified(docs: PendingDocument[]): Promise<Set<string>> {
  const items = await batchGet(docs.map((d) => jobKeys.notified(d.userId, d.fileId, d.versionId)));
  return new Set(
    docs
      .filter((d) => items.has(keyOf(jobKeys.notified(d.userId, d.fileId, d.versionId))))
      .map((d) => `${d.fileId}#${d.versionId}`),
  );
}

export async function markNotified(docs: PendingDocument[], now: Date): Promise<void> {
  const ttl = Math.floor(now.getTime() / 1000) + MARKER_TTL_DAYS * 86400;
  await batchWrite(
    docs.map((d) => ({
      PutRequest: { Item: { ...jobKeys.notified(d.userId, d.fileId, d.versionId), at: now.toISOString(), ttl } },
    })),
  );
}

export async function unmarkNotified(docs: PendingDocument[]): Promise<void> {
  await batchWrite(docs.map((d) => ({ DeleteRequest: { Key: jobKeys.notified(d.userId, d.fileId, d.versionId) } })));
}

export async function clearPending(userId: string, docs: PendingDocument[]): Promise<void> {
  await batchWrite(docs.map((d) => ({ DeleteRequest: { Key: jobKeys.pending(userId, d.fileId, d.versionId) } })));
  await db.send(new DeleteCommand({ TableName: table(), Key: jobKeys.queue(userId) }));
}

/** True only the first time this actor's download of this version is seen. */
export async function firstReceipt(actorId: string, fileId: string, versionId: string, now: Date): Promise<boolean> {
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: { ...jobKeys.receipt(actorId, fileId, versionId), at: now.toISOString() },
        ConditionExpression: 'attribute_not_exists(PK)',
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}
