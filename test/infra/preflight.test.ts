/**
 * `npm run preflight` cannot reach AWS here: its checks (scripts/preflight-checks.ts) run against
 * fake SDK clients that answer as AWS does (the same command classes, the same error names), for the
 * accounts a company meets: a new one, a ready one, one after a failed first deploy, one where the
 * sender is already an SES identity. Also: it only reads, and its claim that the SES identity is the
 * one name that can collide holds for the synthesized template.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetAccountSettingsCommand } from '@aws-sdk/client-lambda';
import { GetAccountCommand, GetEmailIdentityCommand } from '@aws-sdk/client-sesv2';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import { test } from '@jest/globals';
import { DEFAULT_THROTTLE } from '../../infra/api.ts';
import {
  BOOTSTRAP_PARAMETER,
  type Clients,
  type Finding,
  MIN_BOOTSTRAP_VERSION,
  type Plan,
  preflight,
  report,
} from '../../scripts/preflight-checks.ts';
import { NAMED_TYPES } from '../support/names.ts';
import { infraSynth } from '../support/synth.ts';

type Json = Record<string, any>;

/** An AWS SDK v3 service error as the clients throw it: the exception's name and message. */
const awsError = (name: string, message: string) => Object.assign(new Error(message), { name, $fault: 'client' });

/** What the account answers; undefined means "not there" in the service's own words. */
interface Account {
  bootstrapVersion?: string;
  stack?: { status: string; description?: string };
  production?: boolean;
  sendingEnabled?: boolean;
  identities?: Record<string, { verified: boolean; dkim?: string }>;
  concurrency?: { limit: number; unreserved: number };
  denied?: string[];
}

/** Fake clients: each answers the commands of its service, records them, and refuses anything else. */
function fakeAccount(a: Account): { clients: Clients; sent: string[] } {
  const sent: string[] = [];
  const client = (answer: (cmd: Json) => unknown) => ({
    send: async (cmd: Json) => {
      const name = cmd.constructor.name as string;
      sent.push(name);
      if (a.denied?.includes(name)) throw awsError('AccessDeniedException', `not authorized to perform ${name}`);
      return answer(cmd);
    },
  });
  const clients: Clients = {
    ssm: client((cmd) => {
      assert.ok(cmd instanceof GetParameterCommand);
      assert.equal(cmd.input.Name, BOOTSTRAP_PARAMETER);
      if (a.bootstrapVersion === undefined) throw awsError('ParameterNotFound', '');
      return { Parameter: { Name: cmd.input.Name, Value: a.bootstrapVersion } };
    }),
    cloudformation: client((cmd) => {
      assert.ok(cmd instanceof DescribeStacksCommand);
      if (!a.stack) throw awsError('ValidationError', `Stack with id ${cmd.input.StackName} does not exist`);
      const description = a.stack.description ?? 'Carpeta: document sharing for Asesoría López';
      return { Stacks: [{ StackName: cmd.input.StackName, StackStatus: a.stack.status, Description: description }] };
    }),
    sesv2: client((cmd) => {
      if (cmd instanceof GetAccountCommand) {
        return { ProductionAccessEnabled: a.production ?? false, SendingEnabled: a.sendingEnabled ?? true };
      }
      assert.ok(cmd instanceof GetEmailIdentityCommand);
      const found = a.identities?.[cmd.input.EmailIdentity ?? ''];
      if (!found) throw awsError('NotFoundException', `Email identity ${cmd.input.EmailIdentity} does not exist.`);
      return {
        VerifiedForSendingStatus: found.verified,
        DkimAttributes: found.dkim ? { Status: found.dkim } : undefined,
      };
    }),
    lambda: client((cmd) => {
      assert.ok(cmd instanceof GetAccountSettingsCommand);
      const c = a.concurrency ?? { limit: 1000, unreserved: 1000 };
      return { AccountLimit: { ConcurrentExecutions: c.limit, UnreservedConcurrentExecutions: c.unreserved } };
    }),
  };
  return { clients, sent };
}

const plan = (p: Partial<Plan> = {}): Plan => ({
  stackName: 'Carpeta',
  region: 'eu-west-1',
  account: '123456789012',
  senderEmail: 'avisos@lopez.example',
  identityName: 'avisos@lopez.example',
  senderIdentity: 'create',
  sesSandbox: false,
  throttle: DEFAULT_THROTTLE,
  ...p,
});
const READY: Account = { bootstrapVersion: '28', production: true };
const run = async (a: Account, p: Partial<Plan> = {}) => {
  const { clients, sent } = fakeAccount(a);
  const findings = await preflight(clients, plan(p));
  return { findings, sent, ...report(plan(p), findings) };
};
const find = (findings: Finding[], check: RegExp) => {
  const f = findings.filter((x) => check.test(x.check));
  assert.equal(f.length, 1, `one finding for ${check}: ${JSON.stringify(findings)}`);
  return f[0];
};

