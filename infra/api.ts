/**
 * The HTTP API and its three Lambda functions, one per trust boundary
 * (staff, portal, link). Routes come from functions/routes.ts, the one route
 * table the local server reads too; nothing here lists routes by hand.
 */

import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Duration } from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigateway';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as nodejs from 'aws-cdk-lib/aws-lambda-nodejs';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  type FunctionName,
  functionOf,
  needsJwt,
  type Route,
  routeKey,
  routes as routeTable,
} from '../functions/routes.ts';
import type { Auth } from './auth.ts';
import { BUNDLE_BANNER, BUNDLE_TARGET, esbuildCliArgs } from './bundling.ts';
import type { Data } from './data.ts';
import type { Documents } from './documents.ts';
import type { Mail } from './mail.ts';
import { acknowledge, acknowledgeHipaa } from './nag.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

interface FunctionSpec {
  entry: string;
  memorySize: number;
  timeout: Duration;
  description: string;
}

/** The scheduled jobs (notifications, uploader receipts, retention): no route reaches it. */
export const JOBS_FUNCTION: FunctionSpec = {
  entry: 'functions/lambda/jobs.ts',
  memorySize: 512,
  timeout: Duration.minutes(5),
  description: 'Carpeta scheduled jobs: batched new-document mails, uploader receipts, activity retention',
};

/** Per-function settings. Memory also buys CPU, which shortens cold starts. */
export const FUNCTIONS: Record<FunctionName, FunctionSpec> = {
  staff: {
    entry: 'functions/lambda/staff-api.ts',
    memorySize: 1024,
    // Just under the HTTP API integration limit (30 s): zip listings and reports can be slow.
    timeout: Duration.seconds(29),
    description: 'Carpeta staff API: folders, uploads, web users, grants, links, activity',
  },
  portal: {
    entry: 'functions/lambda/portal-api.ts',
    memorySize: 1024,
    timeout: Duration.seconds(10),
    description: 'Carpeta client portal API: list and download what a grant reaches',
  },
  link: {
    entry: 'functions/lambda/link-api.ts',
    memorySize: 512,
    timeout: Duration.seconds(10),
    description: 'Carpeta share-link and invitation API (token in the request is the credential)',
  },
};

/** The newest Node.js runtime this aws-cdk-lib knows. */
export const NODE_RUNTIME = lambda.Runtime.NODEJS_24_X;

/** Partition-key prefixes the portal function may write (activity events, rate-limit counters, sessions). */
export const PORTAL_WRITE_PREFIXES = ['ACT#*', 'RATE#*', 'SESSION#*'];
/**
 * Partition-key prefixes the link function may write (activity events, rate-limit counters,
 * invitations, and the invitee's SESSION# item: functions/store/keys.ts `sessionKeys`, marked
 * activated when an invitation is accepted). Never USER#, LINK# or GRANT items.
 */
export const LINK_WRITE_PREFIXES = ['ACT#*', 'RATE#*', 'INVITE#*', 'SESSION#*'];

/**
 * Cognito admin actions the staff function's code makes on this pool (functions/aws/cognito.ts, as
 * its use cases call it): account lifecycle, groups, signing a user out everywhere, and setting the
 * password a new staff member chooses from their invitation (staff invitations are accepted by the
 * staff function, never by the internet-facing link function). It never lists a user's groups, and never
 * reads a user: a session's MFA state is read with the caller's own token (GetUser, no IAM permission).
 */
export const STAFF_COGNITO_ACTIONS = [
  'cognito-idp:AdminCreateUser',
  'cognito-idp:AdminDeleteUser',
  'cognito-idp:AdminDisableUser',
  'cognito-idp:AdminEnableUser',
  'cognito-idp:AdminAddUserToGroup',
  'cognito-idp:AdminRemoveUserFromGroup',
  'cognito-idp:AdminSetUserPassword',
  'cognito-idp:AdminUserGlobalSignOut',
];

