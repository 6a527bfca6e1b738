/**
 * startLocalStack: the whole product on one machine, deployed from what
 * `cdk synth` produced. The emulators; the table, bucket and user pool
 * provisioned from the template; the AWS gateway enforcing signatures,
 * policies and IAM in front of them; the functions' bundles running in the
 * local Lambda service with their template environment and role credentials;
 * the HTTP API stand-in and the site on one local server; the seeded admin.
 * Used by `npm start`, the benchmarks and (through local/stack-process.ts)
 * the tests, each with its own data directory and ports.
 */

import { randomBytes } from 'node:crypto';
import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createApiShim } from './api-shim.ts';
import { type Artifacts, loadArtifacts } from './artifacts.ts';
import { LOCAL_ACCOUNT, LOCAL_REGION, roleArn } from './cfn.ts';
import { type Deployment, readDeployment } from './deployment.ts';
import { type Emulators, startEmulators } from './emulators.ts';
import { type Gateway, startGateway } from './gateway/server.ts';
import type { Principal } from './gateway/sigv4.ts';
import { JwtVerifier } from './jwt.ts';
import { type LocalState, provision, writeState } from './provision.ts';
import { LambdaService } from './runtime/lambda.ts';
import { createSiteServer, listenOn } from './server.ts';
import { siteResponseHeaders } from './site-headers.ts';

/** A password the pool's policy accepts (12+ chars, upper, lower, digit, symbol). */
function generatePassword(): string {
  return `Cp-${randomBytes(9).toString('base64url')}-9a`;
}

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface LocalStackOptions {
  dataDir: string;
  /** 0 picks a free port. Default 3000. */
  port?: number;
  adminEmail?: string;
  /** Default: generated on first start and kept in <dataDir>/state.json. */
  adminPassword?: string;
  /**
   * Variables added to every function's environment on top of the template's (tests: smaller
   * limits, the test clock). Empty for `npm start`: the functions run with the template's alone.
   */
  env?: Record<string, string>;
  /** Where the functions' and the gateway's JSON log lines go. Default: stdout. */
  logFile?: string;
  /** Seed the demo company on first start (npm start). Default false. */
  demo?: boolean;
  /**
   * How often the scheduled jobs (notifications, receipts, retention) run, as
   * EventBridge Scheduler runs them in AWS. 0 = only on POST /_local/jobs/run.
   * Default CARPETA_JOBS_INTERVAL_MS or 30 s.
   */
  jobsIntervalMs?: number;
  /** Run from this cloud assembly instead of synthesizing (e.g. a copy of the template with a statement removed). */
  artifacts?: Artifacts;
  /** Execution environments per function at most. @default 4 */
  maxInstances?: number;
  /** Progress lines while starting (synthesis). */
  progress?: (line: string) => void;
}

/** What anyone needs to sign AWS requests as a function of this stack (written to <dataDir>/aws.json). */
export interface AwsJson {
  endpoint: string;
  region: string;
  account: string;
  tableName: string;
  bucketName: string;
  userPoolId: string;
  functions: Record<string, { accessKeyId: string; secretAccessKey: string; sessionToken: string; roleArn: string }>;
  /** Full access (the local stack's own seeding and the tests' setup use it). */
  operator: { accessKeyId: string; secretAccessKey: string; sessionToken: string; roleArn: string };
}

export interface LocalStack {
  url: string;
  apiUrl: string;
  emulators: Emulators;
  gateway: Gateway;
  lambda: LambdaService;
  deployment: Deployment;
  aws: AwsJson;
  state: LocalState;
  admin: { email: string; password: string; id: string };
  /** The demo web user, when the demo company was seeded. */
  demoClient?: { email: string; password: string };
  config: { apiUrl: string; region: string; cognito: { endpoint: string; userPoolId: string; clientId: string } };
  /** Seconds each phase of the start took. */
  timings: Record<string, number>;
  /**
   * The environment the Lambda code needs to run in another process as the operator (full access,
   * through the gateway): tests that set up data directly use it.
   */
  operatorEnv: Record<string, string>;
  runJobs(now?: Date): Promise<unknown>;
  stop(): Promise<void>;
}

type Credentials = { accessKeyId: string; secretAccessKey: string; sessionToken: string };
const newCredentials = (): Credentials => ({
  accessKeyId: `ASIA${randomBytes(12).toString('hex').toUpperCase().slice(0, 16)}`,
  secretAccessKey: randomBytes(30).toString('base64'),
  sessionToken: randomBytes(96).toString('base64'),
});

export const OPERATOR_ROLE = 'LocalOperator';
const OPERATOR_POLICY = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] };

