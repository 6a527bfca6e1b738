/**
 * The one DynamoDB table (single-table design, see docs/ARCHITECTURE.md "Data")
 * and the narrow grants each Lambda gets on it.
 *
 * Key names and the GSI names are a contract with functions/store/keys.ts
 * (`INDEX.gsi1 = 'GSI1'`, `INDEX.gsi2 = 'GSI2'`) and with the local stack,
 * which creates its emulator table from this resource in the synthesized template.
 */
import { RemovalPolicy } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';

/** GSI names, as functions/store/keys.ts spells them. */
export const GSI_NAMES = ['GSI1', 'GSI2'] as const;

/** Read actions a client-facing function may use: single items, batches of known keys, queries. Never Scan. */
const READ_ACTIONS = ['dynamodb:GetItem', 'dynamodb:BatchGetItem', 'dynamodb:Query'];
/** Write actions for the staff function (full item lifecycle, conditional writes, batches). */
const WRITE_ACTIONS = [
  'dynamodb:PutItem',
  'dynamodb:UpdateItem',
  'dynamodb:DeleteItem',
  'dynamodb:BatchWriteItem',
  'dynamodb:ConditionCheckItem',
];

export interface DataProps {
  /**
   * What happens to the table when it leaves the stack (or the stack is deleted).
   * @default RemovalPolicy.RETAIN: the company's folders, grants and audit trail outlive the stack.
   */
  readonly removalPolicy?: RemovalPolicy;
  /**
   * CloudFormation refuses to delete the table while this is on.
   * @default true
   */
  readonly deletionProtection?: boolean;
  /**
   * Encryption at rest.
   * @default dynamodb.TableEncryption.AWS_MANAGED (KMS key `aws/dynamodb`; no key to administer, CloudTrail-visible)
   */
  readonly encryption?: dynamodb.TableEncryption;
}

/** The application table: `PK`/`SK`, GSI1 and GSI2 (projection ALL), on-demand, PITR, TTL on `ttl`. */
export class Data extends Construct {
  readonly table: dynamodb.Table;

  constructor(scope: Construct, id: string, props: DataProps = {}) {
    super(scope, id);
    this.table = new dynamodb.Table(this, 'Table', {
      partitionKey: { name: 'PK', type: dynamodb.AttributeType.STRING },
      sortKey: { name: 'SK', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
      deletionProtection: props.deletionProtection ?? true,
      encryption: props.encryption ?? dynamodb.TableEncryption.AWS_MANAGED,
      // Expired rate-limit counters and sessions are deleted by TTL; reads still filter on expiry
      // because TTL deletes late (and the local emulator never does).
      timeToLiveAttribute: 'ttl',
      removalPolicy: props.removalPolicy ?? RemovalPolicy.RETAIN,
    });
    for (const name of GSI_NAMES) {
      this.table.addGlobalSecondaryIndex({
        indexName: name,
        partitionKey: { name: `${name}PK`, type: dynamodb.AttributeType.STRING },
        sortKey: { name: `${name}SK`, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
  }

  /** The table ARN and each index ARN, spelled out (no `index/*` wildcard). */
  private readResources(): string[] {
    return [this.table.tableArn, ...GSI_NAMES.map((n) => `${this.table.tableArn}/index/${n}`)];
  }

  /** Staff function: read (no Scan) and write any item. Writes go to the table only; indexes are read-only by nature. */
  grantReadWrite(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({ grantee, actions: READ_ACTIONS, resourceArns: this.readResources() });
    iam.Grant.addToPrincipal({ grantee, actions: WRITE_ACTIONS, resourceArns: [this.table.tableArn] });
  }

  /** Client-facing functions: GetItem, BatchGetItem and Query on the table and its two indexes. No Scan, no writes. */
  grantClientRead(grantee: iam.IGrantable): void {
    iam.Grant.addToPrincipal({ grantee, actions: READ_ACTIONS, resourceArns: this.readResources() });
  }

  /**
   * PutItem/UpdateItem only on items whose partition key matches one of `prefixes`
   * (e.g. `['ACT#*', 'RATE#*']`), enforced by IAM with `dynamodb:LeadingKeys`.
   *
   * `ForAllValues:StringLike` alone is also true when the key is absent (empty set), so a
   * `Null` condition requires it to be present. No DeleteItem, no BatchWriteItem.
   */
  grantLeadingKeysWrite(grantee: iam.IGrantable, prefixes: readonly string[]): void {
    if (prefixes.length === 0) throw new Error('grantLeadingKeysWrite needs at least one key prefix');
    for (const p of prefixes) {
      if (!/^[A-Z]+#\*$/.test(p)) throw new Error(`leading-key prefix must look like "ACT#*", got "${p}"`);
    }
    grantee.grantPrincipal.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['dynamodb:PutItem', 'dynamodb:UpdateItem'],
        resources: [this.table.tableArn],
        conditions: {
          'ForAllValues:StringLike': { 'dynamodb:LeadingKeys': [...prefixes] },
          Null: { 'dynamodb:LeadingKeys': 'false' },
        },
      }),
    );
  }
}
