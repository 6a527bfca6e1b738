/**
 * The local deployment: the synthesized template read as AWS would deploy it,
 * with each resource standing in locally (the emulators' table, bucket and
 * user pool; the local server for the distribution and the HTTP API). It
 * yields what the local Lambda service runs (each function's asset, handler,
 * environment, timeout and role) and what the AWS gateway enforces (each
 * role's identity policies, the bucket policy, the SES identities).
 */
import { type Artifacts, assetDir } from './artifacts.ts';
import {
  type Json,
  LOCAL_ACCOUNT,
  LOCAL_REGION,
  type LocalResource,
  resolve,
  resourcesOfType,
  roleArn,
  rolePolicies,
  type Template,
} from './cfn.ts';
import type { FunctionSpec } from './runtime/pool.ts';

export interface LocalNames {
  tableName: string;
  bucketName: string;
  userPoolId: string;
  clientId: string;
  /** The local server: it stands in for the CloudFront distribution (the site) and the HTTP API (under /api). */
  siteUrl: string;
  apiUrl: string;
}

export interface Deployment {
  template: Template;
  account: string;
  region: string;
  resources: Record<string, LocalResource>;
  functions: FunctionSpec[];
  /** Identity policies by role ARN. */
  policies: Map<string, Array<{ name: string; policy: Json }>>;
  table: { name: string; arn: string; hashKey: string; indexHashKeys: Record<string, string> };
  bucket: { name: string; arn: string; policy?: Json };
  userPool: { id: string; arn: string; clientId: string };
  /** SES identities (addresses or domains) the template verifies, and its configuration sets. */
  ses: { identities: string[]; configurationSets: string[] };
}

const single = (template: Template, type: string, hint?: RegExp) => {
  let found = resourcesOfType(template, type);
  if (found.length > 1 && hint) found = found.filter(([id]) => hint.test(id));
  if (found.length !== 1) throw new Error(`expected one ${type} in the template, found ${found.length}`);
  return found[0];
};

/** A stand-in for every resource: the mapped ones by name, any other by its logical id. */
function localResources(template: Template, names: LocalNames): Record<string, LocalResource> {
  const arn = (service: string, rest: string, regional = true) =>
    `arn:aws:${service}:${regional ? LOCAL_REGION : ''}:${regional ? LOCAL_ACCOUNT : ''}:${rest}`;
  const out: Record<string, LocalResource> = {};
  // Anything not mapped below still resolves, to a name and ARN of its own (log groups, topics...).
  for (const [id, r] of Object.entries(template.Resources)) {
    const service = r.Type.split('::')[1]?.toLowerCase() ?? 'local';
    out[id] = { ref: id, attributes: { Arn: arn(service, `${r.Type.split('::')[2]?.toLowerCase()}/${id}`) } };
  }
  const [tableId] = single(template, 'AWS::DynamoDB::Table');
  out[tableId] = { ref: names.tableName, attributes: { Arn: arn('dynamodb', `table/${names.tableName}`) } };
  const [bucketId] = single(template, 'AWS::S3::Bucket', /^Documents/);
  out[bucketId] = {
    ref: names.bucketName,
    attributes: {
      Arn: `arn:aws:s3:::${names.bucketName}`,
      DomainName: new URL(names.siteUrl).host,
      RegionalDomainName: new URL(names.siteUrl).host,
    },
  };
  for (const [id] of resourcesOfType(template, 'AWS::S3::Bucket')) {
    if (id !== bucketId)
      out[id] = { ref: `local-${id.toLowerCase()}`, attributes: { Arn: `arn:aws:s3:::local-${id.toLowerCase()}` } };
  }
  const [poolId] = single(template, 'AWS::Cognito::UserPool');
  out[poolId] = {
    ref: names.userPoolId,
    attributes: {
      Arn: arn('cognito-idp', `userpool/${names.userPoolId}`),
      ProviderURL: `cognito-idp.${LOCAL_REGION}.amazonaws.com/${names.userPoolId}`,
    },
  };
  out[single(template, 'AWS::Cognito::UserPoolClient')[0]] = { ref: names.clientId };
  for (const [id] of resourcesOfType(template, 'AWS::IAM::Role'))
    out[id] = { ref: id, attributes: { Arn: roleArn(id), RoleId: id } };
  for (const [id] of resourcesOfType(template, 'AWS::SES::ConfigurationSet'))
    out[id] = { ref: `carpeta-${id.toLowerCase()}` };
  for (const [id] of resourcesOfType(template, 'AWS::ApiGatewayV2::Api'))
    out[id] = { ref: id, attributes: { ApiEndpoint: names.apiUrl, ApiId: id } };
  for (const [id] of resourcesOfType(template, 'AWS::CloudFront::Distribution')) {
    out[id] = { ref: id, attributes: { DomainName: new URL(names.siteUrl).host } };
  }
  return out;
}

