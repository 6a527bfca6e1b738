/** The company's settings: one item. Defaults come from the deployment's context values. */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { type CompanySettings, companyDefaults } from '../domain/model.ts';
import { config } from '../lib/config.ts';
import { db, table } from './client.ts';
import { settingsKeys } from './keys.ts';

export const defaultSettings = (): CompanySettings => companyDefaults(config.companyName);

export async function getSettings(): Promise<CompanySettings> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: settingsKeys.company() }));
  const { PK, SK, ...stored } = (out.Item ?? {}) as Record<string, any>;
  return { ...defaultSettings(), ...stored };
}

export async function putSettings(s: CompanySettings): Promise<void> {
  await db.send(new PutCommand({ TableName: table(), Item: { ...settingsKeys.company(), ...s } }));
}
