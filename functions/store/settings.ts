/** The company's settings: one item. Defaults come from the deployment's context values. */
import { GetCommand, PutCommand } from '@aws-sdk/lib-dynamodb';
import { db, table } from './client.ts';
import { settingsKeys } from './keys.ts';
import { config } from '../lib/config.ts';
import type { CompanySettings } from '../domain/model.ts';

export function defaultSettings(): CompanySettings {
  return {
    name: config.companyName,
    colors: { primary: '#1f4e79', accent: '#c8553d' },
    defaultLanguage: 'es',
    linkDefaultDays: 30,
    notifications: { batchMinutes: 10, uploaderReceipts: false },
    retentionMonths: 0,
  };
}

export async function getSettings(): Promise<CompanySettings> {
  const out = await db.send(new GetCommand({ TableName: table(), Key: settingsKeys.company() }));
  const { PK, SK, ...stored } = (out.Item ?? {}) as Record<string, any>;
  return { ...defaultSettings(), ...stored };
}

export async function putSettings(s: CompanySettings): Promise<void> {
  await db.send(new PutCommand({ TableName: table(), Item: { ...settingsKeys.company(), ...s } }));
}
