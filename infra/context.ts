/**
 * A deployment's settings, read from CDK context (`-c key=value`, cdk.json) and checked before
 * anything is built. A deploy that would "succeed" into a product that cannot work (no sender
 * address, a custom domain CloudFront cannot serve) stops here with a message that names the
 * missing or wrong value and shows the fix. The region is chosen here too, one documented way
 * (docs/DEPLOY.md "Region").
 */
import { DEFAULT_ANONYMOUS_THROTTLE, DEFAULT_THROTTLE, type Throttle } from './api.ts';
import { SENDER_IDENTITIES, type SenderIdentity } from './mail.ts';

/** Where a deployment goes when neither the context nor the AWS configuration names a region: in the EU. */
export const FALLBACK_REGION = 'eu-west-1';

/** What the CDK CLI passes as CDK_DEFAULT_REGION when it finds no region anywhere (aws-cdk's AwsCliCompatible). */
const CLI_DEFAULT_REGION = 'us-east-1';

/** A configuration value that is missing or wrong: the CDK app prints the message alone, without a stack trace. */
export class ContextError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ContextError';
  }
}

export interface RegionChoice {
  readonly region: string;
  /** How it was chosen, for the line `cdk synth` prints. */
  readonly source: string;
}

const REGION = /^[a-z]{2}(-gov|-iso[a-z]*)?-[a-z]+-\d$/;

/**
 * The region, in this order:
 * 1. the context value `region` (`-c region=eu-south-2`);
 * 2. the region the CDK CLI resolved from the environment (`AWS_REGION`, `AWS_DEFAULT_REGION`) or the
 *    AWS profile's `region`, which it hands to the app as `CDK_DEFAULT_REGION`, overwriting any value
 *    exported in the shell. When it finds none it passes `us-east-1`; that is indistinguishable from a
 *    profile that says `us-east-1`, so `us-east-1` counts only when `AWS_REGION` / `AWS_DEFAULT_REGION`
 *    says so too (or `-c region=us-east-1` is given);
 * 3. otherwise {@link FALLBACK_REGION}: Spanish companies fall under the GDPR, so the default keeps
 *    their data in the EU.
 */
export function chooseRegion(contextRegion: string | undefined, env: NodeJS.ProcessEnv = process.env): RegionChoice {
  const check = (region: string, from: string) => {
    if (!REGION.test(region)) throw new ContextError(`${from} "${region}" is not an AWS region name (e.g. eu-west-1)`);
    return region;
  };
  if (contextRegion) return { region: check(contextRegion, 'context value region'), source: 'context value region' };
  const cli = env.CDK_DEFAULT_REGION?.trim();
  const shell = (env.AWS_REGION ?? env.AWS_DEFAULT_REGION)?.trim();
  if (cli && cli !== CLI_DEFAULT_REGION) {
    return {
      region: check(cli, 'CDK_DEFAULT_REGION'),
      source: 'the AWS configuration, passed by the CDK CLI as CDK_DEFAULT_REGION',
    };
  }
  // Here CDK_DEFAULT_REGION is unset (no CLI) or the ambiguous us-east-1: the shell's own variable decides.
  if (shell) {
    const name = env.AWS_REGION ? 'AWS_REGION' : 'AWS_DEFAULT_REGION';
    return { region: check(shell, name), source: name };
  }
  return {
    region: FALLBACK_REGION,
    source: cli
      ? `fallback: CDK_DEFAULT_REGION is ${CLI_DEFAULT_REGION}, which the CDK CLI also passes when it finds ` +
        `no region; for ${CLI_DEFAULT_REGION} pass -c region=${CLI_DEFAULT_REGION}`
      : 'fallback: no region in the context or the AWS configuration',
  };
}

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;
/** An ACM certificate ARN in us-east-1, the only region CloudFront takes certificates from. */
const CLOUDFRONT_CERTIFICATE = /^arn:aws[a-z-]*:acm:us-east-1:\d{12}:certificate\/[\w-]+$/;

export function str(v: unknown): string | undefined {
  return typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined;
}

export function bool(v: unknown): boolean | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  return v === true || v === 'true' || v === '1';
}

/** The settings a deployment cannot go without, checked. */
export interface DeploymentSettings {
  readonly senderEmail: string;
  readonly senderIdentity: SenderIdentity;
  readonly alarmEmail?: string;
  readonly domain?: string;
  readonly certificateArn?: string;
}

