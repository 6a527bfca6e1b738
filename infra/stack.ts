/**
 * CarpetaStack: one company's deployment. Wires the constructs (one per concern)
 * and exports the values the web app, the scripts and the operator need.
 */
import { App, CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { Api, type Throttle } from './api.ts';
import { ApiCors } from './api-cors.ts';
import { Auth } from './auth.ts';
import { bool, chooseRegion, readDeploymentSettings, readThrottles, str } from './context.ts';
import { Data } from './data.ts';
import { Documents } from './documents.ts';
import { Jobs } from './jobs.ts';
import { AccessLogs } from './logs.ts';
import { defaultMailDomain, Mail, type SenderIdentity } from './mail.ts';
import { Monitoring } from './monitoring.ts';
import { addNagPacks } from './nag.ts';
import { Site } from './site.ts';

export interface CarpetaStackProps extends StackProps {
  /** Shown in mails and pages (`COMPANY_NAME`). */
  readonly companyName: string;
  /** From address of every message the app sends. */
  readonly senderEmail: string;
  /**
   * Create the sender's SES identity, or reference one that already exists (infra/mail.ts).
   * @default 'create'
   */
  readonly senderIdentity?: SenderIdentity;
  /**
   * Custom domain of the site (CORS origin, SITE_URL in mails; on CloudFront with `certificateArn`).
   * @default - the CloudFront domain
   */
  readonly domain?: string;
  /**
   * ACM certificate ARN in us-east-1 for `domain`.
   * @default - none
   */
  readonly certificateArn?: string;
  /**
   * Verify this domain in SES (DKIM) instead of the single sender address.
   * @default `domain` when `senderEmail` is at `domain` (or a subdomain of it), else none
   */
  readonly mailDomain?: string;
  /**
   * The SES account is still in the sandbox (widens the send grant to recipient identities).
   * @default false
   */
  readonly sesSandbox?: boolean;
  /**
   * Cognito Plus plan with threat protection (billed per MAU).
   * @default false
   */
  readonly threatProtection?: boolean;
  /**
   * The operator's address for alarms (SNS email subscription; confirm the mail SNS sends).
   * @default - none: subscribe to the AlarmTopicArn output
   */
  readonly alarmEmail?: string;
  /**
   * Every API route's default throttle.
   * @default DEFAULT_THROTTLE (infra/api.ts: 20 requests/s, burst 40, sized for a new account's Lambda quota)
   */
  readonly throttle?: Throttle;
  /**
   * The route-level throttle of each anonymous route (share links, invitations, branding).
   * @default DEFAULT_ANONYMOUS_THROTTLE (infra/api.ts: 5 requests/s, burst 10)
   */
  readonly anonymousThrottle?: Throttle;
  /**
   * Bundle the Lambda functions with esbuild; false uses inline placeholders (fast tests, local stack).
   * @default true
   */
  readonly bundle?: boolean;
}

export class CarpetaStack extends Stack {
  readonly data: Data;
  readonly documents: Documents;
  readonly auth: Auth;
  readonly mail: Mail;
  readonly api: Api;
  readonly site: Site;
  readonly monitoring: Monitoring;

  constructor(scope: Construct, id: string, props: CarpetaStackProps) {
    super(scope, id, {
      description: `Carpeta: document sharing for ${props.companyName}`,
      ...props,
    });
    const { domain } = props;
    const mailDomain = props.mailDomain ?? defaultMailDomain(props.senderEmail, domain);

    const accessLogs = new AccessLogs(this, 'AccessLogs');
    this.data = new Data(this, 'Data');
    this.documents = new Documents(this, 'Documents', { accessLogsBucket: accessLogs.bucket });
    this.auth = new Auth(this, 'Auth', { threatProtection: props.threatProtection });
    this.mail = new Mail(this, 'Mail', {
      senderEmail: props.senderEmail,
      mailDomain,
      sandbox: props.sesSandbox,
      identity: props.senderIdentity,
    });
    this.api = new Api(this, 'Api', {
      data: this.data,
      documents: this.documents,
      auth: this.auth,
      mail: this.mail,
      companyName: props.companyName,
      bundle: props.bundle ?? true,
      throttle: props.throttle,
      anonymousThrottle: props.anonymousThrottle,
    });
    this.site = new Site(this, 'Site', {
      apiUrl: this.api.url,
      auth: this.auth,
      documentsBucketName: this.documents.bucketNameLiteral,
      accessLogsBucket: accessLogs.bucket,
      domain,
      certificateArn: props.certificateArn,
    });
    // CORS for the site's own origin only, on the documents bucket and on the API (infra/api-cors.ts).
    this.documents.allowOrigin(this.site.url);
    new ApiCors(this, 'ApiCors', { httpApi: this.api.httpApi, origin: this.site.url });
    this.api.addEnvironment('SITE_URL', this.site.url);
    this.api.addEnvironment('API_URL', this.api.url);
    new Jobs(this, 'Jobs', { fn: this.api.jobs });
    // Last: it watches what the constructs above created (including any queue).
    this.monitoring = new Monitoring(this, 'Monitoring', {
      api: this.api,
      data: this.data,
      mail: this.mail,
      functions: { ...this.api.functions, jobs: this.api.jobs },
      alarmEmail: props.alarmEmail,
    });

    const out = (id: string, value: string, description: string) => new CfnOutput(this, id, { value, description });
    out('ApiUrl', this.api.url, 'HTTP API base URL');
    out('SiteUrl', this.site.url, 'Admin site and client portal');
    out('UserPoolId', this.auth.userPool.userPoolId, 'Cognito user pool (create the first admin here)');
    out('UserPoolClientId', this.auth.client.userPoolClientId, 'Cognito app client of the web app');
    out('TableName', this.data.table.tableName, 'DynamoDB table');
    out('BucketName', this.documents.bucket.bucketName, 'Documents bucket');
    out('DistributionId', this.site.distribution.distributionId, 'CloudFront distribution');
    out(
      'AlarmTopicArn',
      this.monitoring.topic.topicArn,
      'SNS topic of the alarms (subscribe the operator; -c alarmEmail=... does it)',
    );
    out('DashboardName', this.monitoring.dashboard.dashboardName, 'CloudWatch dashboard');
    if (mailDomain && this.mail.identity) {
      for (const [i, r] of this.mail.identity.dkimRecords.entries())
        out(
          `DkimRecord${i + 1}`,
          `${r.name} CNAME ${r.value}`,
          `DNS record ${i + 1} of 3 to verify ${mailDomain} in SES`,
        );
    }
  }
}

/** Options for {@link buildApp}. Values not given are read from CDK context (cdk.json, `-c key=value`). */
export interface BuildAppOptions {
  /** Extra context, as `-c key=value` would give (companyName, senderEmail, domain, region, ...). */
  readonly context?: Record<string, unknown>;
  /** @default true */
  readonly bundle?: boolean;
  /**
   * Register cdk-nag AwsSolutions and HIPAA Security: synth fails on any unacknowledged finding of either.
   * @default false
   */
  readonly nag?: boolean;
  /** Cloud assembly directory. @default the CLI's, or a temp dir */
  readonly outdir?: string;
  /**
   * CloudFormation validation of the template at synth (slower).
   * @default true
   */
  readonly validation?: boolean;
  /**
   * The environment the region is chosen from (infra/context.ts `chooseRegion`).
   * @default process.env
   */
  readonly env?: NodeJS.ProcessEnv;
  /**
   * Where the app says which stack and region it synthesizes (infra/app.ts prints it).
   * @default - silent
   */
  readonly log?: (line: string) => void;
}

/** Feature flags the stack is written for (also when synthesized without cdk.json). */
const FEATURE_FLAGS = {
  // S3 server access logs are authorized by a bucket policy, not by the legacy log-delivery ACL.
  '@aws-cdk/aws-s3:serverAccessLogsUseBucketPolicy': true,
};

/**
 * Builds the app and the stack (no synth). `app.ts` and the tests use it. Throws {@link ContextError}
 * naming the value when required context is missing or wrong.
 */
export function buildApp(opts: BuildAppOptions = {}): { app: App; stack: CarpetaStack } {
  const app = new App({
    context: { ...FEATURE_FLAGS, ...opts.context },
    ...(opts.outdir ? { outdir: opts.outdir } : {}),
    ...(opts.validation === false ? { builtinCloudFormationValidation: false } : {}),
  });
  const ctx = (k: string) => app.node.tryGetContext(k) as unknown;
  const settings = readDeploymentSettings(ctx);
  const { region, source } = chooseRegion(str(ctx('region')), opts.env ?? process.env);
  const stackName = str(ctx('stackName')) ?? 'Carpeta';
  opts.log?.(`Carpeta: stack ${stackName} in region ${region} (${source})`);

  const stack = new CarpetaStack(app, stackName, {
    env: { region },
    companyName: str(ctx('companyName')) ?? 'Carpeta',
    ...settings,
    mailDomain: str(ctx('mailDomain')),
    sesSandbox: bool(ctx('sesSandbox')),
    threatProtection: bool(ctx('threatProtection')),
    ...readThrottles(ctx),
    bundle: opts.bundle ?? bool(ctx('bundle')) ?? true,
  });
  if (opts.nag) addNagPacks(app);
  return { app, stack };
}
