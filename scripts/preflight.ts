/**
 * Checks, read-only, the AWS account a company is about to deploy into, with the same context
 * `cdk deploy` will get:
 *
 *   npm run preflight -- --profile <p> --region <r> -c senderEmail=avisos@empresa.example [-c key=value ...]
 *
 * CDK bootstrap, the stack's state, the SES account (sandbox) and sender identity, the Lambda
 * concurrency against the API throttle (scripts/preflight-checks.ts). It prints what would fail and
 * how to fix it, changes nothing, and exits 1 when something would fail (2 on bad arguments or
 * unusable credentials). Context comes from cdk.json's "context", then each -c, as with the CDK CLI.
 */
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { LambdaClient } from '@aws-sdk/client-lambda';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SSMClient } from '@aws-sdk/client-ssm';
import { GetCallerIdentityCommand, STSClient } from '@aws-sdk/client-sts';
import { bool, ContextError, chooseRegion, readDeploymentSettings, readThrottles, str } from '../infra/context.ts';
import { defaultMailDomain, senderIdentityName } from '../infra/mail.ts';
import { type Plan, preflight, report } from './preflight-checks.ts';

const usage = 'usage: npm run preflight -- [--profile <p>] [--region <r>] -c senderEmail=<address> [-c key=value ...]';
const { values } = parseArgs({
  options: {
    profile: { type: 'string' },
    region: { type: 'string' },
    context: { type: 'string', short: 'c', multiple: true },
    help: { type: 'boolean', short: 'h' },
  },
});
if (values.help) {
  console.log(usage);
  process.exit(0);
}

const cdkJson = JSON.parse(readFileSync(new URL('../cdk.json', import.meta.url), 'utf8')) as { context?: object };
const context: Record<string, unknown> = { ...cdkJson.context };
for (const pair of values.context ?? []) {
  const at = pair.indexOf('=');
  if (at < 1) {
    console.error(`-c ${pair}: expected key=value\n${usage}`);
    process.exit(2);
  }
  context[pair.slice(0, at)] = pair.slice(at + 1);
}
if (values.region) context.region = values.region;
const ctx = (k: string) => context[k];

try {
  const { profile } = values;
  // The region as `cdk deploy --profile` would choose it: the CLI resolves the profile's region (else
  // passes us-east-1) as CDK_DEFAULT_REGION, and infra/context.ts decides from there.
  const profileRegion = await new STSClient({ profile }).config.region().catch(() => undefined);
  const { region, source } = chooseRegion(str(ctx('region')), {
    ...process.env,
    CDK_DEFAULT_REGION: profileRegion ?? 'us-east-1',
  });
  const settings = readDeploymentSettings(ctx);
  const mailDomain = str(ctx('mailDomain')) ?? defaultMailDomain(settings.senderEmail, settings.domain);

  const sts = new STSClient({ region, profile });
  const account = await sts.send(new GetCallerIdentityCommand({})).then(
    (r) => r.Account,
    (e: Error) => {
      console.error(`The credentials${profile ? ` of profile ${profile}` : ''} do not work: ${e.name}: ${e.message}`);
      process.exit(2);
    },
  );
  const plan: Plan = {
    stackName: str(ctx('stackName')) ?? 'Carpeta',
    region,
    account,
    profile,
    senderEmail: settings.senderEmail,
    identityName: senderIdentityName(settings.senderEmail, mailDomain),
    senderIdentity: settings.senderIdentity,
    sesSandbox: bool(ctx('sesSandbox')) ?? false,
    throttle: readThrottles(ctx).throttle,
  };
  console.log(`Region ${region} (${source}).`);
  const config = { region, profile };
  const findings = await preflight(
    {
      ssm: new SSMClient(config),
      cloudformation: new CloudFormationClient(config),
      sesv2: new SESv2Client(config),
      lambda: new LambdaClient(config),
    },
    plan,
  );
  const { text, exitCode } = report(plan, findings);
  console.log(text);
  process.exit(exitCode);
} catch (err) {
  if (!(err instanceof ContextError)) throw err;
  console.error(`${err.message}\n${usage}`);
  process.exit(2);
}