test('a ready account: every check passes, exit 0', async () => {
  const r = await run(READY);
  assert.deepEqual(
    r.findings.map((f) => f.level),
    ['ok', 'ok', 'ok', 'ok', 'ok'],
    r.text,
  );
  assert.equal(r.exitCode, 0);
  assert.match(r.text, /^Preflight \(read-only\) for stack Carpeta in eu-west-1, account 123456789012:/);
  assert.match(r.text, /Nothing would fail\.$/);
});

test('a brand-new account: not bootstrapped, SES sandbox, reduced concurrency; each says how to fix it', async () => {
  const r = await run({ concurrency: { limit: 10, unreserved: 10 } });
  assert.equal(r.exitCode, 1);
  const boot = find(r.findings, /bootstrap/);
  assert.equal(boot.level, 'fail');
  assert.equal(boot.fix, 'npx cdk bootstrap aws://123456789012/eu-west-1 -c senderEmail=avisos@lopez.example');
  const sandbox = find(r.findings, /SES account/);
  assert.equal(sandbox.level, 'fail');
  assert.match(sandbox.fix!, /production access/);
  assert.match(sandbox.fix!, /-c sesSandbox=true/);
  assert.equal(find(r.findings, /SES identity/).level, 'ok', 'the stack creates it');
  assert.equal(find(r.findings, /^stack /).level, 'ok', 'a new stack');
  // The default throttle (20/s) fits 10 executions at steady state; its burst of 40 may not.
  const lambda = find(r.findings, /Lambda/);
  assert.equal(lambda.level, 'warn');
  assert.match(lambda.fix!, /L-B99A9384/);
  assert.match(lambda.fix!, /-c throttleRate=10 -c throttleBurst=10/);
  assert.match(r.text, /FAIL {2}CDK bootstrap: eu-west-1 is not bootstrapped for CDK/);
  assert.match(r.text, /\n {8}fix: npx cdk bootstrap/);
  assert.match(r.text, /2 would fail, 1 to look at: fix them before npx cdk deploy\.$/);
});

test('-c sesSandbox=true in the sandbox: a warning, not a failure', async () => {
  const r = await run({ ...READY, production: false }, { sesSandbox: true });
  assert.equal(find(r.findings, /SES account/).level, 'warn');
  assert.equal(r.exitCode, 0);
});

test('bootstrapped too long ago: older than the template accepts', async () => {
  const r = await run({ ...READY, bootstrapVersion: '5' });
  const boot = find(r.findings, /bootstrap/);
  assert.equal(boot.level, 'fail');
  assert.match(boot.message, /needs 6 or later/);
});

test('retry after a failed first deploy: ROLLBACK_COMPLETE must be destroyed first, and it says so', async () => {
  const r = await run({ ...READY, stack: { status: 'ROLLBACK_COMPLETE' } });
  const stack = find(r.findings, /^stack Carpeta$/);
  assert.equal(stack.level, 'fail');
  assert.match(stack.fix!, /^aws cloudformation delete-stack --stack-name Carpeta --region eu-west-1 && /);
  assert.match(stack.fix!, /wait stack-delete-complete --stack-name Carpeta --region eu-west-1, then deploy again/);
  const profiled = await run({ ...READY, stack: { status: 'ROLLBACK_COMPLETE' } }, { profile: 'lopez' });
  assert.match(find(profiled.findings, /^stack/).fix!, /--region eu-west-1 --profile lopez && /);
  assert.match(find(profiled.findings, /bootstrap/).message, /version 28/);
  assert.equal(r.exitCode, 1);
  assert.equal(find((await run({ ...READY, stack: { status: 'UPDATE_COMPLETE' } })).findings, /^stack/).level, 'ok');
  const busy = await run({ ...READY, stack: { status: 'UPDATE_IN_PROGRESS' } });
  assert.equal(find(busy.findings, /^stack/).level, 'fail');
  const foreign = await run({ ...READY, stack: { status: 'CREATE_COMPLETE', description: 'Billing' } });
  assert.match(find(foreign.findings, /^stack/).fix!, /-c stackName=/);
});

