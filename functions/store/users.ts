/** Web user and staff profiles, their grants (same partition), and their session state. */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { Grant, SessionState, UserProfile } from '../domain/model.ts';
import { collationKey } from '../domain/names.ts';
import { Invalid } from '../lib/errors.ts';
import { decodeCursor, encodeCursor, getByIds, isConditionFailure, queryPartition, stripKeys } from './batch.ts';
import { db, table } from './client.ts';
import { grantKeys, INDEX, sessionKeys, userKeys } from './keys.ts';

export async function getProfile(sub: string): Promise<UserProfile | undefined> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: userKeys.profile(sub), ConsistentRead: true }));
  return stripKeys<UserProfile>(out.Item);
}

/** Profiles by id, in one BatchGet (the people a report names). */
export function getProfiles(subs: string[]): Promise<Map<string, UserProfile>> {
  return getByIds(subs, userKeys.profile);
}

/** Creates the profile, or overwrites it when `overwrite` (used by the idempotent seed). */
export async function putProfile(p: UserProfile, overwrite = false): Promise<void> {
  await db.send(
    new PutCommand({
      TableName: table(),
      Item: {
        ...userKeys.profile(p.id),
        ...userKeys.byEmail(p.email),
        ...(p.kind === 'webuser'
          ? { ...userKeys.webuserListing(p.createdAt, p.id), searchText: searchText(p) }
          : userKeys.staffListing(p.createdAt, p.id)),
        ...p,
      },
      ...(overwrite ? {} : { ConditionExpression: 'attribute_not_exists(PK)' }),
    }),
  );
}

export async function updateProfile(
  sub: string,
  changes: Partial<Pick<UserProfile, 'name' | 'language' | 'status' | 'inviteHash' | 'role'>> & { searchText?: string },
  now: string,
): Promise<UserProfile | undefined> {
  const sets = Object.entries(changes).filter(([, v]) => v !== undefined);
  const names: Record<string, string> = { '#u': 'updatedAt' };
  const values: Record<string, unknown> = { ':u': now };
  const parts = ['#u = :u'];
  sets.forEach(([k, v], i) => {
    names[`#f${i}`] = k;
    values[`:v${i}`] = v;
    parts.push(`#f${i} = :v${i}`);
  });
  try {
    const out = await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: userKeys.profile(sub),
        UpdateExpression: `SET ${parts.join(', ')}`,
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeNames: names,
        ExpressionAttributeValues: values,
        ReturnValues: 'ALL_NEW',
      }),
    );
    return stripKeys<UserProfile>(out.Attributes);
  } catch (e) {
    if (isConditionFailure(e)) return undefined;
    throw e;
  }
}

export async function deleteProfile(sub: string): Promise<void> {
  await db.send(new DeleteCommand({ TableName: table(), Key: userKeys.profile(sub) }));
}

/** Profile and every grant of a user: one consistent query on the user's partition. */
export async function getUserWithGrants(sub: string): Promise<{ profile?: UserProfile; grants: Grant[] }> {
  const items = await queryPartition(userKeys.partition(sub));
  const profile = stripKeys<UserProfile>(items.find((i) => i.SK === userKeys.profile(sub).SK));
  const grants = items.filter((i) => String(i.SK).startsWith(grantKeys.prefix)).map((i) => stripKeys<Grant>(i)!);
  return { profile, grants };
}

export async function findProfileByEmail(email: string): Promise<UserProfile | undefined> {
  const out = await db.send(
    new QueryCommand({
      TableName: table(),
      IndexName: INDEX.gsi1,
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': userKeys.emailPartition(email) },
      Limit: 1,
    }),
  );
  return stripKeys<UserProfile>(out.Items?.[0]);
}

/** Web users, newest first; `q` narrows each page (a filter on the page read, never a scan). */
export async function listWebusers(
  limit: number,
  cursor: string | undefined,
  q: string | undefined,
): Promise<{ users: UserProfile[]; nextCursor?: string }> {
  const start = decodeCursor(cursor);
  if (cursor && (!start || start.GSI2PK !== userKeys.webuserPartition))
    throw new Invalid('cursor: not a cursor for this list.', 'cursor', 'cursor');
  const users: UserProfile[] = [];
  let lek = start;
  // With a search term a page may filter down to few rows: read on until the page is full or the list ends.
  for (let reads = 0; reads < 10; reads++) {
    const out = await db.send(
      new QueryCommand({
        TableName: table(),
        IndexName: INDEX.gsi2,
        KeyConditionExpression: 'GSI2PK = :pk',
        ExpressionAttributeValues: { ':pk': userKeys.webuserPartition, ...(q ? { ':q': collationKey(q) } : {}) },
        ...(q ? { FilterExpression: 'contains(searchText, :q)' } : {}),
        ScanIndexForward: false,
        Limit: limit,
        ExclusiveStartKey: lek,
      }),
    );
    users.push(...(out.Items ?? []).map((i) => stripKeys<UserProfile>(i)!));
    lek = out.LastEvaluatedKey;
    if (!lek || users.length >= limit || !q) break;
  }
  return { users: users.map(({ searchText, ...u }: any) => u), nextCursor: encodeCursor(lek) };
}

