/** Share links ("Send by email") and invitations: capability tokens stored only as SHA-256 hashes. */
import { DeleteCommand, GetCommand, PutCommand, QueryCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import type { ExpiryEntry, Invitation, ShareLink } from '../domain/model.ts';
import { batchGet, isConditionFailure, keyOf, stripKeys } from './batch.ts';
import { db, table } from './client.ts';
import { INDEX, inviteKeys, linkKeys } from './keys.ts';

/**
 * Pointer and calendar entry first, then the link: a crash in between leaves only inert items (the jobs
 * find no link behind the entry). Two rounds, as before the calendar.
 */
export async function putLink(l: ShareLink): Promise<void> {
  await Promise.all([
    db.send(new PutCommand({ TableName: table(), Item: { ...linkKeys.pointer(l.id), tokenHash: l.tokenHash } })),
    db.send(
      new PutCommand({
        TableName: table(),
        Item: { ...linkKeys.expiry(l.expiresAt, l.id), linkId: l.id, expiresAt: l.expiresAt },
      }),
    ),
  ]);
  await db.send(
    new PutCommand({
      TableName: table(),
      Item: {
        ...linkKeys.link(l.tokenHash),
        ...linkKeys.byFolder(l.folderId, `${l.createdAt}#${l.id}`),
        ...linkKeys.byEmail(l.email, `${l.createdAt}#${l.id}`),
        ...l,
      },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
}

/** The link and its download counter, in one BatchGet (one call, as a GetItem would be). */
export async function getLinkByHash(tokenHash: string): Promise<ShareLink | undefined> {
  const items = await batchGet([linkKeys.link(tokenHash), linkKeys.uses(tokenHash)]);
  const link = stripKeys<ShareLink>(items.get(keyOf(linkKeys.link(tokenHash))));
  const uses = items.get(keyOf(linkKeys.uses(tokenHash)));
  return link && uses ? { ...link, downloads: Number(uses.downloads) || 0 } : link;
}

/** Takes one download of a limited link, atomically: false once `max` are taken, however many ask at once. */
export async function takeDownload(tokenHash: string, max: number): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: linkKeys.uses(tokenHash),
        UpdateExpression: 'ADD downloads :one',
        ConditionExpression: 'attribute_not_exists(downloads) OR downloads < :max',
        ExpressionAttributeValues: { ':one': 1, ':max': max },
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}

/**
 * Takes `count` downloads of a limited link at once (a batch of files), only if all of them are left:
 * one conditional update, so parallel batches never pass the limit together.
 */
export async function takeDownloads(tokenHash: string, max: number, count: number): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: linkKeys.uses(tokenHash),
        UpdateExpression: 'ADD downloads :n',
        ConditionExpression: 'attribute_not_exists(downloads) OR downloads <= :room',
        ExpressionAttributeValues: { ':n': count, ':room': max - count },
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}

/** Gives back downloads taken for URLs that were not handed out (their events could not be stored). */
export async function giveBackDownload(tokenHash: string, count = 1): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: table(),
      Key: linkKeys.uses(tokenHash),
      UpdateExpression: 'ADD downloads :minus',
      ExpressionAttributeValues: { ':minus': -count },
    }),
  );
}

export async function getLinkById(id: string): Promise<ShareLink | undefined> {
  const ptr = await db.send(new GetCommand({ TableName: table(), Key: linkKeys.pointer(id), ConsistentRead: true }));
  if (!ptr.Item) return undefined;
  return getLinkByHash(ptr.Item.tokenHash as string);
}

export async function linksForFolder(folderId: string): Promise<ShareLink[]> {
  const out = await db.send(
    new QueryCommand({
      TableName: table(),
      IndexName: INDEX.gsi1,
      KeyConditionExpression: 'GSI1PK = :pk',
      ExpressionAttributeValues: { ':pk': linkKeys.folderPartition(folderId) },
      ScanIndexForward: false,
    }),
  );
  return (out.Items ?? []).map((i) => stripKeys<ShareLink>(i)!);
}

/**
 * The links with `downloads` read for those with a limit (0 before the first): one BatchGet of their
 * counters, nothing for links without one.
 */
export async function withDownloadsTaken(links: ShareLink[]): Promise<ShareLink[]> {
  const limited = links.filter((l) => l.maxDownloads);
  if (!limited.length) return links;
  const counters = await batchGet(limited.map((l) => linkKeys.uses(l.tokenHash)));
  return links.map((l) =>
    l.maxDownloads ? { ...l, downloads: Number(counters.get(keyOf(linkKeys.uses(l.tokenHash)))?.downloads) || 0 } : l,
  );
}

