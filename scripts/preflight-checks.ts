/**
 * The checks of `npm run preflight` (scripts/preflight.ts): what a deploy into this account and region
 * would run into, read with the AWS SDK v3 and never changed. Each check takes the SDK clients it reads
 * through (anything with the clients' `send`), so tests answer with fakes; each returns findings that
 * say what would fail and how to fix it.
 *
 * Physical names: every name the stack sets itself carries the stack's id (infra/names.ts), so the one
 * name that can collide with something already in the account is the sender's SES identity, checked
 * here, besides the stack itself (a failed first deploy leaves it in ROLLBACK_COMPLETE).
 */
import { DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { GetAccountSettingsCommand } from '@aws-sdk/client-lambda';
import { GetAccountCommand, GetEmailIdentityCommand } from '@aws-sdk/client-sesv2';
import { GetParameterCommand } from '@aws-sdk/client-ssm';
import type { Throttle } from '../infra/api.ts';
import type { SenderIdentity } from '../infra/mail.ts';

/** Anything that sends SDK v3 commands: a client, or a test's fake. */
export interface Sender {
  // biome-ignore lint/suspicious/noExplicitAny: each client's send is typed per command; the checks narrow.
  send(command: any): Promise<any>;
}

export interface Clients {
  readonly ssm: Sender;
  readonly cloudformation: Sender;
  readonly sesv2: Sender;
  readonly lambda: Sender;
}

/** What the deployment will be, from the same context `cdk deploy` gets. */
export interface Plan {
  readonly stackName: string;
  readonly region: string;
  /** For the commands in the fixes. @default '<account-id>' */
  readonly account?: string;
  /** The AWS profile, repeated in the commands of the fixes. @default - none */
  readonly profile?: string;
  readonly senderEmail: string;
  /** The SES identity sends are authorized through (the mail domain, else the address). */
  readonly identityName: string;
  readonly senderIdentity: SenderIdentity;
  readonly sesSandbox: boolean;
  readonly throttle: Throttle;
}

export type Level = 'ok' | 'warn' | 'fail';
export interface Finding {
  readonly check: string;
  readonly level: Level;
  readonly message: string;
  /** How to fix it (for warn and fail). */
  readonly fix?: string;
}

/** The CDK bootstrap qualifier and the oldest bootstrap version the synthesized template accepts. */
export const BOOTSTRAP_PARAMETER = '/cdk-bootstrap/hnb659fds/version';
export const MIN_BOOTSTRAP_VERSION = 6;

/** Pessimistic seconds per API request, cold starts included, to turn a rate into Lambda concurrency. */
export const SECONDS_PER_REQUEST = 0.5;

/** Stack states from which CloudFormation refuses an update (`cdk deploy` fails at once). */
const STUCK: Record<string, string> = {
  ROLLBACK_COMPLETE: 'a failed first deploy rolled it back',
  ROLLBACK_FAILED: 'a failed first deploy could not roll back',
  DELETE_FAILED: 'a destroy did not finish',
  UPDATE_ROLLBACK_FAILED: 'a failed update could not roll back',
};

const profileFlag = (plan: Plan) => (plan.profile ? ` --profile ${plan.profile}` : '');
const errorName = (e: unknown) => (e as { name?: string })?.name ?? '';
const errorText = (e: unknown) => `${errorName(e) || 'Error'}: ${(e as Error)?.message ?? String(e)}`;

/** A check that could not read what it needs (permissions, throttling): reported, never silently passed. */
const unreadable = (check: string, e: unknown, permission: string): Finding => ({
  check,
  level: 'warn',
  message: `could not check (${errorText(e)})`,
  fix: `run it with credentials allowed ${permission}`,
});

export async function checkBootstrap(c: Clients, plan: Plan): Promise<Finding[]> {
  const check = 'CDK bootstrap';
  // The CDK CLI synthesizes the app for bootstrap too (cdk.json names it), so it needs the sender.
  const bootstrap =
    `npx cdk bootstrap aws://${plan.account ?? '<account-id>'}/${plan.region}${profileFlag(plan)} ` +
    `-c senderEmail=${plan.senderEmail}`;
  try {
    const r = await c.ssm.send(new GetParameterCommand({ Name: BOOTSTRAP_PARAMETER }));
    const version = Number(r.Parameter?.Value);
    if (!(version >= MIN_BOOTSTRAP_VERSION)) {
      return [
        {
          check,
          level: 'fail',
          message:
            `bootstrap version ${r.Parameter?.Value ?? '?'} in ${plan.region}; ` +
            `the template needs ${MIN_BOOTSTRAP_VERSION} or later`,
          fix: `${bootstrap} (upgrades the CDKToolkit stack in place)`,
        },
      ];
    }
    return [{ check, level: 'ok', message: `version ${version} in ${plan.region}` }];
  } catch (e) {
    if (errorName(e) === 'ParameterNotFound') {
      return [
        {
          check,
          level: 'fail',
          message: `${plan.region} is not bootstrapped for CDK (no ${BOOTSTRAP_PARAMETER})`,
          fix: bootstrap,
        },
      ];
    }
    return [unreadable(check, e, `ssm:GetParameter on ${BOOTSTRAP_PARAMETER}`)];
  }
}

export async function checkStack(c: Clients, plan: Plan): Promise<Finding[]> {
  const check = `stack ${plan.stackName}`;
  const where = `--stack-name ${plan.stackName} --region ${plan.region}${profileFlag(plan)}`;
  const destroy = `aws cloudformation delete-stack ${where} && aws cloudformation wait stack-delete-complete ${where}`;
  try {
    const r = await c.cloudformation.send(new DescribeStacksCommand({ StackName: plan.stackName }));
    const stack = r.Stacks?.[0];
    const status: string = stack?.StackStatus ?? 'UNKNOWN';
    if (!String(stack?.Description ?? '').startsWith('Carpeta')) {
      return [
        {
          check,
          level: 'fail',
          message: `a stack named ${plan.stackName} exists in ${plan.region} and is not a Carpeta deployment`,
          fix: 'choose another name: -c stackName=<name>',
        },
      ];
    }
    if (STUCK[status]) {
      return [
        {
          check,
          level: 'fail',
          message: `${status}: ${STUCK[status]}, and CloudFormation will not update it`,
          fix:
            `${destroy}, then deploy again. What it retained (table, buckets, user pool, log groups, backup ` +
            'vault) has names the next stack does not reuse (docs/DEPLOY.md "Retry after a failure")',
        },
      ];
    }
    if (status.endsWith('_IN_PROGRESS')) {
      return [{ check, level: 'fail', message: `${status}: another operation is running`, fix: 'wait for it to end' }];
    }
    return [{ check, level: 'ok', message: `exists (${status}): this deploy updates it` }];
  } catch (e) {
    if (errorName(e) === 'ValidationError' && /does not exist/.test((e as Error).message)) {
      return [{ check, level: 'ok', message: `not in ${plan.region} yet: this deploy creates it` }];
    }
    return [unreadable(check, e, 'cloudformation:DescribeStacks')];
  }
}

export async function checkSes(c: Clients, plan: Plan): Promise<Finding[]> {
  const findings: Finding[] = [];
  const sandboxCheck = 'SES account';
  try {
    const account = await c.sesv2.send(new GetAccountCommand({}));
    if (account.SendingEnabled === false) {
      findings.push({
        check: sandboxCheck,
        level: 'fail',
        message: `sending is paused for this account in ${plan.region}: no mail would go out`,
        fix:
          'see the SES console (Account dashboard) for the reason; resume with ' +
          'aws sesv2 put-account-sending-attributes --sending-enabled',
      });
    }
    if (account.ProductionAccessEnabled) {
      findings.push({ check: sandboxCheck, level: 'ok', message: `production access in ${plan.region}` });
    } else if (plan.sesSandbox) {
      findings.push({
        check: sandboxCheck,
        level: 'warn',
        message: `in the SES sandbox in ${plan.region} (-c sesSandbox=true): mail reaches verified addresses only`,
        fix: 'request production access before inviting clients (docs/DEPLOY.md "Email (SES)")',
      });
    } else {
      findings.push({
        check: sandboxCheck,
        level: 'fail',
        message: `in the SES sandbox in ${plan.region}: every invitation to an unverified client address would fail`,
        fix:
          'request production access (aws sesv2 put-account-details --production-access-enabled ..., docs/DEPLOY.md ' +
          '"Email (SES)"), or deploy with -c sesSandbox=true and verify the test recipients meanwhile',
      });
    }
  } catch (e) {
    findings.push(unreadable(sandboxCheck, e, 'ses:GetAccount'));
  }

  const check = `SES identity ${plan.identityName}`;
  let identity: { VerifiedForSendingStatus?: boolean; DkimAttributes?: { Status?: string } } | undefined;
  try {
    identity = await c.sesv2.send(new GetEmailIdentityCommand({ EmailIdentity: plan.identityName }));
  } catch (e) {
    if (errorName(e) !== 'NotFoundException') return [...findings, unreadable(check, e, 'ses:GetEmailIdentity')];
  }
  if (!identity) {
    findings.push(
      plan.senderIdentity === 'existing'
        ? {
            check,
            level: 'fail',
            message: `-c senderIdentity=existing, but ${plan.region} has no such SES identity: sends would be refused`,
            fix: `create and verify it, or deploy with -c senderIdentity=create (the default)`,
          }
        : {
            check,
            level: 'ok',
            message: `not in SES yet: the stack creates it; verify it after the deploy (docs/DEPLOY.md "Email (SES)")`,
          },
    );
    return findings;
  }
  if (plan.senderIdentity === 'create') {
    findings.push({
      check,
      level: 'fail',
      message: `already an SES identity in ${plan.region}: creating it again would fail the deploy`,
      fix: `deploy with -c senderIdentity=existing (the stack then only references it)`,
    });
    return findings;
  }
  if (!identity.VerifiedForSendingStatus) {
    const dkim = identity.DkimAttributes?.Status;
    findings.push({
      check,
      level: 'fail',
      message: `exists but is not verified for sending${dkim ? ` (DKIM ${dkim})` : ''}: every mail would fail`,
      fix: plan.identityName.includes('@')
        ? `open the verification link SES mailed to ${plan.identityName}`
        : `publish its DKIM CNAME records (aws sesv2 get-email-identity --email-identity ${plan.identityName})`,
    });
    return findings;
  }
  findings.push({ check, level: 'ok', message: 'exists and is verified: the stack references it' });
  return findings;
}

export async function checkLambdaConcurrency(c: Clients, plan: Plan): Promise<Finding[]> {
  const check = 'Lambda concurrency';
  try {
    const r = await c.lambda.send(new GetAccountSettingsCommand({}));
    const limit: number = r.AccountLimit?.ConcurrentExecutions ?? 0;
    const unreserved: number = r.AccountLimit?.UnreservedConcurrentExecutions ?? limit;
    const { rateLimit, burstLimit } = plan.throttle;
    const needed = Math.ceil(rateLimit * SECONDS_PER_REQUEST);
    const raise =
      `request more (aws service-quotas request-service-quota-increase --service-code lambda --quota-code ` +
      `L-B99A9384 --desired-value 1000 --region ${plan.region}${profileFlag(plan)})`;
    // What the account serves now: a rate it keeps busy with at most its executions, a burst of as many.
    const rate = Math.max(1, Math.min(rateLimit, unreserved));
    const fits = `-c throttleRate=${rate} -c throttleBurst=${Math.max(rate, unreserved)}`;
    if (needed > unreserved) {
      return [
        {
          check,
          level: 'fail',
          message:
            `${unreserved} unreserved of ${limit}; ${rateLimit} requests/s per route keep about ${needed} busy, so a ` +
            'flood would be answered by Lambda throttling (5xx) rather than the API throttle (429)',
          fix: `${raise}, or deploy with ${fits}`,
        },
      ];
    }
    if (burstLimit > unreserved) {
      return [
        {
          check,
          level: 'warn',
          message:
            `${unreserved} unreserved of ${limit}; a full burst of ${burstLimit} at once could be ` +
            'throttled by Lambda',
          fix: `${raise}, or deploy with ${fits}`,
        },
      ];
    }
    return [
      {
        check,
        level: 'ok',
        message: `${unreserved} unreserved of ${limit}: enough for ${rateLimit}/s, burst ${burstLimit}`,
      },
    ];
  } catch (e) {
    return [unreadable(check, e, 'lambda:GetAccountSettings')];
  }
}

/** Every check, in the order a deploy meets them. */
export async function preflight(c: Clients, plan: Plan): Promise<Finding[]> {
  const all = await Promise.all([
    checkBootstrap(c, plan),
    checkStack(c, plan),
    checkSes(c, plan),
    checkLambdaConcurrency(c, plan),
  ]);
  return all.flat();
}

/** The report the script prints, and its exit code: 1 when anything would fail. */
export function report(plan: Plan, findings: Finding[]): { text: string; exitCode: number } {
  const label: Record<Level, string> = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' };
  const lines = [
    `Preflight (read-only) for stack ${plan.stackName} in ${plan.region}` +
      `${plan.account ? `, account ${plan.account}` : ''}:`,
  ];
  for (const f of findings) {
    lines.push(`  ${label[f.level]}  ${f.check}: ${f.message}`);
    if (f.fix && f.level !== 'ok') lines.push(`        fix: ${f.fix}`);
  }
  const failing = findings.filter((f) => f.level === 'fail').length;
  const warnings = findings.filter((f) => f.level === 'warn').length;
  lines.push(
    failing
      ? `${failing} would fail${warnings ? `, ${warnings} to look at` : ''}: fix them before npx cdk deploy.`
      : `Nothing would fail${warnings ? ` (${warnings} to look at)` : ''}.`,
  );
  return { text: lines.join('\n'), exitCode: failing ? 1 : 0 };
}
