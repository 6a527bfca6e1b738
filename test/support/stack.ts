/**
 * Test harness: a real local stack (emulators, the AWS gateway, the deployed
 * function bundles, over HTTP) in a process of its own, in a temporary
 * directory on random ports; real Cognito tokens; a small fetch wrapper; the
 * gateway's fault injection. Code under functions/ that a test imports to set
 * up data runs here as the stack's operator (through the gateway).
 */
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import {
  CognitoIdentityProviderClient,
  InitiateAuthCommand,
  RespondToAuthChallengeCommand,
} from '@aws-sdk/client-cognito-identity-provider';
import type { FaultRule, FaultState } from '../../local/gateway/faults.ts';
import { type SpawnedStack, spawnLocalStack } from '../../local/spawn.ts';
import { totp } from './totp.ts';

export interface ApiResult<T = any> {
  status: number;
  body: T;
  headers: Headers;
}

export interface TestStack {
  stack: SpawnedStack;
  dir: string;
  logFile: string;
  /** Calls the API under /api; `token` becomes a bearer token. */
  api<T = any>(
    method: string,
    path: string,
    opts?: { token?: string; share?: string; body?: unknown; rawBody?: string; headers?: Record<string, string> },
  ): Promise<ApiResult<T>>;
  /** Signs in; answers the TOTP challenge for users enrolled through `enrollTotp`. */
  signIn(email: string, password: string): Promise<{ accessToken: string; idToken: string; refreshToken: string }>;
  /**
   * Switches on TOTP two-step verification for the token's user as the site does (a code mailed to them,
   * then the app's): it ends every session of the account, so sign in again after.
   */
  enrollTotp(accessToken: string, email: string): Promise<string>;
  /** The seeded admin's access token; the admin is enrolled in TOTP (admin routes require it). */
  adminToken(): Promise<string>;
  /** A signed-in user in the given groups (created directly in Cognito + profile). */
  user(
    kind: 'staff' | 'webuser' | 'admin',
    email?: string,
  ): Promise<{ id: string; email: string; password: string; token: string }>;
  mail(): Promise<Array<{ to: string[]; subject: string; text: string; html: string; at: string }>>;
  /** Runs the scheduled jobs now, as if at `now`. */
  runJobs(now?: Date): Promise<any>;
  /** Sets the AWS gateway's fault rules (replacing any); `[]` clears them. */
  faults(rules: FaultRule[]): Promise<void>;
  /** The gateway's fault rules now, with how many calls each saw and fired on. */
  faultState(): Promise<FaultState[]>;
  /** What the gateway refused on IAM grounds, oldest first. */
  denials(): Promise<Array<{ function: string; action: string; resource: string; reason: string }>>;
  logs(): string;
  stop(): Promise<void>;
}

let counter = 0;