/** Every staff account (a company has few), newest first. */
export async function listStaff(): Promise<UserProfile[]> {
  const out: UserProfile[] = [];
  let start: Record<string, any> | undefined;
  do {
    const res = await db.send(
      new QueryCommand({
        TableName: table(),
        IndexName: INDEX.gsi2,
        KeyConditionExpression: 'GSI2PK = :pk',
        ExpressionAttributeValues: { ':pk': userKeys.staffPartition },
        ScanIndexForward: false,
        ExclusiveStartKey: start,
      }),
    );
    out.push(...(res.Items ?? []).map((i) => stripKeys<UserProfile>(i)!));
    start = res.LastEvaluatedKey;
  } while (start);
  return out;
}

/**
 * What the web user list's search matches: email and name with accents folded and lower-cased, so that
 * "maria" finds "María" (and "maría" finds "Maria"). Profiles written before this keep their text until
 * their next change (a rename writes it again).
 */
export const searchText = (p: { email: string; name: string }) => collationKey(`${p.email} ${p.name}`);

// ---- grants ---------------------------------------------------------------------

/** Idempotent; returns whether the grant is new (for the grant count). */
export async function putGrant(g: Grant): Promise<boolean> {
  const out = await db.send(
    new PutCommand({
      TableName: table(),
      Item: { ...grantKeys.grant(g.userId, g.folderId), ...grantKeys.byFolder(g.folderId, g.userId), ...g },
      ReturnValues: 'ALL_OLD',
    }),
  );
  return !out.Attributes;
}

export async function deleteGrant(userId: string, folderId: string): Promise<boolean> {
  const out = await db.send(
    new DeleteCommand({ TableName: table(), Key: grantKeys.grant(userId, folderId), ReturnValues: 'ALL_OLD' }),
  );
  return !!out.Attributes;
}

export async function adjustGrantCount(userId: string, delta: number): Promise<void> {
  await db
    .send(
      new UpdateCommand({
        TableName: table(),
        Key: userKeys.profile(userId),
        UpdateExpression: 'ADD grantCount :d',
        ConditionExpression: 'attribute_exists(PK)',
        ExpressionAttributeValues: { ':d': delta },
      }),
    )
    .catch((e) => {
      if (!isConditionFailure(e)) throw e;
    });
}

export async function renameInGrants(userId: string, folderIds: string[], name: string): Promise<void> {
  await Promise.all(
    folderIds.map((folderId) =>
      db
        .send(
          new UpdateCommand({
            TableName: table(),
            Key: grantKeys.grant(userId, folderId),
            UpdateExpression: 'SET #n = :n',
            ConditionExpression: 'attribute_exists(PK)',
            ExpressionAttributeNames: { '#n': 'name' },
            ExpressionAttributeValues: { ':n': name },
          }),
        )
        .catch((e) => {
          if (!isConditionFailure(e)) throw e;
        }),
    ),
  );
}

/** Who a folder is shared with (GSI1). */
export async function grantsOnFolder(folderId: string): Promise<Grant[]> {
  const out = await db.send(
    new QueryCommand({
      TableName: table(),
      IndexName: INDEX.gsi1,
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': grantKeys.folderPartition(folderId) },
    }),
  );
  return (out.Items ?? []).map((i) => stripKeys<Grant>(i)!);
}

// ---- session state ----------------------------------------------------------------

export function getSessionStates(subs: string[]): Promise<Map<string, SessionState>> {
  return getByIds(subs, sessionKeys.state);
}

const SEEN_GRANULARITY_MS = 5 * 60 * 1000;

/**
 * What this Lambda instance recorded recently, per (user, sign-in): lets the
 * common case skip the write entirely (DynamoDB charges a failed conditional write too).
 */
const seenHere = new Map<string, number>();

/**
 * Records that the user was seen. Writes at most once per 5 minutes per user,
 * or when the token comes from a new sign-in; returns true for a new sign-in.
 */
export async function touchSession(sub: string, authTime: string, now: Date): Promise<boolean> {
  const key = `${sub}|${authTime}`;
  const last = seenHere.get(key);
  // A new sign-in has a new authTime, so it is never skipped.
  if (last !== undefined && now.getTime() - last >= 0 && now.getTime() - last < SEEN_GRANULARITY_MS) return false;
  if (seenHere.size > 10_000) seenHere.clear();
  seenHere.set(key, now.getTime());
  const stale = new Date(now.getTime() - SEEN_GRANULARITY_MS).toISOString();
  try {
    const out = await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: sessionKeys.state(sub),
        UpdateExpression: 'SET lastSeenAt = :now, lastAuthTime = :auth',
        ConditionExpression: 'attribute_not_exists(lastAuthTime) OR lastAuthTime <> :auth OR lastSeenAt < :stale',
        ExpressionAttributeValues: { ':now': now.toISOString(), ':auth': authTime, ':stale': stale },
        ReturnValues: 'ALL_OLD',
      }),
    );
    return out.Attributes?.lastAuthTime !== authTime;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}

export async function markActivated(sub: string, now: string): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: table(),
      Key: sessionKeys.state(sub),
      UpdateExpression: 'SET activatedAt = if_not_exists(activatedAt, :now)',
      ExpressionAttributeValues: { ':now': now },
    }),
  );
}

export async function deleteSessionState(sub: string): Promise<void> {
  await db.send(new DeleteCommand({ TableName: table(), Key: sessionKeys.state(sub) }));
}
