/**
 * Test harness: a real local stack (emulators + handlers over HTTP) in a
 * temporary directory on a random port, real Cognito tokens, and a small
 * fetch wrapper. One stack per test file (node runs files in parallel).
 */
import { mkdtempSync, readFileSync, existsSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { startLocalStack, type LocalStack } from '../../local/stack.ts';

export interface ApiResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestStack {
  stack: LocalStack;
  dir: string;
  logFile: string;
  /** Calls the API under /api; `token` becomes a bearer token. */
  api<T = any>(method: string, path: string, opts?: { token?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> }): Promise<ApiResult<T>>;
  signIn(email: string, password: string): Promise<{ accessToken: string; idToken: string; refreshToken: string }>;
  adminToken(): Promise<string>;
  /** A signed-in user in the given groups (created directly in Cognito + profile). */
  user(kind: 'staff' | 'webuser' | 'admin', email?: string): Promise<{ id: string; email: string; password: string; token: string }>;
  mail(): Promise<Array<{ to: string[]; subject: string; text: string; html: string; at: string }>>;
  /** Runs the scheduled jobs now, as if at `now`. */
  runJobs(now?: Date): Promise<any>;
  logs(): string;
  stop(): Promise<void>;
}

let counter = 0;

export async function startTestStack(env: Record<string, string> = {}): Promise<TestStack> {
  const dir = mkdtempSync(path.join(tmpdir(), 'carpeta-test-'));
  const logFile = path.join(dir, 'handlers.log');
  const stack = await startLocalStack({ dataDir: dir, port: 0, logFile, jobsIntervalMs: 0, env: { CARPETA_TEST_CLOCK: '1', ...env } });
  const idp = new CognitoIdentityProviderClient({ endpoint: stack.emulators.cognito, region: 'us-east-1', credentials: { accessKeyId: 'x', secretAccessKey: 'x' }, maxAttempts: 1 });
  let adminToken: string | undefined;

  const t: TestStack = {
    stack,
    dir,
    logFile,
    async api(method, p, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      let body: string | undefined = opts.rawBody;
      if (opts.body !== undefined) {
        headers['content-type'] = 'application/json';
        body = JSON.stringify(opts.body);
      }
      const res = await fetch(`${stack.apiUrl}${p}`, { method, headers, body });
      const text = await res.text();
      let parsed: unknown = text;
      if ((res.headers.get('content-type') ?? '').includes('json') && text) parsed = JSON.parse(text);
      return { status: res.status, body: parsed as any, headers: res.headers };
    },
    async signIn(email, password) {
      const out = await idp.send(new InitiateAuthCommand({ AuthFlow: 'USER_PASSWORD_AUTH', ClientId: stack.state.clientId, AuthParameters: { USERNAME: email, PASSWORD: password } }));
      const r = out.AuthenticationResult!;
      return { accessToken: r.AccessToken!, idToken: r.IdToken!, refreshToken: r.RefreshToken! };
    },
    async adminToken() {
      adminToken ??= (await t.signIn(stack.admin.email, stack.admin.password)).accessToken;
      return adminToken;
    },
    async user(kind, email) {
      const { createCognitoUser, setPassword } = await import('../../functions/aws/cognito.ts');
      const { putProfile } = await import('../../functions/store/users.ts');
      const address = email ?? `${kind}-${process.pid}-${++counter}@example.com`;
      const password = `Pw-${Math.random().toString(36).slice(2)}-A9!`;
      const groups = kind === 'admin' ? (['admin', 'staff'] as const) : kind === 'staff' ? (['staff'] as const) : (['webusers'] as const);
      const id = await createCognitoUser(address, [...groups]);
      await setPassword(address, password);
      const now = new Date().toISOString();
      await putProfile({ id, email: address, name: `Test ${kind}`, kind: kind === 'webuser' ? 'webuser' : 'staff', status: 'active', language: 'es', createdAt: now, updatedAt: now });
      const { accessToken } = await t.signIn(address, password);
      return { id, email: address, password, token: accessToken };
    },
    async mail() {
      const res = await fetch(`${stack.url}/_local/mail`);
      return (await res.json()) as any;
    },
    async runJobs(now) {
      const res = await fetch(`${stack.url}/_local/jobs/run${now ? `?now=${encodeURIComponent(now.toISOString())}` : ''}`, { method: 'POST' });
      if (res.status !== 200) throw new Error(`jobs failed: ${res.status} ${await res.text()}`);
      return res.json();
    },
    logs() {
      return existsSync(logFile) ? readFileSync(logFile, 'utf8') : '';
    },
    async stop() {
      idp.destroy();
      await stack.stop();
      // Keep the data (and the handler log) for a post-mortem with CARPETA_KEEP_TMP=1.
      if (!process.env.CARPETA_KEEP_TMP) rmSync(dir, { recursive: true, force: true });
    },
  };
  return t;
}