export async function startTestStack(
  env: Record<string, string> = {},
  opts: { templatePath?: string; dynamodb?: 'dynalite' | 'dynamodb-local' } = {},
): Promise<TestStack> {
  const dir = mkdtempSync(path.join(tmpdir(), 'carpeta-test-'));
  const logFile = path.join(dir, 'handlers.log');
  const stack = await spawnLocalStack({
    dataDir: dir,
    port: 0,
    logFile,
    jobsIntervalMs: 0,
    env: { CARPETA_TEST_CLOCK: '1', ...env },
    maxInstances: 2,
    ...opts,
  });
  // Set-up code from functions/ imported by a test runs as the operator, through the gateway.
  Object.assign(process.env, stack.operatorEnv);
  const gateway = stack.aws.endpoint;
  const idp = new CognitoIdentityProviderClient({
    endpoint: stack.emulators.cognito,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    // One retry, as for a reused socket the server closed under a busy event loop ("socket hang up").
    maxAttempts: 2,
  });
  let adminToken: string | undefined;
  const totpSecrets = new Map<string, string>();

  const t: TestStack = {
    stack,
    dir,
    logFile,
    async api(method, p, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      if (opts.token) headers.authorization = `Bearer ${opts.token}`;
      // A share link's token travels in a header, never in the path (issue 14: logs record paths).
      if (opts.share !== undefined) headers['x-share-token'] = opts.share;
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
      const out = await idp.send(
        new InitiateAuthCommand({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: stack.state.clientId,
          AuthParameters: { USERNAME: email, PASSWORD: password },
        }),
      );
      let r = out.AuthenticationResult;
      if (out.ChallengeName === 'SOFTWARE_TOKEN_MFA') {
        const secret = totpSecrets.get(email);
        if (!secret) throw new Error(`${email} asks for a TOTP code and the test does not know the secret`);
        const answer = await idp.send(
          new RespondToAuthChallengeCommand({
            ClientId: stack.state.clientId,
            ChallengeName: 'SOFTWARE_TOKEN_MFA',
            Session: out.Session,
            ChallengeResponses: { USERNAME: email, SOFTWARE_TOKEN_MFA_CODE: totp(secret) },
          }),
        );
        r = answer.AuthenticationResult;
      }
      if (!r) throw new Error(`sign-in for ${email} ended in challenge ${out.ChallengeName}`);
      return { accessToken: r.AccessToken!, idToken: r.IdToken!, refreshToken: r.RefreshToken! };
    },
    async enrollTotp(accessToken, email) {
      // As the site does: a code mailed to the account, the app's secret, the app's code. It signs the
      // account out everywhere (this token included): sign in again, with the code.
      const mailed = async () => {
        const mine = (await t.mail()).filter((m) => m.to.includes(email) && /two-step|dos pasos/.test(m.subject));
        const code = /\b(\d{6})\b/.exec(mine.at(-1)?.subject ?? '')?.[1];
        if (!code) throw new Error(`no two-step code mailed to ${email}`);
        return code;
      };
      const sent = await t.api('POST', '/me/two-step/code', { token: accessToken });
      if (sent.status !== 202) throw new Error(`two-step code: ${sent.status} ${JSON.stringify(sent.body)}`);
      const emailCode = await mailed();
      const started = await t.api('POST', '/me/two-step/authenticator', { token: accessToken, body: { emailCode } });
      if (started.status !== 200) throw new Error(`authenticator: ${started.status} ${JSON.stringify(started.body)}`);
      const secret: string = started.body.secret;
      const done = await t.api('POST', '/me/two-step/authenticator/confirm', {
        token: accessToken,
        body: { emailCode, code: totp(secret), deviceName: 'test' },
      });
      if (done.status !== 200) throw new Error(`confirm: ${done.status} ${JSON.stringify(done.body)}`);
      totpSecrets.set(email, secret);
      return secret;
    },
    async adminToken() {
      if (!adminToken) {
        const token = (await t.signIn(stack.admin.email, stack.admin.password)).accessToken;
        if (!totpSecrets.has(stack.admin.email)) await t.enrollTotp(token, stack.admin.email);
        // Enrolling ended every session: a new sign-in, with the app's code.
        adminToken = (await t.signIn(stack.admin.email, stack.admin.password)).accessToken;
      }
      return adminToken;
    },
    async user(kind, email) {
      const { createCognitoUser, setPassword } = await import('../../functions/aws/cognito.ts');
      const { putProfile } = await import('../../functions/store/users.ts');
      const address = email ?? `${kind}-${process.pid}-${++counter}@example.com`;
      const password = `Pw-${Math.random().toString(36).slice(2)}-A9!`;
      const groups =
        kind === 'admin'
          ? (['admin', 'staff'] as const)
          : kind === 'staff'
            ? (['staff'] as const)
            : (['webusers'] as const);
      const id = await createCognitoUser(address, [...groups]);
      await setPassword(address, password);
      const now = new Date().toISOString();
      await putProfile({
        id,
        email: address,
        name: `Test ${kind}`,
        kind: kind === 'webuser' ? 'webuser' : 'staff',
        ...(kind === 'webuser' ? {} : { role: kind === 'admin' ? ('admin' as const) : ('staff' as const) }),
        status: 'active',
        language: 'es',
        createdAt: now,
        updatedAt: now,
      });
      let { accessToken } = await t.signIn(address, password);
      if (kind === 'admin') {
        await t.enrollTotp(accessToken, address);
        ({ accessToken } = await t.signIn(address, password));
      }
      return { id, email: address, password, token: accessToken };
    },
    async mail() {
      const res = await fetch(`${stack.url}/_local/mail`);
      return (await res.json()) as any;
    },
    async runJobs(now) {
      const res = await fetch(
        `${stack.url}/_local/jobs/run${now ? `?now=${encodeURIComponent(now.toISOString())}` : ''}`,
        { method: 'POST' },
      );
      if (res.status !== 200) throw new Error(`jobs failed: ${res.status} ${await res.text()}`);
      return res.json();
    },
    async faults(rules) {
      const res = await fetch(`${gateway}/__carpeta/faults`, { method: 'PUT', body: JSON.stringify({ rules }) });
      if (res.status !== 200) throw new Error(`setting faults: ${res.status} ${await res.text()}`);
    },
    async faultState() {
      return ((await (await fetch(`${gateway}/__carpeta/faults`)).json()) as { rules: FaultState[] }).rules;
    },
    async denials() {
      return ((await (await fetch(`${gateway}/__carpeta/denials`)).json()) as { denials: any[] }).denials;
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
