/**
 * Physical names in synthesized templates, as CloudFormation resolves them for one deployment:
 * which property holds each type's name and how far it is unique (test/infra/names.test.ts,
 * test/infra/preflight.test.ts).
 */

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** Where each type keeps its physical name, and whether the name is unique per account (else per region). */
export const NAMED_TYPES: Record<string, { name: (p: Json) => unknown; global?: boolean }> = {
  'AWS::Backup::BackupVault': { name: (p) => p.BackupVaultName },
  'AWS::Backup::BackupPlan': { name: (p) => p.BackupPlan?.BackupPlanName },
  'AWS::CloudFront::ResponseHeadersPolicy': { name: (p) => p.ResponseHeadersPolicyConfig?.Name, global: true },
  'AWS::CloudFront::OriginAccessControl': { name: (p) => p.OriginAccessControlConfig?.Name, global: true },
  'AWS::CloudFront::CachePolicy': { name: (p) => p.CachePolicyConfig?.Name, global: true },
  'AWS::CloudFront::OriginRequestPolicy': { name: (p) => p.OriginRequestPolicyConfig?.Name, global: true },
  'AWS::CloudFront::Function': { name: (p) => p.Name, global: true },
  'AWS::CloudWatch::Dashboard': { name: (p) => p.DashboardName, global: true },
  'AWS::CloudWatch::Alarm': { name: (p) => p.AlarmName },
  'AWS::SES::ConfigurationSet': { name: (p) => p.Name },
  'AWS::SES::EmailIdentity': { name: (p) => p.EmailIdentity },
  'AWS::SNS::Topic': { name: (p) => p.TopicName },
  'AWS::S3::Bucket': { name: (p) => p.BucketName, global: true },
  'AWS::DynamoDB::Table': { name: (p) => p.TableName },
  'AWS::Lambda::Function': { name: (p) => p.FunctionName },
  'AWS::IAM::Role': { name: (p) => p.RoleName, global: true },
  'AWS::IAM::ManagedPolicy': { name: (p) => p.ManagedPolicyName, global: true },
  'AWS::Logs::LogGroup': { name: (p) => p.LogGroupName },
  'AWS::Scheduler::Schedule': { name: (p) => p.Name },
  'AWS::Scheduler::ScheduleGroup': { name: (p) => p.Name },
  'AWS::Cognito::UserPoolDomain': { name: (p) => p.Domain },
};

/** What CloudFormation knows when it creates one stack. */
export interface Deployment {
  label: string;
  account: string;
  region: string;
  stackName: string;
  stackId: string;
  resources: Record<string, Json>;
}

/**
 * A name as CloudFormation resolves it: pseudo parameters, Fn::Join / Select / Split / Sub. A Ref or
 * GetAtt of a resource is a name CloudFormation generated for this stack (unique by construction).
 */
export function resolveName(v: unknown, d: Deployment): unknown {
  const pseudo: Record<string, string> = {
    'AWS::AccountId': d.account,
    'AWS::Region': d.region,
    'AWS::StackName': d.stackName,
    'AWS::StackId': d.stackId,
    'AWS::Partition': 'aws',
    'AWS::URLSuffix': 'amazonaws.com',
  };
  const walk = (x: unknown): unknown => {
    if (Array.isArray(x)) return x.map(walk);
    if (!x || typeof x !== 'object') return x;
    const [[k, arg]] = Object.entries(x as Json);
    if (k === 'Ref') return pseudo[arg] ?? `generated:${d.stackId}:${arg}`;
    if (k === 'Fn::GetAtt') return `generated:${d.stackId}:${[arg].flat().join('.')}`;
    if (k === 'Fn::Join') return (walk(arg[1]) as unknown[]).join(arg[0]);
    if (k === 'Fn::Select') return (walk(arg[1]) as unknown[])[Number(walk(arg[0]))];
    if (k === 'Fn::Split') return String(walk(arg[1])).split(arg[0]);
    if (k === 'Fn::Sub') return String(arg).replace(/\$\{([^}]+)\}/g, (_, n: string) => String(walk({ Ref: n })));
    throw new Error(`cannot resolve ${k} in a name`);
  };
  return walk(v);
}

/** Every explicit physical name of the listed types in one deployment: [type, logical id, name]. */
export function namesOf(d: Deployment): [string, string, string][] {
  const out: [string, string, string][] = [];
  for (const [id, r] of Object.entries(d.resources)) {
    const spec = NAMED_TYPES[r.Type];
    const raw = spec?.name(r.Properties ?? {});
    if (raw !== undefined) out.push([r.Type, id, String(resolveName(raw, d))]);
  }
  return out;
}
