/**
 * Creates the local table, bucket, user pool, groups and app client from the
 * synthesized CloudFormation template, so the local stack and the cloud stack
 * cannot drift. Idempotent: on a restart it finds what it made before
 * (ids kept in <dataDir>/state.json) and only creates what is missing.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  CognitoIdentityProviderClient,
  CreateGroupCommand,
  CreateUserPoolClientCommand,
  CreateUserPoolCommand,
  DescribeUserPoolCommand,
  GetGroupCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import {
  CreateTableCommand,
  DescribeTableCommand,
  DynamoDBClient,
  ResourceNotFoundException,
} from '@aws-sdk/client-dynamodb';
import { CreateBucketCommand, HeadBucketCommand, PutBucketCorsCommand, S3Client } from '@aws-sdk/client-s3';
import type { Resource, Template } from './cfn.ts';
import type { Emulators } from './emulators.ts';

export interface LocalState {
  tableName: string;
  bucketName: string;
  userPoolId?: string;
  clientId?: string;
  adminPassword?: string;
  seeded?: boolean;
  demoClient?: { email: string; password: string };
  /** Each function's (and the operator's) local role session, kept so presigned URLs outlive a restart. */
  credentials?: Record<string, { accessKeyId: string; secretAccessKey: string; sessionToken: string }>;
}

export const localCredentials = { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' };
const region = 'us-east-1';

function resources(template: Template, type: string): Array<[string, Resource]> {
  return Object.entries(template.Resources).filter(([, r]) => r.Type === type);
}
function single(template: Template, type: string, hint?: RegExp): Resource {
  let found = resources(template, type);
  if (found.length > 1 && hint) found = found.filter(([id]) => hint.test(id));
  if (found.length !== 1) throw new Error(`expected one ${type} in the template, found ${found.length}`);
  return found[0][1];
}

export function readState(dataDir: string): LocalState {
  const file = path.join(dataDir, 'state.json');
  if (existsSync(file)) return JSON.parse(readFileSync(file, 'utf8'));
  return { tableName: 'carpeta', bucketName: 'carpeta-documents' };
}
export function writeState(dataDir: string, state: LocalState): void {
  writeFileSync(path.join(dataDir, 'state.json'), JSON.stringify(state, null, 2));
}

async function provisionTable(emu: Emulators, template: Template, name: string): Promise<void> {
  const ddb = new DynamoDBClient({ endpoint: emu.dynamodb, region, credentials: localCredentials });
  try {
    await ddb.send(new DescribeTableCommand({ TableName: name }));
    return;
  } catch (e) {
    if (!(e instanceof ResourceNotFoundException)) throw e;
  }
  const p = single(template, 'AWS::DynamoDB::Table').Properties!;
  await ddb.send(
    new CreateTableCommand({
      TableName: name,
      KeySchema: p.KeySchema,
      AttributeDefinitions: p.AttributeDefinitions,
      BillingMode: p.BillingMode ?? 'PAY_PER_REQUEST',
      GlobalSecondaryIndexes: p.GlobalSecondaryIndexes?.map((g: any) => ({
        IndexName: g.IndexName,
        KeySchema: g.KeySchema,
        Projection: g.Projection,
      })),
    }),
  );
  ddb.destroy();
}

async function provisionBucket(emu: Emulators, template: Template, name: string, origins: string[]): Promise<void> {
  const s3 = new S3Client({ endpoint: emu.s3, region, credentials: localCredentials, forcePathStyle: true });
  // A crashed run can leave the bucket behind: finding it is fine.
  const exists = await s3.send(new HeadBucketCommand({ Bucket: name })).then(
    () => true,
    () => false,
  );
  if (!exists) await s3.send(new CreateBucketCommand({ Bucket: name }));
  const withCors = resources(template, 'AWS::S3::Bucket').find(([, r]) => r.Properties?.CorsConfiguration);
  const rules = (withCors?.[1].Properties?.CorsConfiguration.CorsRules ?? []) as any[];
  await s3.send(
    new PutBucketCorsCommand({
      Bucket: name,
      CORSConfiguration: {
        // The template's origins are the CloudFront domain; locally the site is served from these.
        CORSRules: rules.map((r) => ({
          AllowedMethods: r.AllowedMethods,
          AllowedHeaders: r.AllowedHeaders ?? ['*'],
          AllowedOrigins: origins,
          ExposeHeaders: r.ExposedHeaders,
          MaxAgeSeconds: r.MaxAge,
        })),
      },
    }),
  );
  s3.destroy();
}

async function provisionCognito(emu: Emulators, template: Template, state: LocalState): Promise<void> {
  const idp = new CognitoIdentityProviderClient({
    endpoint: emu.cognito,
    region,
    credentials: localCredentials,
    maxAttempts: 1,
  });
  if (state.userPoolId) {
    const ok = await idp.send(new DescribeUserPoolCommand({ UserPoolId: state.userPoolId })).then(
      () => true,
      () => false,
    );
    if (!ok) state.userPoolId = state.clientId = undefined;
  }
  if (!state.userPoolId) {
    const p = single(template, 'AWS::Cognito::UserPool').Properties!;
    const out = await idp.send(
      new CreateUserPoolCommand({
        PoolName: p.UserPoolName ?? 'carpeta',
        Policies: p.Policies,
        UsernameAttributes: p.UsernameAttributes,
        AutoVerifiedAttributes: p.AutoVerifiedAttributes,
        MfaConfiguration: p.MfaConfiguration,
        Schema: p.Schema,
      }),
    );
    state.userPoolId = out.UserPool!.Id!;
  }
  for (const [, g] of resources(template, 'AWS::Cognito::UserPoolGroup')) {
    const GroupName = g.Properties!.GroupName as string;
    const exists = await idp.send(new GetGroupCommand({ UserPoolId: state.userPoolId, GroupName })).then(
      () => true,
      () => false,
    );
    if (!exists)
      await idp.send(
        new CreateGroupCommand({
          UserPoolId: state.userPoolId,
          GroupName,
          Description: g.Properties!.Description,
          Precedence: g.Properties!.Precedence,
        }),
      );
  }
  if (!state.clientId) {
    const c = single(template, 'AWS::Cognito::UserPoolClient').Properties!;
    const out = await idp.send(
      new CreateUserPoolClientCommand({
        UserPoolId: state.userPoolId,
        ClientName: c.ClientName ?? 'carpeta-web',
        ExplicitAuthFlows: c.ExplicitAuthFlows,
        GenerateSecret: false,
        RefreshTokenValidity: c.RefreshTokenValidity,
        AccessTokenValidity: c.AccessTokenValidity,
        IdTokenValidity: c.IdTokenValidity,
        TokenValidityUnits: c.TokenValidityUnits,
        PreventUserExistenceErrors: c.PreventUserExistenceErrors,
      }),
    );
    state.clientId = out.UserPoolClient!.ClientId!;
  }
  idp.destroy();
}

export async function provision(
  emu: Emulators,
  template: Template,
  dataDir: string,
  siteOrigins: string[],
): Promise<LocalState> {
  const state = readState(dataDir);
  await Promise.all([
    provisionTable(emu, template, state.tableName),
    provisionBucket(emu, template, state.bucketName, siteOrigins),
    provisionCognito(emu, template, state),
  ]);
  writeState(dataDir, state);
  return state;
}