export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const dataDir = path.resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  const timings: Record<string, number> = {};
  const t0 = Date.now();
  const mark = (phase: string) => (timings[phase] = (Date.now() - t0) / 1000);
  const log = (line: string) =>
    opts.logFile ? appendFileSync(opts.logFile, `${line}\n`) : process.stdout.write(`${line}\n`);

  let verifier: JwtVerifier | undefined;
  let emulators: Emulators | undefined;
  let gateway: Gateway | undefined;
  let lambda: LambdaService | undefined;
  let siteConfig: LocalStack['config'] | undefined;
  // Until the stack is up, nothing a page asks for could load anyway.
  let siteHeaders: Record<string, string> = { 'content-security-policy': "default-src 'none'; frame-ancestors 'none'" };
  let jobsRunning: Promise<unknown> = Promise.resolve();
  // One run at a time, as one scheduled function would; a manual run waits its turn.
  const runJobs = (now?: Date) => {
    const next = jobsRunning.then(async () => {
      const r = await lambda!.invoke('jobs', { job: 'all', ...(now ? { now: now.toISOString() } : {}) });
      if (!r.ok) throw new Error(`jobs failed: ${r.error.errorType}: ${r.error.errorMessage}`);
      return JSON.parse(r.payload);
    });
    jobsRunning = next.catch(() => undefined);
    return next;
  };
  let timer: NodeJS.Timeout | undefined;

  const server = createSiteServer({
    webDir: path.join(root, 'web/dist'),
    config: () => siteConfig!,
    api: createApiShim(() => verifier!, {
      prefix: '/api',
      invoke: () => (fn, event, id) => lambda!.invoke(fn, event, id),
    }),
    cognitoUrl: () => emulators!.cognito,
    runJobs,
    accessLog: (line) => appendFileSync(path.join(dataDir, 'access.log'), `${line}\n`),
    siteHeaders: () => siteHeaders,
  });
  const port = await listenOn(server, opts.port ?? 3000);
  const url = `http://localhost:${port}`;

  try {
    const [artifacts, emu] = await Promise.all([
      opts.artifacts ?? loadArtifacts({ log: opts.progress }),
      startEmulators(dataDir),
    ]);
    mark(artifacts.synthesized ? 'synthesized' : 'assembly read');
    emulators = emu;
    const state = await provision(emu, artifacts.template, dataDir, [url, `http://127.0.0.1:${port}`]);
    mark('provisioned');

    // Each function's role session: stable across restarts, so a page open during a restart keeps working URLs.
    state.credentials ??= {};
    const credentials = state.credentials as Record<string, Credentials>;
    const deployment = readDeployment(artifacts, {
      tableName: state.tableName,
      bucketName: state.bucketName,
      userPoolId: state.userPoolId!,
      clientId: state.clientId!,
      siteUrl: url,
      apiUrl: `${url}/api`,
    });
    const principals = new Map<string, Principal>();
    for (const f of deployment.functions) {
      credentials[f.name] ??= newCredentials();
      const c = credentials[f.name];
      principals.set(f.name, {
        ...c,
        function: f.name,
        roleArn: f.roleArn,
        sessionArn: `arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/${f.roleLogicalId}/${f.functionName}`,
      });
    }
    credentials.operator ??= newCredentials();
    const operatorCreds = credentials.operator;
    const operator: Principal = {
      ...operatorCreds,
      function: 'operator',
      roleArn: roleArn(OPERATOR_ROLE),
      sessionArn: `arn:aws:sts::${LOCAL_ACCOUNT}:assumed-role/${OPERATOR_ROLE}/local-stack`,
    };
    deployment.policies.set(operator.roleArn, [{ name: 'OperatorAccess', policy: OPERATOR_POLICY }]);

    gateway = await startGateway({
      deployment,
      emulators: emu,
      principals: [...principals.values(), operator],
      log: (entry) => log(JSON.stringify({ time: new Date().toISOString(), source: 'aws-gateway', ...entry })),
      // The functions and the gateway hold S3's part minimum alike (a test may lower both at once).
      ...(opts.env?.S3_MIN_PART_SIZE ? { minPartSize: Number(opts.env.S3_MIN_PART_SIZE) } : {}),
    });
    siteHeaders = siteResponseHeaders(deployment, gateway.url);
    lambda = new LambdaService({
      deployment,
      principals,
      awsEndpoint: gateway.url,
      extraEnv: opts.env,
      maxInstances: opts.maxInstances,
      log: (line) => log(line),
    });
    mark('gateway and functions ready');

    const aws: AwsJson = {
      endpoint: gateway.url,
      region: LOCAL_REGION,
      account: LOCAL_ACCOUNT,
      tableName: state.tableName,
      bucketName: state.bucketName,
      userPoolId: state.userPoolId!,
      functions: Object.fromEntries(
        [...principals].map(([name, p]) => [
          name,
          {
            accessKeyId: p.accessKeyId,
            secretAccessKey: p.secretAccessKey,
            sessionToken: p.sessionToken,
            roleArn: p.roleArn,
          },
        ]),
      ),
      operator: { ...operatorCreds, roleArn: operator.roleArn },
    };
    writeFileSync(path.join(dataDir, 'aws.json'), `${JSON.stringify(aws, null, 2)}\n`, { mode: 0o600 });

    // This process seeds as the operator, through the gateway like everything else.
    const operatorEnv: Record<string, string> = {
      CARPETA_LOCAL: '1',
      AWS_REGION: LOCAL_REGION,
      AWS_ACCESS_KEY_ID: operatorCreds.accessKeyId,
      AWS_SECRET_ACCESS_KEY: operatorCreds.secretAccessKey,
      AWS_SESSION_TOKEN: operatorCreds.sessionToken,
      AWS_ENDPOINT_URL: gateway.url,
      TABLE_NAME: state.tableName,
      BUCKET_NAME: state.bucketName,
      USER_POOL_ID: state.userPoolId,
      USER_POOL_CLIENT_ID: state.clientId,
      SITE_URL: url,
      API_URL: `${url}/api`,
      ...deployment.functions.find((f) => f.name === 'staff')?.environment,
      ...opts.env,
    } as Record<string, string>;
    Object.assign(process.env, operatorEnv);
    if (opts.logFile) {
      // The seeding below logs through the Lambda code's logger: into the same file.
      const { logSink } = await import('../functions/lib/logger.ts');
      const file = opts.logFile;
      logSink.write = (line) => appendFileSync(file, `${line}\n`);
    }
    for (const k of [
      'AWS_ENDPOINT_URL_DYNAMODB',
      'AWS_ENDPOINT_URL_S3',
      'AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER',
      'AWS_ENDPOINT_URL_SESV2',
    ])
      delete process.env[k];

    verifier = new JwtVerifier(`${emu.cognito}/${state.userPoolId}`, state.clientId!);
    // Relative addresses: the site resolves them against whatever origin serves it (localhost,
    // 127.0.0.1, a forwarded port), as the API and the Cognito pass-through are on that same origin.
    siteConfig = {
      apiUrl: '/api',
      region: LOCAL_REGION,
      cognito: { endpoint: '/_local/cognito', userPoolId: state.userPoolId!, clientId: state.clientId! },
    };

    const adminEmail = opts.adminEmail ?? process.env.ADMIN_EMAIL ?? 'admin@carpeta.local';
    const adminPassword = opts.adminPassword ?? process.env.ADMIN_PASSWORD ?? state.adminPassword ?? generatePassword();
    const { ensureStaffUser } = await import('./seed.ts');
    const adminId = await ensureStaffUser(adminEmail, adminPassword, { admin: true, name: 'Admin' });
    state.adminPassword = adminPassword;
    if (opts.demo && !state.seeded) {
      const { seedDemo } = await import('./demo.ts');
      const demo = await seedDemo({ adminId, clientPassword: generatePassword() });
      state.seeded = true;
      state.demoClient = demo.client;
    }
    writeState(dataDir, state);
    mark('seeded');
    const interval = opts.jobsIntervalMs ?? Number(process.env.CARPETA_JOBS_INTERVAL_MS ?? 30_000);
    if (interval > 0) {
      timer = setInterval(
        () => runJobs().catch((err) => process.stderr.write(`jobs failed: ${(err as Error).message}\n`)),
        interval,
      );
      timer.unref();
    }

    return {
      url,
      apiUrl: `${url}/api`,
      emulators: emu,
      gateway,
      lambda,
      deployment,
      aws,
      state,
      admin: { email: adminEmail, password: adminPassword, id: adminId },
      demoClient: state.demoClient,
      config: siteConfig,
      timings,
      operatorEnv,
      runJobs,
      async stop() {
        if (timer) clearInterval(timer);
        await jobsRunning;
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
        await lambda?.stop();
        await gateway?.stop();
        await emu.stop();
      },
    };
  } catch (err) {
    server.close();
    await lambda?.stop().catch(() => undefined);
    await gateway?.stop().catch(() => undefined);
    await emulators?.stop().catch(() => undefined);
    throw err;
  }
}
