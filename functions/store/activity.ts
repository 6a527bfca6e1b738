/**
 * Activity events. Each event is one main item (month partition, with the
 * actor and target indexes) plus copies under every folder above its target
 * and under its type; all written in one round of parallel PutItems. Never updated
 * except to pseudonymise an erased person; deleted only by retention.
 */
import { GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { type Acknowledgement, type ActivityEvent, type ActivityQuery, ROOT_ID } from '../domain/model.ts';
import { Invalid } from '../lib/errors.ts';
import { batchWrite, decodeCursor, encodeCursor, isConditionFailure } from './batch.ts';
import { db, table } from './client.ts';
import { activityKeys, INDEX } from './keys.ts';

function copyKeys(e: ActivityEvent): Array<{ PK: string; SK: string }> {
  const folders = new Set(e.within ?? []);
  if (e.target?.kind === 'folder') folders.add(e.target.id);
  folders.delete(ROOT_ID);
  return [...[...folders].map((f) => activityKeys.inFolder(f, e.id)), activityKeys.ofType(e.type, e.id)];
}

/**
 * Resolves only when the event and all its copies are stored (audit first).
 * Parallel conditional PutItems, one round: BatchWriteItem would also need the
 * right to delete, which the client functions must not have on their own log.
 * Every write is waited for, failed or not, before the first failure is thrown:
 * nothing of a failed request is still being retried after it answered (a write
 * landing later would be a record the caller was told had failed). A failure
 * part-way can still leave some of the copies (there are no transactions).
 */
export async function putEvent(e: ActivityEvent): Promise<void> {
  const main = {
    ...activityKeys.event(e.at, e.id),
    ...activityKeys.byActor(e.actor.id, e.id),
    ...(e.target ? activityKeys.byTarget(e.target.id, e.id) : {}),
    ...e,
  };
  const writes = await Promise.allSettled(
    [main, ...copyKeys(e).map((k) => ({ ...k, ...e }))].map((Item) =>
      db.send(new PutCommand({ TableName: table(), Item, ConditionExpression: 'attribute_not_exists(PK)' })),
    ),
  );
  const failed = writes.find((w): w is PromiseRejectedResult => w.status === 'rejected');
  if (failed) throw failed.reason;
}

const strip = (i: Record<string, any>): ActivityEvent => {
  const { PK, SK, GSI1PK, GSI1SK, GSI2PK, GSI2SK, ...rest } = i;
  return rest as ActivityEvent;
};

/**
 * One query, newest first, on the most selective key the filter names; the
 * other filters narrow that one partition's pages (server-side).
 */
export async function queryEvents(
  q: ActivityQuery,
  limit: number,
  cursor?: string,
  order: 'desc' | 'asc' = 'desc',
): Promise<{ events: ActivityEvent[]; nextCursor?: string }> {
  let index: string | undefined;
  let pk = 'PK';
  let sk = 'SK';
  let partition: string;
  const filters: string[] = [];
  const values: Record<string, unknown> = {};
  const names: Record<string, string> = {};
  if (q.targetId) {
    [index, pk, sk, partition] = [INDEX.gsi2, 'GSI2PK', 'GSI2SK', activityKeys.targetPartition(q.targetId)];
  } else if (q.folderId) {
    partition = activityKeys.folderPartition(q.folderId);
  } else if (q.actorId) {
    [index, pk, sk, partition] = [INDEX.gsi1, 'GSI1PK', 'GSI1SK', activityKeys.actorPartition(q.actorId)];
  } else if (q.type) {
    partition = activityKeys.typePartition(q.type);
  } else {
    partition = activityKeys.monthPartition(q.month!);
  }
  if (q.actorId && pk !== 'GSI1PK') {
    filters.push('actor.id = :actor');
    values[':actor'] = q.actorId;
  }
  if (q.type && partition !== activityKeys.typePartition(q.type)) {
    filters.push('#type = :type');
    names['#type'] = 'type';
    values[':type'] = q.type;
  }
  if (q.folderId && q.targetId) {
    // WITHIN is a DynamoDB reserved word: it must go through a name placeholder.
    filters.push('contains(#within, :folder)');
    names['#within'] = 'within';
    values[':folder'] = q.folderId;
  }
  let range = '';
  if (q.minId && q.maxId) {
    range = ` AND #sk BETWEEN :lo AND :hi`;
    Object.assign(values, { ':lo': q.minId, ':hi': q.maxId });
  } else if (q.minId) {
    range = ` AND #sk >= :lo`;
    values[':lo'] = q.minId;
  } else if (q.maxId) {
    range = ` AND #sk <= :hi`;
    values[':hi'] = q.maxId;
  }
  if (range) names['#sk'] = sk;
  const start = decodeCursor(cursor);
  if (cursor && (!start || start[pk] !== partition))
    throw new Invalid('cursor: not a cursor for this query.', 'cursor', 'cursor');
  const out = await db.send(
    new QueryCommand({
      TableName: table(),
      IndexName: index,
      KeyConditionExpression: `#pk = :pk${range}`,
      ExpressionAttributeNames: { '#pk': pk, ...names },
      ExpressionAttributeValues: { ':pk': partition, ...values },
      ...(filters.length ? { FilterExpression: filters.join(' AND ') } : {}),
      ScanIndexForward: order === 'asc',
      Limit: limit,
      ExclusiveStartKey: start,
    }),
  );
  return { events: (out.Items ?? []).map(strip), nextCursor: encodeCursor(out.LastEvaluatedKey) };
}

/** Every event of a partition query, page by page (for exports and erasure). */
export async function* allEvents(q: ActivityQuery, order: 'desc' | 'asc' = 'desc'): AsyncGenerator<ActivityEvent[]> {
  let cursor: string | undefined;
  do {
    const page = await queryEvents(q, 500, cursor, order);
    if (page.events.length) yield page.events;
    cursor = page.nextCursor;
  } while (cursor);
}

export async function getEvent(id: string, at: string): Promise<ActivityEvent | undefined> {
  const out = await db.send(
    new GetCommand({ TableName: table(), Key: activityKeys.event(at, id), ConsistentRead: true }),
  );
  return out.Item ? strip(out.Item) : undefined;
}

/** GDPR erasure: the events stay, the person's email and name become a pseudonym (copies too). */
export async function pseudonymise(by: 'actor' | 'target', id: string, pseudonym: string): Promise<number> {
  let count = 0;
  for await (const page of allEvents(by === 'actor' ? { actorId: id } : { targetId: id })) {
    for (const e of page) {
      const expr = by === 'actor' ? 'SET actor.email = :p, actor.#n = :p' : 'SET target.#n = :p';
      for (const key of [activityKeys.event(e.at, e.id), ...copyKeys(e)]) {
        await db
          .send(
            new UpdateCommand({
              TableName: table(),
              Key: key,
              UpdateExpression: expr,
              ConditionExpression: 'attribute_exists(PK)',
              ExpressionAttributeNames: { '#n': 'name' },
              ExpressionAttributeValues: { ':p': pseudonym },
            }),
          )
          .catch((err) => {
            if (!isConditionFailure(err)) throw err;
          });
      }
      count++;
    }
  }
  return count;
}

/** Retention: removes one event and its copies. */
export async function deleteEvent(e: ActivityEvent): Promise<void> {
  await batchWrite([activityKeys.event(e.at, e.id), ...copyKeys(e)].map((Key) => ({ DeleteRequest: { Key } })));
}

/**
 * Records that a client confirmed a version; false when they already had (nothing is written then). A
 * confirmation undone (its event could not be stored) is marked void, not deleted: the client functions
 * may not delete, and the retry takes it over.
 */
export async function putAcknowledgement(a: Acknowledgement): Promise<boolean> {
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: { ...activityKeys.acknowledgement(a.fileId, a.versionId, a.actorId), ...a },
        ConditionExpression: 'attribute_not_exists(PK) OR attribute_exists(voidedAt)',
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}

/** Marks the file's version confirmed by `actorId` in its folder (what listings read; see keys.ts). */
export async function markAcknowledgedIn(a: Acknowledgement, folderId: string): Promise<void> {
  await db.send(
    new PutCommand({
      TableName: table(),
      Item: { ...activityKeys.acknowledgedIn(folderId, a.actorId, a.fileId, a.versionId), at: a.at },
    }),
  );
}

/** Voids the hint (the client functions may not delete; a later confirmation writes it afresh). */
export async function unmarkAcknowledgedIn(a: Acknowledgement, folderId: string): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: table(),
      Key: activityKeys.acknowledgedIn(folderId, a.actorId, a.fileId, a.versionId),
      UpdateExpression: 'SET voidedAt = :at',
      ExpressionAttributeValues: { ':at': a.at },
    }),
  );
}

