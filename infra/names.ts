/**
 * Physical names for the few resources that must have one (AWS Backup vault and plan, CloudFront
 * response-headers policy and origin access control, the dashboard, the documents bucket).
 * Everything else is named by CloudFormation, which appends a random suffix per creation.
 *
 * A name made here is `<stack name>-<region>-<stack id>-<purpose>`, where the stack id part comes
 * from `AWS::StackId` (a UUID CloudFormation draws when it creates the stack). So:
 * - two companies in one account and region differ by stack name (and stack id);
 * - one company in two regions differs by region, which matters for the account-wide names
 *   (CloudFront policies and origin access controls, dashboards, S3 buckets are global);
 * - after `cdk destroy`, or the rollback of a failed first deploy, a retained resource (the
 *   backup vault, the documents bucket) keeps the old stack's id, and the next stack of the same
 *   name gets a new id, hence new names: nothing the next deploy creates can collide with it.
 * The stack id part is fixed for the life of a stack, so updates never rename anything.
 */
import { Fn, Stack, Token } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** The longest region name (e.g. `ap-southeast-3`), for length budgets when the region is a token. */
const MAX_REGION_LENGTH = 14;

/** The UUID in `AWS::StackId` (`arn:...:stack/<name>/<uuid>`): 36 characters, lowercase hex and hyphens. */
export function stackUuid(scope: IConstruct): string {
  return Fn.select(2, Fn.split('/', Stack.of(scope).stackId));
}

/** The first 8 hex digits of the stack's UUID: short, and distinct for every stack CloudFormation creates. */
export function stackIdSuffix(scope: IConstruct): string {
  return Fn.select(0, Fn.split('-', stackUuid(scope)));
}

export interface PhysicalNameOptions {
  /** The service's limit on the name's length. */
  readonly maxLength: number;
  /**
   * Lowercase the stack name (S3 bucket names).
   * @default false
   */
  readonly lowercase?: boolean;
  /**
   * Use the whole stack UUID instead of its first 8 digits, and leave the region out: for names
   * that are unique across every AWS account (S3 buckets), where 8 digits are too few.
   * @default false
   */
  readonly globallyUnique?: boolean;
}

/**
 * `<stack name>-<region>-<first 8 of the stack id>-<purpose>` (or `<stack name>-<stack uuid>-<purpose>`
 * with `globallyUnique`), the stack name shortened to fit `maxLength`. Resolved by CloudFormation at deploy.
 */
export function physicalName(scope: IConstruct, purpose: string, opts: PhysicalNameOptions): string {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(purpose)) throw new Error(`name purpose "${purpose}" must be lowercase kebab-case`);
  const stack = Stack.of(scope);
  const region = stack.region;
  const regionLength = Token.isUnresolved(region) ? MAX_REGION_LENGTH : region.length;
  const parts = opts.globallyUnique ? [stackUuid(scope)] : [region, stackIdSuffix(scope)];
  const fixedLength = (opts.globallyUnique ? 36 : regionLength + 1 + 8) + purpose.length + 2;
  const room = opts.maxLength - fixedLength;
  if (room < 3) throw new Error(`no room for the stack name in a ${opts.maxLength}-character ${purpose} name`);
  let name = stack.stackName.slice(0, room).replace(/-+$/, '');
  if (opts.lowercase) name = name.toLowerCase();
  return Fn.join('-', [name, ...parts, purpose]);
}