test('the sender identity: in SES already (create would collide), existing and verified, or not', async () => {
  const verified = { 'avisos@lopez.example': { verified: true } };
  const collide = find((await run({ ...READY, identities: verified })).findings, /SES identity/);
  assert.equal(collide.level, 'fail');
  assert.equal(collide.fix, 'deploy with -c senderIdentity=existing (the stack then only references it)');
  const ok = await run({ ...READY, identities: verified }, { senderIdentity: 'existing' });
  assert.equal(find(ok.findings, /SES identity/).level, 'ok');
  assert.equal(ok.exitCode, 0);
  const missing = await run(READY, { senderIdentity: 'existing' });
  assert.equal(find(missing.findings, /SES identity/).level, 'fail');
  const pending = await run(
    { ...READY, identities: { 'lopez.example': { verified: false, dkim: 'PENDING' } } },
    { senderIdentity: 'existing', identityName: 'lopez.example' },
  );
  const dkim = find(pending.findings, /SES identity lopez\.example/);
  assert.equal(dkim.level, 'fail');
  assert.match(dkim.message, /DKIM PENDING/);
  assert.match(dkim.fix!, /DKIM CNAME records/);
  const paused = await run({ ...READY, sendingEnabled: false });
  assert.ok(paused.findings.some((f) => f.check === 'SES account' && f.level === 'fail' && /paused/.test(f.message)));
});

test('Lambda concurrency against the configured throttle', async () => {
  const low = { ...READY, concurrency: { limit: 50, unreserved: 50 } };
  const tooFast = await run(low, { throttle: { rateLimit: 200, burstLimit: 400 } });
  const f = find(tooFast.findings, /Lambda/);
  assert.equal(f.level, 'fail');
  assert.match(f.message, /50 unreserved of 50; 200 requests\/s per route keep about 100 busy/);
  assert.match(f.fix!, /-c throttleRate=50 -c throttleBurst=50/);
  assert.equal(find((await run(low)).findings, /Lambda/).level, 'ok', '20/s, burst 40 fit 50');
});

test('what it cannot read is reported, never passed silently', async () => {
  const r = await run({ ...READY, denied: ['GetParameterCommand', 'GetAccountSettingsCommand'] });
  for (const check of [/bootstrap/, /Lambda/]) {
    const f = find(r.findings, check);
    assert.equal(f.level, 'warn');
    assert.match(f.message, /could not check \(AccessDeniedException/);
  }
});

test('read-only: it sends Get and Describe calls only, to the services it names', async () => {
  const { sent } = await run({ ...READY, stack: { status: 'UPDATE_COMPLETE' } }, { senderIdentity: 'existing' });
  assert.deepEqual([...new Set(sent)].sort(), [
    'DescribeStacksCommand',
    'GetAccountCommand',
    'GetAccountSettingsCommand',
    'GetEmailIdentityCommand',
    'GetParameterCommand',
  ]);
});

const synth = infraSynth('preflight');

test('the template backs its claims: only the SES identity has a name that is not the stack id; bootstrap 6+', () => {
  for (const context of [{}, { senderIdentity: 'existing' }]) {
    const { app, stack } = synth(context);
    const template = app.synth().getStackArtifact(stack.artifactId).template;
    for (const [id, r] of Object.entries<Json>(template.Resources)) {
      const name = NAMED_TYPES[r.Type]?.name(r.Properties ?? {});
      if (name === undefined || r.Type === 'AWS::SES::EmailIdentity') continue;
      assert.ok(JSON.stringify(name).includes('AWS::StackId'), `${id} (${r.Type}) has a name the preflight misses`);
    }
    // The oldest bootstrap version the template's own rule accepts is the one the preflight asks for.
    const rejected = template.Rules.CheckBootstrapVersion.Assertions[0].Assert['Fn::Not'][0]['Fn::Contains'][0];
    assert.deepEqual(
      rejected,
      Array.from({ length: MIN_BOOTSTRAP_VERSION - 1 }, (_, i) => String(i + 1)),
    );
  }
});

test('npm run preflight: a missing sender stops it before any AWS call (exit 2, the message and the usage)', () => {
  const root = fileURLToPath(new URL('../..', import.meta.url));
  const home = mkdtempSync(join(synth.outdir, 'home-'));
  const r = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/preflight.ts', '--region', 'eu-west-1'], {
    cwd: root,
    encoding: 'utf8',
    env: { PATH: process.env.PATH, HOME: home, AWS_EC2_METADATA_DISABLED: 'true' },
  });
  assert.equal(r.status, 2, r.stderr);
  assert.match(r.stderr, /Missing context value senderEmail/);
  assert.match(r.stderr, /usage: npm run preflight -- \[--profile <p>\] \[--region <r>\]/);
});