/** `<fileId>#<versionId>` of everything `actorId` confirmed in the folder (one Query; a folder's worth is small). */
export async function acknowledgedIn(folderId: string, actorId: string): Promise<Set<string>> {
  const out = new Set<string>();
  let start: Record<string, unknown> | undefined;
  do {
    const page = await db.send(
      new QueryCommand({
        TableName: table(),
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': activityKeys.acknowledgedInPartition(folderId, actorId) },
        FilterExpression: 'attribute_not_exists(voidedAt)',
        ProjectionExpression: 'SK',
        ExclusiveStartKey: start,
      }),
    );
    for (const item of page.Items ?? []) out.add(String(item.SK));
    start = page.LastEvaluatedKey;
  } while (start);
  return out;
}

/** Undoes a confirmation whose event could not be stored (only that one: it names its event). */
export async function deleteAcknowledgement(a: Acknowledgement): Promise<void> {
  await db
    .send(
      new UpdateCommand({
        TableName: table(),
        Key: activityKeys.acknowledgement(a.fileId, a.versionId, a.actorId),
        UpdateExpression: 'SET voidedAt = :now',
        ConditionExpression: 'eventId = :e',
        ExpressionAttributeValues: { ':e': a.eventId, ':now': new Date().toISOString() },
      }),
    )
    .catch((e) => {
      if (!isConditionFailure(e)) throw e;
    });
}
