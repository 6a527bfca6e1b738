/**
 * Tax ids and client codes of client folders: one claim item per value, written with a condition, so
 * two folders can never hold the same one (no transactions: claim first, then the folder; release the
 * old value last). A lookup of many values is one BatchGet.
 */
import { DeleteCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import type { ClientIdClaim, ClientIdKind } from '../domain/model.ts';
import { batchGet, isConditionFailure, keyOf, stripKeys } from './batch.ts';
import { db, table } from './client.ts';
import { clientIdKeys } from './keys.ts';

async function conditionalPut(item: Record<string, unknown>, condition: string, values?: Record<string, unknown>) {
  try {
    await db.send(
      new PutCommand({
        TableName: table(),
        Item: item,
        ConditionExpression: condition,
        ...(values ? { ExpressionAttributeValues: values } : {}),
      }),
    );
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}

/** True when the value was free (or already this folder's). */
export function claimClientId(c: ClientIdClaim): Promise<boolean> {
  return conditionalPut({ ...clientIdKeys.claim(c.kind, c.value), ...c }, 'attribute_not_exists(PK) OR folderId = :f', {
    ':f': c.folderId,
  });
}

/** Takes over a claim only while it still belongs to `staleFolderId` (a folder gone, or that no longer has it). */
export function replaceClientIdClaim(c: ClientIdClaim, staleFolderId: string): Promise<boolean> {
  return conditionalPut({ ...clientIdKeys.claim(c.kind, c.value), ...c }, 'folderId = :stale', {
    ':stale': staleFolderId,
  });
}

/** Releases a value if this folder still holds it; never someone else's. */
export async function releaseClientId(kind: ClientIdKind, value: string, folderId: string): Promise<void> {
  try {
    await db.send(
      new DeleteCommand({
        TableName: table(),
        Key: clientIdKeys.claim(kind, value),
        ConditionExpression: 'folderId = :f',
        ExpressionAttributeValues: { ':f': folderId },
      }),
    );
  } catch (e) {
    if (!isConditionFailure(e)) throw e;
  }
}

/** The claims of these values, in one round (BatchGets of 100 in parallel); values nobody holds are absent. */
export async function getClientIdClaims(ids: Array<{ kind: ClientIdKind; value: string }>): Promise<ClientIdClaim[]> {
  const items = await batchGet(ids.map((i) => clientIdKeys.claim(i.kind, i.value)));
  const out: ClientIdClaim[] = [];
  for (const i of ids) {
    const item = items.get(keyOf(clientIdKeys.claim(i.kind, i.value)));
    if (item) out.push(stripKeys<ClientIdClaim>(item)!);
  }
  return out;
}