export async function linksToEmail(email: string): Promise<ShareLink[]> {
  const out = await db.send(
    new QueryCommand({
      TableName: table(),
      IndexName: INDEX.gsi2,
      KeyConditionExpression: 'GSI2PK = :pk',
      ExpressionAttributeValues: { ':pk': linkKeys.emailPartition(email) },
      ScanIndexForward: false,
    }),
  );
  return (out.Items ?? []).map((i) => stripKeys<ShareLink>(i)!);
}

/** Records the link that replaced this one; false when another extension got there first. */
export async function markReplaced(tokenHash: string, replacedBy: string): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: linkKeys.link(tokenHash),
        UpdateExpression: 'SET replacedBy = :by',
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(replacedBy)',
        ExpressionAttributeValues: { ':by': replacedBy },
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}

export async function revokeLink(tokenHash: string, by: string, now: string): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: linkKeys.link(tokenHash),
        UpdateExpression: 'SET revokedAt = :now, revokedBy = :by',
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(revokedAt)',
        ExpressionAttributeValues: { ':now': now, ':by': by },
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}

export async function deleteLink(l: Pick<ShareLink, 'id' | 'tokenHash' | 'expiresAt'>): Promise<void> {
  await db.send(new DeleteCommand({ TableName: table(), Key: linkKeys.link(l.tokenHash) }));
  await Promise.all([
    db.send(new DeleteCommand({ TableName: table(), Key: linkKeys.pointer(l.id) })),
    db.send(new DeleteCommand({ TableName: table(), Key: linkKeys.expiry(l.expiresAt, l.id) })),
  ]);
}

/** Calendar entries of links expiring after `from` and up to `to` (ISO times), day partition by day. */
export async function linksExpiring(from: string, to: string): Promise<ExpiryEntry[]> {
  const days: string[] = [];
  for (let t = Date.parse(from.slice(0, 10)); t <= Date.parse(to); t += 86_400_000)
    days.push(new Date(t).toISOString().slice(0, 10));
  const pages = await Promise.all(
    days.map((day) =>
      db.send(
        new QueryCommand({
          TableName: table(),
          KeyConditionExpression: 'PK = :pk AND SK BETWEEN :from AND :to',
          ExpressionAttributeValues: { ':pk': linkKeys.expiryDay(day), ':from': `${from}#`, ':to': `${to}#~` },
        }),
      ),
    ),
  );
  return pages.flatMap((p) => (p.Items ?? []).map((i) => stripKeys<ExpiryEntry>(i)!));
}

/** Marks the entry warned; false when another run already did (a rerun never mails twice). */
export async function markExpiryWarned(e: ExpiryEntry, at: string): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: linkKeys.expiry(e.expiresAt, e.linkId),
        UpdateExpression: 'SET warnedAt = :at',
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(warnedAt)',
        ExpressionAttributeValues: { ':at': at },
      }),
    );
    return true;
  } catch (err) {
    if (isConditionFailure(err)) return false;
    throw err;
  }
}

/** The warning was not mailed: the next run tries again. */
export async function unmarkExpiryWarned(e: ExpiryEntry): Promise<void> {
  await db.send(
    new UpdateCommand({
      TableName: table(),
      Key: linkKeys.expiry(e.expiresAt, e.linkId),
      UpdateExpression: 'REMOVE warnedAt',
    }),
  );
}

// ---- invitations -------------------------------------------------------------------

export async function putInvitation(i: Invitation): Promise<void> {
  await db.send(
    new PutCommand({
      TableName: table(),
      Item: { ...inviteKeys.invite(i.tokenHash), ...i },
      ConditionExpression: 'attribute_not_exists(PK)',
    }),
  );
}

export async function getInvitation(tokenHash: string): Promise<Invitation | undefined> {
  const out = await db.send(
    new GetCommand({ TableName: table(), Key: inviteKeys.invite(tokenHash), ConsistentRead: true }),
  );
  return stripKeys<Invitation>(out.Item);
}

/** Single use: only the first caller gets true. */
export async function consumeInvitation(tokenHash: string, now: string): Promise<boolean> {
  try {
    await db.send(
      new UpdateCommand({
        TableName: table(),
        Key: inviteKeys.invite(tokenHash),
        UpdateExpression: 'SET usedAt = :now',
        ConditionExpression: 'attribute_exists(PK) AND attribute_not_exists(usedAt) AND expiresAt > :now',
        ExpressionAttributeValues: { ':now': now },
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}

export async function unconsumeInvitation(tokenHash: string): Promise<void> {
  await db.send(
    new UpdateCommand({ TableName: table(), Key: inviteKeys.invite(tokenHash), UpdateExpression: 'REMOVE usedAt' }),
  );
}

export async function deleteInvitation(tokenHash: string): Promise<void> {
  await db.send(new DeleteCommand({ TableName: table(), Key: inviteKeys.invite(tokenHash) }));
}