/** Reads and checks senderEmail, senderIdentity, alarmEmail, domain, certificateArn (docs/DEPLOY.md). */
export function readDeploymentSettings(ctx: (key: string) => unknown): DeploymentSettings {
  const senderEmail = str(ctx('senderEmail'));
  if (!senderEmail) {
    throw new ContextError(
      'Missing context value senderEmail: the From address of every mail the app sends (invitations, share ' +
        'links). Deploy with -c senderEmail=notificaciones@your-company.example (docs/DEPLOY.md).',
    );
  }
  if (!EMAIL.test(senderEmail)) throw new ContextError(`senderEmail "${senderEmail}" is not an email address`);
  const senderIdentity = (str(ctx('senderIdentity')) ?? 'create') as SenderIdentity;
  if (!SENDER_IDENTITIES.includes(senderIdentity)) {
    throw new ContextError(
      `senderIdentity "${senderIdentity}" must be create (the stack creates the SES identity) or existing ` +
        '(it is already in SES in this account and region)',
    );
  }
  const alarmEmail = str(ctx('alarmEmail'));
  if (alarmEmail && !EMAIL.test(alarmEmail))
    throw new ContextError(`alarmEmail "${alarmEmail}" is not an email address`);
  const domain = str(ctx('domain'))
    ?.toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\/.*$/, '');
  const certificateArn = str(ctx('certificateArn'));
  if (domain && !certificateArn) {
    throw new ContextError(
      `Missing context value certificateArn: domain=${domain} is set, and CloudFront serves a domain only with an ` +
        'ACM certificate for it in us-east-1, so every link in the mails would point at a site that does not ' +
        'answer. Add -c certificateArn=arn:aws:acm:us-east-1:<account>:certificate/<id>, or leave out -c domain ' +
        'to use the *.cloudfront.net address (docs/DEPLOY.md).',
    );
  }
  if (certificateArn && !domain) {
    throw new ContextError('Context value certificateArn needs domain: -c domain=carpeta.your-company.example');
  }
  if (certificateArn && !CLOUDFRONT_CERTIFICATE.test(certificateArn)) {
    throw new ContextError(
      `certificateArn "${certificateArn}" is not an ACM certificate ARN in us-east-1 (CloudFront takes no other)`,
    );
  }
  return { senderEmail, senderIdentity, alarmEmail, domain, certificateArn };
}

/** A whole number of at least 1 from context value `key`, or undefined when it is not given. */
function positiveInt(ctx: (key: string) => unknown, key: string): number | undefined {
  const raw = ctx(key);
  if (raw === undefined || raw === null || raw === '') return undefined;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1)
    throw new ContextError(`context value ${key} must be a whole number >= 1, got ${raw}`);
  return n;
}

function throttleFrom(ctx: (key: string) => unknown, prefix: string, defaults: Throttle): Throttle {
  const [rateKey, burstKey] = prefix
    ? [`${prefix}ThrottleRate`, `${prefix}ThrottleBurst`]
    : ['throttleRate', 'throttleBurst'];
  const rateLimit = positiveInt(ctx, rateKey) ?? defaults.rateLimit;
  const burstLimit = positiveInt(ctx, burstKey) ?? defaults.burstLimit;
  if (burstLimit < rateLimit)
    throw new ContextError(`${burstKey} (${burstLimit}) must be at least ${rateKey} (${rateLimit})`);
  return { rateLimit, burstLimit };
}

export interface Throttles {
  /** Every route's limit: throttleRate, throttleBurst. */
  readonly throttle: Throttle;
  /** Each anonymous route's own limit: anonymousThrottleRate, anonymousThrottleBurst. */
  readonly anonymousThrottle: Throttle;
}

/** The API throttles from context, else DEFAULT_THROTTLE and DEFAULT_ANONYMOUS_THROTTLE (infra/api.ts). */
export function readThrottles(ctx: (key: string) => unknown): Throttles {
  const throttle = throttleFrom(ctx, '', DEFAULT_THROTTLE);
  const anonymousThrottle = throttleFrom(ctx, 'anonymous', {
    rateLimit: Math.min(DEFAULT_ANONYMOUS_THROTTLE.rateLimit, throttle.rateLimit),
    burstLimit: Math.min(DEFAULT_ANONYMOUS_THROTTLE.burstLimit, throttle.burstLimit),
  });
  if (anonymousThrottle.rateLimit > throttle.rateLimit || anonymousThrottle.burstLimit > throttle.burstLimit) {
    throw new ContextError(
      `the anonymous routes' throttle (${anonymousThrottle.rateLimit}/s, burst ${anonymousThrottle.burstLimit}) ` +
        `must not exceed every route's (${throttle.rateLimit}/s, burst ${throttle.burstLimit})`,
    );
  }
  return { throttle, anonymousThrottle };
}
