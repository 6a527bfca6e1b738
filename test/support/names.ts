/**
 * Physical names in synthesized templates, as CloudFormation resolves them for one deployment:
 * which property holds each type's name and how far it is unique (test/infra/names.test.ts,
 * test/infra/preflight.test.ts).
 */

type Json = Record<string, any>;

/**
 * The resource types whose physical names are unique in a scope: the property (path) that holds the
 * name, and the scope, `region` (per account and region) or `account` (per account, every region).
 */
const NAME_TABLE = `
  AWS::Backup::BackupVault                 BackupVaultName                   region
  AWS::Backup::BackupPlan                  BackupPlan.BackupPlanName         region
  AWS::CloudFront::ResponseHeadersPolicy   ResponseHeadersPolicyConfig.Name  account
  AWS::CloudFront::OriginAccessControl     OriginAccessControlConfig.Name    account
  AWS::CloudFront::CachePolicy             CachePolicyConfig.Name            account
  AWS::CloudFront::OriginRequestPolicy     OriginRequestPolicyConfig.Name    account
  AWS::CloudFront::Function                Name                              account
  AWS::CloudWatch::Dashboard               DashboardName                     account
  AWS::CloudWatch::Alarm                   AlarmName                         region
  AWS::SES::ConfigurationSet               Name                              region
  AWS::SES::EmailIdentity                  EmailIdentity                     region
  AWS::SNS::Topic                          TopicName                         region
  AWS::S3::Bucket                          BucketName                        account
  AWS::DynamoDB::Table                     TableName                         region
  AWS::Lambda::Function                    FunctionName                      region
  AWS::IAM::Role                           RoleName                          account
  AWS::IAM::ManagedPolicy                  ManagedPolicyName                 account
  AWS::Logs::LogGroup                      LogGroupName                      region
  AWS::Scheduler::Schedule                 Name                              region
  AWS::Scheduler::ScheduleGroup            Name                              region
  AWS::Cognito::UserPoolDomain             Domain                            region
`;

/** Each type of NAME_TABLE: how to read its name from its properties, and whether it is unique per account. */
export const NAMED_TYPES: Record<string, { name: (p: Json) => unknown; global: boolean }> = Object.fromEntries(
  NAME_TABLE.trim()
    .split('\n')
    .map((line) => {
      const [type, path, scope] = line.trim().split(/\s+/);
      const name = (p: Json) => path.split('.').reduce<Json | undefined>((o, k) => o?.[k], p);
      return [type, { name, global: scope === 'account' }];
    }),
);

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
