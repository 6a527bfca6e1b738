/** Activity events: one item each, never updated except to pseudonymise an erased person. */
import { PutCommand, QueryCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client.ts';
import { INDEX, activityKeys } from './keys.ts';
import { decodeCursor, encodeCursor } from './batch.ts';
import type { ActivityEvent } from '../domain/activity.ts';
import { Invalid } from '../lib/errors.ts';

export async function putEvent(e: ActivityEvent): Promise<void> {
  await db.send(
    new PutCommand({
      TableName: table(),
      Item: {
        ...activityKeys.event(e.at, e.id),
        ...activityKeys.byActor(e.actor.id, e.id),
        ...(e.target ? activityKeys.byTarget(e.target.id, e.id) : {}),
        ...e,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
}

const strip = (i: Record<string, any>): ActivityEvent => {
  const { PK, SK, GSI1PK, GSI1SK, GSI2PK, GSI2SK, ...rest } = i;
  return rest as ActivityEvent;
};

export type ActivityFilter = { actorId?: string; targetId?: string; month?: string };

/** Newest first, one query on whichever key the filter names. */
export async function queryEvents(filter: ActivityFilter, limit: number, cursor?: string): Promise<{ events: ActivityEvent[]; nextCursor?: string }> {
  let index: string | undefined;
  let keyAttr = 'PK';
  let partition: string;
  if (filter.actorId) {
    index = INDEX.gsi1;
    keyAttr = 'GSI1PK';
    partition = activityKeys.actorPartition(filter.actorId);
  } else if (filter.targetId) {
    index = INDEX.gsi2;
    keyAttr = 'GSI2PK';
    partition = activityKeys.targetPartition(filter.targetId);
  } else {
    partition = activityKeys.monthPartition(filter.month!);
  }
  const start = decodeCursor(cursor);
  if (cursor && (!start || start[keyAttr] !== partition)) throw new Invalid('cursor: not a cursor for this query.', 'cursor');
  const out = await db.send(
    new QueryCommand({
      TableName: table(),
      IndexName: index,
      KeyConditionExpression: '#k = :pk',
      ExpressionAttributeNames: { '#k': keyAttr },
      ExpressionAttributeValues: { ':pk': partition },
      ScanIndexForward: false,
      Limit: limit,
      ExclusiveStartKey: start,
    }),
  );
  return { events: (out.Items ?? []).map(strip), nextCursor: encodeCursor(out.LastEvaluatedKey) };
}

/** GDPR erasure: the events stay, the person's email and name become a pseudonym. */
export async function pseudonymise(by: 'actor' | 'target', id: string, pseudonym: string): Promise<number> {
  const { UpdateCommand } = await import('@aws-sdk/lib-dynamodb');
  let start: Record<string, any> | undefined;
  let count = 0;
  do {
    const out = await db.send(
      new QueryCommand({
        TableName: table(),
        IndexName: by === 'actor' ? INDEX.gsi1 : INDEX.gsi2,
        KeyConditionExpression: '#k = :pk',
        ExpressionAttributeNames: { '#k': by === 'actor' ? 'GSI1PK' : 'GSI2PK' },
        ExpressionAttributeValues: { ':pk': by === 'actor' ? activityKeys.actorPartition(id) : activityKeys.targetPartition(id) },
        ExclusiveStartKey: start,
      }),
    );
    for (const item of out.Items ?? []) {
      const expr = by === 'actor' ? 'SET actor.email = :p, actor.#n = :p' : 'SET target.#n = :p';
      await db.send(new UpdateCommand({ TableName: table(), Key: { PK: item.PK, SK: item.SK }, UpdateExpression: expr, ExpressionAttributeNames: { '#n': 'name' }, ExpressionAttributeValues: { ':p': pseudonym } }));
      count++;
    }
    start = out.LastEvaluatedKey;
  } while (start);
  return count;
}
