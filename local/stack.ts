/**
 * startLocalStack: the whole product on one machine. Emulators, resources
 * provisioned from the CDK template, the real handlers behind an API Gateway
 * shim, the site, and the seeded admin. Used by `npm start`, the tests and
 * the benchmarks (each with its own data directory and ports).
 */
import { appendFileSync, mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startEmulators, type Emulators } from './emulators.ts';
import { provision, writeState, localCredentials, type LocalState } from './provision.ts';
import { loadTemplate } from './template.ts';
import { createApiShim } from './api-shim.ts';
import { JwtVerifier } from './jwt.ts';
import { createSiteServer, listenOn } from './server.ts';
import { randomBytes } from 'node:crypto';

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
  /** Extra environment for the handlers (e.g. MULTIPART_THRESHOLD in tests). */
  env?: Record<string, string>;
  /** Where the handlers' JSON log lines go. Default: stdout. */
  logFile?: string;
  /** Seed the demo company on first start (npm start). Default false. */
  demo?: boolean;
  /**
   * How often the scheduled jobs (notifications, receipts, retention) run, as
   * EventBridge Scheduler runs them in AWS. 0 = only on POST /_local/jobs/run.
   * Default CARPETA_JOBS_INTERVAL_MS or 30 s.
   */
  jobsIntervalMs?: number;
}

export interface LocalStack {
  url: string;
  apiUrl: string;
  emulators: Emulators;
  state: LocalState;
  admin: { email: string; password: string; id: string };
  /** The demo web user, when the demo company was seeded. */
  demoClient?: { email: string; password: string };
  config: { apiUrl: string; region: string; cognito: { endpoint: string; userPoolId: string; clientId: string } };
  stop(): Promise<void>;
}

export async function startLocalStack(opts: LocalStackOptions): Promise<LocalStack> {
  const dataDir = path.resolve(opts.dataDir);
  mkdirSync(dataDir, { recursive: true });
  let verifier: JwtVerifier | undefined;
  let emulators: Emulators | undefined;
  let siteConfig: LocalStack['config'] | undefined;
  let jobsRunning: Promise<unknown> = Promise.resolve();
  // One run at a time, as one scheduled Lambda would; a manual run waits its turn.
  const runJobs = (now?: Date) => {
    const next = jobsRunning.then(async () => (await import('../functions/lambda/jobs.ts')).runAllJobs(now));
    jobsRunning = next.catch(() => undefined);
    return next;
  };
  let timer: NodeJS.Timeout | undefined;

  const server = createSiteServer({
    webDir: path.join(root, 'web/dist'),
    config: () => siteConfig!,
    api: createApiShim(() => verifier!, { prefix: '/api' }),
    cognitoUrl: () => emulators!.cognito,
    runJobs,
    csp: () =>
      `default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob: ${emulators!.s3}; connect-src 'self' ${emulators!.s3}; frame-src 'self' ${emulators!.s3}; object-src 'none'; base-uri 'self'; form-action 'self'; frame-ancestors 'none'`,
  });
  const port = await listenOn(server, opts.port ?? 3000);
  const url = `http://localhost:${port}`;

  try {
    const [template, emu] = await Promise.all([loadTemplate(), startEmulators(dataDir)]);
    emulators = emu;
    const state = await provision(emu, template, dataDir, [url, `http://127.0.0.1:${port}`]);

    Object.assign(process.env, {
      CARPETA_LOCAL: '1',
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: localCredentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: localCredentials.secretAccessKey,
      AWS_ENDPOINT_URL_DYNAMODB: emu.dynamodb,
      AWS_ENDPOINT_URL_S3: emu.s3,
      AWS_ENDPOINT_URL_COGNITO_IDENTITY_PROVIDER: emu.cognito,
      AWS_ENDPOINT_URL_SESV2: emu.ses,
      TABLE_NAME: state.tableName,
      BUCKET_NAME: state.bucketName,
      USER_POOL_ID: state.userPoolId,
      USER_POOL_CLIENT_ID: state.clientId,
      SITE_URL: url,
      API_URL: `${url}/api`,
      MAIL_FROM: process.env.MAIL_FROM ?? 'Carpeta <no-reply@carpeta.local>',
      ...opts.env,
    });
    if (opts.logFile) {
      const { logSink } = await import('../functions/lib/logger.ts');
      const file = opts.logFile;
      logSink.write = (line) => appendFileSync(file, line + '\n');
    }

    verifier = new JwtVerifier(`${emu.cognito}/${state.userPoolId}`, state.clientId!);
    siteConfig = {
      apiUrl: `${url}/api`,
      region: 'us-east-1',
      cognito: { endpoint: `${url}/_local/cognito`, userPoolId: state.userPoolId!, clientId: state.clientId! },
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
      state,
      admin: { email: adminEmail, password: adminPassword, id: adminId },
      demoClient: state.demoClient,
      config: siteConfig,
      async stop() {
        if (timer) clearInterval(timer);
        await jobsRunning;
        server.closeAllConnections();
        await new Promise<void>((r) => server.close(() => r()));
        await emu.stop();
      },
    };
  } catch (err) {
    server.close();
    await emulators?.stop().catch(() => undefined);
    throw err;
  }
}
