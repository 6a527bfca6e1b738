/**
 * Two-step verification codes. The one pending code of a staff member lives on their profile item (as
 * `twoStepCode`, which no repository ever hands out: see stripKeys), so checking it and recording that the
 * authenticator is confirmed (`twoStepSince`) is one conditional write on one item: no transaction, and no
 * second item to forget.
 */
import { GetCommand, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { TWO_STEP_CODE, type TwoStepCode } from '../domain/two-step.ts';
import { isConditionFailure } from './batch.ts';
import { db, table } from './client.ts';
import { userKeys } from './keys.ts';

type Update = Omit<ConstructorParameters<typeof UpdateCommand>[0], 'TableName'>;

async function conditional(input: Update): Promise<boolean> {
  try {
    await db.send(new UpdateCommand({ ...input, TableName: table() }));
    return true;
  } catch (e) {
    if (isConditionFailure(e)) return false;
    throw e;
  }
}

export async function getTwoStepCode(sub: string): Promise<TwoStepCode | undefined> {
  const out = await db.send(
    new GetCommand({
      TableName: table(),
      Key: userKeys.profile(sub),
      ProjectionExpression: 'twoStepCode',
      ConsistentRead: true,
    }),
  );
  return out.Item?.twoStepCode ? { ...out.Item.twoStepCode, userId: sub } : undefined;
}

/**
 * Stores a new code unless one was sent less than `resendSeconds` ago (then false): the condition makes the
 * check and the write one step, so parallel requests cannot mail two codes.
 */
export function putTwoStepCode(c: TwoStepCode): Promise<boolean> {
  const { userId, ...code } = c;
  return conditional({
    Key: userKeys.profile(userId),
    UpdateExpression: 'SET twoStepCode = :c',
    ConditionExpression:
      'attribute_exists(PK) AND (attribute_not_exists(twoStepCode) OR twoStepCode.sentAt <= :before)',
    ExpressionAttributeValues: {
      ':c': code,
      ':before': new Date(Date.parse(c.sentAt) - TWO_STEP_CODE.resendSeconds * 1000).toISOString(),
    },
  });
}

/** Counts one wrong code, atomically and only below the limit (so parallel guesses get no extra tries). */
export function countWrongTwoStepCode(sub: string, codeHash: string): Promise<boolean> {
  return conditional({
    Key: userKeys.profile(sub),
    UpdateExpression: 'SET twoStepCode.attempts = twoStepCode.attempts + :one',
    ConditionExpression: 'twoStepCode.codeHash = :h AND twoStepCode.attempts < :max',
    ExpressionAttributeValues: { ':one': 1, ':h': codeHash, ':max': TWO_STEP_CODE.attempts },
  });
}

/**
 * The authenticator is confirmed: the code is spent and the profile records since when, in one write.
 * False when the code was spent or replaced meanwhile.
 */
export function completeTwoStep(sub: string, codeHash: string, since: string): Promise<boolean> {
  return conditional({
    Key: userKeys.profile(sub),
    UpdateExpression: 'SET twoStepSince = :s, updatedAt = :s REMOVE twoStepCode',
    ConditionExpression: 'twoStepCode.codeHash = :h',
    ExpressionAttributeValues: { ':s': since, ':h': codeHash },
  });
}

export async function deleteTwoStepCode(sub: string): Promise<void> {
  await conditional({
    Key: userKeys.profile(sub),
    UpdateExpression: 'REMOVE twoStepCode',
    ConditionExpression: 'attribute_exists(PK)',
  });
}
