import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client.ts';
import { userKeys } from './keys.ts';

export type UserKind = 'staff' | 'webuser';
export type UserStatus = 'active' | 'disabled' | 'invited';

export interface UserProfile {
  id: string;
  email: string;
  name: string;
  kind: UserKind;
  status: UserStatus;
  language: 'es' | 'en';
  createdAt: string;
  updatedAt: string;
}

function toProfile(item: Record<string, unknown> | undefined): UserProfile | undefined {
  if (!item) return undefined;
  const { id, email, name, kind, status, language, createdAt, updatedAt } = item as unknown as UserProfile;
  return { id, email, name, kind, status, language, createdAt, updatedAt };
}

export async function getProfile(sub: string): Promise<UserProfile | undefined> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: userKeys.profile(sub), ConsistentRead: true }));
  return toProfile(out.Item);
}

/** Creates the profile, or overwrites it when `overwrite` (used by the idempotent seed). */
export async function putProfile(p: UserProfile, overwrite = false): Promise<void> {
  await db.send(
    new PutCommand({
      TableName: table(),
      Item: { ...userKeys.profile(p.id), ...userKeys.byEmail(p.email), ...p },
      ...(overwrite ? {} : { ConditionExpression: 'attribute_not_exists(PK)' }),
    }),
  );
}