/** An API Gateway throttle: steady-state requests per second, and the token bucket's size (burst). */
export interface Throttle {
  readonly rateLimit: number;
  readonly burstLimit: number;
}

/**
 * Every route's default limit. A new AWS account starts with a reduced Lambda concurrency quota
 * ("New AWS accounts have reduced concurrency and memory quotas", Lambda quotas page; 10 has been seen),
 * shared by the four functions. At about half a second per request with cold starts, 20 requests/s
 * keep about 10 executions busy: the API answers 429 at its edge before Lambda throttles into 5xx.
 * Raise it (`-c throttleRate= -c throttleBurst=`) once the quota is raised; `npm run preflight` compares.
 */
export const DEFAULT_THROTTLE: Throttle = { rateLimit: 20, burstLimit: 40 };

/**
 * Each anonymous route's own limit: a link holder opens a folder or a file in a request or two, and
 * 5/s is far above what people clicking need while keeping a guessing flood to a quarter of a route's budget.
 */
export const DEFAULT_ANONYMOUS_THROTTLE: Throttle = { rateLimit: 5, burstLimit: 10 };

export interface ApiProps {
  readonly data: Data;
  readonly documents: Documents;
  readonly auth: Auth;
  readonly mail: Mail;
  /** Company name shown in mails and pages (`COMPANY_NAME`). */
  readonly companyName: string;
  /**
   * Bundle each function with esbuild (NodejsFunction). When false, each function gets a tiny
   * inline placeholder: for fast tests and for the local stack, which only reads table, pool and
   * bucket definitions from the template.
   * @default true
   */
  readonly bundle?: boolean;
  /**
   * The limit every route gets (the `$default` stage's DefaultRouteSettings).
   * @default DEFAULT_THROTTLE (20 requests/s, burst 40)
   */
  readonly throttle?: Throttle;
  /**
   * The route-level limit of each route without a JWT (audiences `link` and `public` in functions/routes.ts:
   * share links, invitations, branding, health). At most `throttle` in both numbers.
   * @default DEFAULT_ANONYMOUS_THROTTLE (5 requests/s, burst 10)
   */
  readonly anonymousThrottle?: Throttle;
  /**
   * Retention of the functions' and the API's access log groups.
   * @default logs.RetentionDays.THREE_MONTHS
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * Routes to serve.
   * @default the table in functions/routes.ts
   */
  readonly routes?: readonly Route[];
}