export function readDeployment(artifacts: Artifacts, names: LocalNames): Deployment {
  const { template } = artifacts;
  const resources = localResources(template, names);
  const functions: FunctionSpec[] = [];
  const policies = new Map<string, Array<{ name: string; policy: Json }>>();
  for (const [id, r] of resourcesOfType(template, 'AWS::Lambda::Function')) {
    const p = r.Properties ?? {};
    const environment = resolve(p.Environment?.Variables ?? {}, resources) as Record<string, string>;
    // Only Carpeta's own functions run locally (CDK's deployment helpers have no local counterpart).
    if (!environment.CARPETA_FUNCTION) continue;
    // The site and the API are the local server's: the template names them with https:// on AWS domains.
    if ('SITE_URL' in environment) environment.SITE_URL = names.siteUrl;
    if ('API_URL' in environment) environment.API_URL = names.apiUrl;
    const roleId = p.Role?.['Fn::GetAtt']?.[0] as string;
    if (!roleId) throw new Error(`function ${id} has no role of the stack's own`);
    const fnName = `Carpeta-${id}`;
    functions.push({
      name: environment.CARPETA_FUNCTION,
      logicalId: id,
      functionName: fnName,
      arn: `arn:aws:lambda:${LOCAL_REGION}:${LOCAL_ACCOUNT}:function:${fnName}`,
      codeDir: assetDir(artifacts, p.Code ?? {}),
      handler: String(p.Handler ?? 'index.handler'),
      environment,
      timeoutSeconds: Number(p.Timeout ?? 3),
      memoryMb: Number(p.MemorySize ?? 128),
      roleLogicalId: roleId,
      roleArn: roleArn(roleId),
    });
    policies.set(roleArn(roleId), rolePolicies(template, roleId, resources));
  }

  const [tableId, table] = single(template, 'AWS::DynamoDB::Table');
  const hashOf = (schema: Array<{ AttributeName: string; KeyType: string }>) =>
    schema.find((k) => k.KeyType === 'HASH')!.AttributeName;
  const indexHashKeys: Record<string, string> = {};
  for (const g of (table.Properties?.GlobalSecondaryIndexes ?? []) as Array<{ IndexName: string; KeySchema: Json }>) {
    indexHashKeys[g.IndexName] = hashOf(g.KeySchema);
  }
  const [bucketId] = single(template, 'AWS::S3::Bucket', /^Documents/);
  const bucketPolicy = resourcesOfType(template, 'AWS::S3::BucketPolicy').find(
    ([, r]) => r.Properties?.Bucket?.Ref === bucketId,
  );
  const configurationSets = resourcesOfType(template, 'AWS::SES::ConfigurationSet').map(([id]) => resources[id].ref);
  const identities = resourcesOfType(template, 'AWS::SES::EmailIdentity').map(([, r]) =>
    String(resolve(r.Properties?.EmailIdentity, resources)).toLowerCase(),
  );
  const [poolId] = single(template, 'AWS::Cognito::UserPool');
  return {
    template,
    account: LOCAL_ACCOUNT,
    region: LOCAL_REGION,
    resources,
    functions,
    policies,
    table: {
      name: names.tableName,
      arn: resources[tableId].attributes!.Arn,
      hashKey: hashOf(table.Properties?.KeySchema),
      indexHashKeys,
    },
    bucket: {
      name: names.bucketName,
      arn: `arn:aws:s3:::${names.bucketName}`,
      policy: bucketPolicy ? resolve(bucketPolicy[1].Properties?.PolicyDocument, resources) : undefined,
    },
    userPool: { id: names.userPoolId, arn: resources[poolId].attributes!.Arn, clientId: names.clientId },
    ses: { identities, configurationSets },
  };
}