export class Api extends Construct {
  readonly httpApi: apigwv2.HttpApi;
  readonly stage: apigwv2.HttpStage;
  readonly functions: Record<FunctionName, lambda.Function>;
  /** The scheduled-jobs function (scheduled by the Jobs construct). */
  readonly jobs: lambda.Function;
  readonly authorizer: HttpJwtAuthorizer;
  /** Every route's default limit (the stage's DefaultRouteSettings). */
  readonly throttle: Throttle;
  /** The route-level limit of each route without a JWT. */
  readonly anonymousThrottle: Throttle;

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);
    this.throttle = props.throttle ?? DEFAULT_THROTTLE;
    this.anonymousThrottle = props.anonymousThrottle ?? DEFAULT_ANONYMOUS_THROTTLE;
    if (
      this.anonymousThrottle.rateLimit > this.throttle.rateLimit ||
      this.anonymousThrottle.burstLimit > this.throttle.burstLimit
    ) {
      throw new Error('anonymousThrottle must not exceed throttle: the anonymous routes get less than the others');
    }
    const { data, documents, auth, mail } = props;
    const retention = props.logRetention ?? logs.RetentionDays.THREE_MONTHS;

    const environment = {
      TABLE_NAME: data.table.tableName,
      BUCKET_NAME: documents.bucket.bucketName,
      USER_POOL_ID: auth.userPool.userPoolId,
      USER_POOL_CLIENT_ID: auth.client.userPoolClientId,
      MAIL_FROM: mail.senderEmail,
      MAIL_CONFIGURATION_SET: mail.configurationSet.configurationSetName,
      COMPANY_NAME: props.companyName,
    };

    this.functions = {} as Record<FunctionName, lambda.Function>;
    for (const name of Object.keys(FUNCTIONS) as FunctionName[]) {
      this.functions[name] = this.makeFunction(name, environment, retention, props.bundle ?? true);
    }
    const { staff, portal, link } = this.functions;

    // Jobs: reads and writes the table (queues, markers, retention deletes) and sends mail; no S3, no Cognito.
    this.jobs = this.makeFunction('jobs', environment, retention, props.bundle ?? true);
    data.grantReadWrite(this.jobs);
    mail.grantSend(this.jobs);

    // Staff: the whole table, staff objects, account administration, mail.
    data.grantReadWrite(staff);
    documents.grantStaffObjects(staff);
    staff.addToRolePolicy(
      new iam.PolicyStatement({ actions: STAFF_COGNITO_ACTIONS, resources: [auth.userPool.userPoolArn] }),
    );
    mail.grantSend(staff);

    // Portal (web users): read, append activity/rate/session items, download.
    data.grantClientRead(portal);
    data.grantLeadingKeysWrite(portal, PORTAL_WRITE_PREFIXES);
    documents.grantClientDownload(portal);

    // Link holders and invitees: read, append activity/rate, update invitations and the invitee's session item,
    // download,
    // set the invitee's password. It sends no mail, so it may not.
    data.grantClientRead(link);
    data.grantLeadingKeysWrite(link, LINK_WRITE_PREFIXES);
    documents.grantClientDownload(link);
    link.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['cognito-idp:AdminSetUserPassword'],
        resources: [auth.userPool.userPoolArn],
      }),
    );

    this.httpApi = new apigwv2.HttpApi(this, 'HttpApi', {
      description: `Carpeta API (${props.companyName})`,
      createDefaultStage: false,
      // CORS for the site's origin only: infra/api-cors.ts, once the site exists.
    });

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', { retention });
    acknowledgeHipaa(
      accessLogs,
      'CloudWatchLogGroupEncrypted',
      'CloudWatch Logs encrypts every log group at rest by default; the rule asks for a customer-managed KMS key ' +
        'on top. API access log lines hold request id, source IP, route template (never the path: share tokens ' +
        "stay out), status, latencies and the caller's Cognito sub: no bodies, query strings, tokens or document " +
        'content. A KMS key is optional hardening (docs/DEPLOY.md).',
    );
    this.stage = new apigwv2.HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: this.throttle,
      accessLogSettings: {
        destination: new apigwv2.LogGroupLogDestination(accessLogs),
        format: apigw.AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            time: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            latencyMs: '$context.responseLatency',
            integrationLatencyMs: '$context.integrationLatency',
            integrationError: '$context.integrationErrorMessage',
            authorizerError: '$context.authorizer.error',
            sub: '$context.authorizer.claims.sub',
            userAgent: '$context.identity.userAgent',
          }),
        ),
      },
    });

    this.authorizer = new HttpJwtAuthorizer('CognitoJwt', auth.issuer, {
      jwtAudience: [auth.client.userPoolClientId],
      identitySource: ['$request.header.Authorization'],
    });

    // One integration per function. The invoke permission covers this API only (any route):
    // each function's router answers 404 to routes that are not its own.
    const integrations = Object.fromEntries(
      (Object.keys(this.functions) as FunctionName[]).map((name) => [
        name,
        new HttpLambdaIntegration(`${name}-integration`, this.functions[name], { scopePermissionToRoute: false }),
      ]),
    ) as Record<FunctionName, HttpLambdaIntegration>;

    // Routes without a JWT get their own, lower limit (RouteSettings overrides DefaultRouteSettings for
    // that route key): a flood of share-link or invitation guesses is refused at the edge within its own
    // budget and cannot take the Lambda concurrency the signed-in routes need.
    const anonymous: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    const seen = new Set<string>();
    for (const route of props.routes ?? routeTable) {
      const key = routeKey(route);
      if (seen.has(key)) throw new Error(`duplicate route ${key} in functions/routes.ts`);
      seen.add(key);
      const id = `Route ${key}`.replace(/[^A-Za-z0-9{}+ -]/g, '_');
      const r = new apigwv2.HttpRoute(this, id, {
        httpApi: this.httpApi,
        routeKey: apigwv2.HttpRouteKey.with(route.path, apigwv2.HttpMethod[route.method]),
        integration: integrations[functionOf(route)],
        authorizer: needsJwt(route.audience) ? this.authorizer : undefined,
      });
      if (!needsJwt(route.audience)) {
        anonymous[key] = {
          ThrottlingRateLimit: this.anonymousThrottle.rateLimit,
          ThrottlingBurstLimit: this.anonymousThrottle.burstLimit,
        };
        // The stage may only name routes that exist: API Gateway refuses route settings for an unknown key.
        this.stage.node.addDependency(r);
        acknowledge(
          r,
          'APIG4',
          `${key} is audience "${route.audience}" in functions/routes.ts: ${
            route.audience === 'link'
              ? 'the share-link or invitation token in the request is the credential, verified by the function ' +
                'against current data'
              : 'intentionally anonymous and touches no data'
          }; throttled by its own route-level limit, below every other route's.`,
        );
      }
    }
    (this.stage.node.defaultChild as apigwv2.CfnStage).routeSettings = anonymous;
  }

  /** The API's base URL (no trailing slash). */
  get url(): string {
    return this.httpApi.apiEndpoint;
  }

  /** Sets an environment variable on every function (e.g. SITE_URL, known once the site exists). */
  addEnvironment(key: string, value: string): void {
    for (const fn of [...Object.values(this.functions), this.jobs]) fn.addEnvironment(key, value);
  }

  private makeFunction(
    name: FunctionName | 'jobs',
    environment: Record<string, string>,
    retention: logs.RetentionDays,
    bundle: boolean,
  ): lambda.Function {
    const spec = name === 'jobs' ? JOBS_FUNCTION : FUNCTIONS[name];
    const logGroup = new logs.LogGroup(this, `${name}-logs`, { retention });
    // An explicit role without AWSLambdaBasicExecutionRole: it may write to its own log group only.
    const role = new iam.Role(this, `${name}-role`, {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `Carpeta ${name} function`,
    });
    logGroup.grantWrite(role);

    const common = {
      runtime: NODE_RUNTIME,
      architecture: lambda.Architecture.ARM_64,
      memorySize: spec.memorySize,
      timeout: spec.timeout,
      description: spec.description,
      role,
      logGroup,
      loggingFormat: lambda.LoggingFormat.TEXT,
      environment: { ...environment, CARPETA_FUNCTION: name },
    } satisfies Partial<lambda.FunctionProps>;

    let fn: lambda.Function;
    if (bundle) {
      const entry = `${ROOT}${spec.entry}`;
      if (!existsSync(entry)) throw new Error(`missing Lambda entry ${spec.entry}`);
      fn = new nodejs.NodejsFunction(this, name, {
        ...common,
        entry,
        handler: 'handler',
        projectRoot: ROOT,
        depsLockFilePath: `${ROOT}package-lock.json`,
        // infra/bundling.ts: the same settings the bundle-budget test and the cold-start benchmark build with.
        bundling: {
          format: nodejs.OutputFormat.ESM,
          target: BUNDLE_TARGET,
          platform: 'node',
          minify: true,
          sourceMap: false,
          forceDockerBundling: false,
          mainFields: ['module', 'main'],
          // The AWS SDK v3 is bundled (one pinned copy), never left to the runtime's.
          externalModules: [],
          banner: BUNDLE_BANNER,
          esbuildArgs: esbuildCliArgs(),
          metafile: false,
          logLevel: nodejs.LogLevel.WARNING,
        },
      });
    } else {
      fn = new lambda.Function(this, name, {
        ...common,
        handler: 'index.handler',
        code: lambda.Code.fromInline(
          `exports.handler = async () => ({ statusCode: 503, body: 'placeholder: synthesized with bundle=false ` +
            `(${name})' });`,
        ),
      });
    }
    this.acknowledgeHipaaFunction(name, fn, role, logGroup);
    return fn;
  }

  /** The HIPAA Security findings every function raises, acknowledged on that function, its role and its log group. */
  private acknowledgeHipaaFunction(
    name: FunctionName | 'jobs',
    fn: lambda.Function,
    role: iam.Role,
    logGroup: logs.LogGroup,
  ): void {
    const reaches =
      name === 'jobs' ? 'DynamoDB and SES' : name === 'portal' ? 'DynamoDB and S3' : 'DynamoDB, S3, Cognito and SES';
    acknowledgeHipaa(
      fn,
      'LambdaInsideVPC',
      `The ${name} function reaches only AWS public service endpoints (${reaches}) over TLS with SigV4-signed ` +
        `requests authorized by its own least-privilege role; there is no private resource (database, internal ` +
        `host) for a VPC to protect. A VPC would add NAT gateway or interface-endpoint cost in every AZ and ` +
        `cold-start latency without narrowing what the role may reach (opt-in: docs/DEPLOY.md).`,
    );
    acknowledgeHipaa(
      fn,
      'LambdaConcurrency',
      `No reserved concurrency on ${name}: Lambda refuses any reservation that leaves less than a minimum of the ` +
        "account's concurrency unreserved (10 to 100, by account limit), so on a new account (limit 10 or 50) the " +
        `deploy would fail, and a reservation would also cap the function below the shared pool. ${
          name === 'jobs'
            ? 'Two schedules invoke it (every minute, daily), which bounds its concurrency'
            : `Each route's API throttle (${this.throttle.rateLimit} requests/s, burst ${this.throttle.burstLimit}) ` +
              'bounds concurrency'
        }; the Throttles alarm reports refusals.`,
    );
    acknowledgeHipaa(
      fn,
      'LambdaDLQ',
      name === 'jobs'
        ? 'Invoked asynchronously by EventBridge Scheduler (2 retries). Every job is idempotent and resumes from ' +
            'its checkpoint in the table (functions/app/jobs.ts); notifications run again every minute and retention ' +
            'daily, so a dropped event needs no replay. A failure raises the jobsErrors alarm.'
        : `The ${name} API function is invoked synchronously by API Gateway (HTTP API Lambda proxy): a failure ` +
            `is answered to the caller as a 5xx and raises the ${name}Errors alarm. A dead-letter queue only ` +
            `receives failed asynchronous invocations, so it would never get a message.`,
    );
    acknowledgeHipaa(
      role,
      'IAMNoInlinePolicy',
      `The ${name} function's least-privilege statements (exact table and index ARNs, leading-key conditions, ` +
        `object prefixes, this user pool, this sender identity) are inline on its own role on purpose: a ` +
        `customer-managed policy is a separate object that can be attached to other principals, while the inline ` +
        `policy lives and dies with this one role.`,
    );
    acknowledgeHipaa(
      logGroup,
      'CloudWatchLogGroupEncrypted',
      `CloudWatch Logs encrypts every log group at rest by default; the rule asks for a customer-managed KMS ` +
        `key on top. The ${name} function logs one JSON line per request or job (ids, route, status, duration) ` +
        `with token-, password- and URL-like fields redacted and presigned URLs and bearer tokens cut ` +
        `(functions/lib/logger.ts): no document content, tokens or presigned URLs. A KMS key is optional ` +
        `hardening (docs/DEPLOY.md).`,
    );
  }
}
