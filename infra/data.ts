/**
 * The one DynamoDB table (single-table design, see docs/ARCHITECTURE.md "Data")
 * and the narrow grants each Lambda gets on it.
 *
 * Key names and the GSI names are a contract with functions/store/keys.ts
 * (`INDEX.gsi1 = 'GSI1'`, `INDEX.gsi2 = 'GSI2'`) and with the local stack,
 * which creates its emulator table from this resource in the synthesized template.
 */
import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import * as backup from 'aws-cdk-lib/aws-backup';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { Construct } from 'constructs';
import { acknowledge } from './nag.ts';
import { physicalName } from './names.ts';

/** GSI names, as functions/store/keys.ts spells them. */
export const GSI_NAMES = ['GSI1', 'GSI2'] as const;
/** Indexes over GSI1's partition key with their own sort key (the listing orders). */
export const SORT_GSI_NAMES = ['GSI3', 'GSI4'] as const;

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
  /**
   * Put the table in an AWS Backup plan (its own vault, retained with the stack's data):
   * a daily backup kept 35 days and a monthly one (the 1st) kept a year. PITR (35 days,
   * to the second) stays on either way; the plan adds copies that outlive an accidental
   * table deletion and a year of monthly restore points.
   * @default true
   */
  readonly backup?: boolean;
}

/** The application table: `PK`/`SK`, GSI1 and GSI2 (projection ALL), on-demand, PITR, TTL on `ttl`, AWS Backup plan. */
export class Data extends Construct {
  readonly table: dynamodb.Table;
  /** The AWS Backup plan of the table (undefined with `backup: false`). */
  readonly backupPlan?: backup.BackupPlan;

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
    // A folder's children by modification time and by size: GSI1's partition (`CHILD#<parentId>`, absent
    // while trashed) with another sort key, so the server sorts the whole folder (functions/store/keys.ts).
    for (const name of SORT_GSI_NAMES) {
      this.table.addGlobalSecondaryIndex({
        indexName: name,
        partitionKey: { name: 'GSI1PK', type: dynamodb.AttributeType.STRING },
        sortKey: { name: `${name}SK`, type: dynamodb.AttributeType.STRING },
        projectionType: dynamodb.ProjectionType.ALL,
      });
    }
    if (props.backup ?? true) this.backupPlan = this.addBackupPlan();
  }

  /** Daily (kept 35 days) and monthly (kept 1 year) AWS Backup of the table, into a vault of its own. */
  private addBackupPlan(): backup.BackupPlan {
    // Encrypted with the AWS-managed `aws/backup` key; retained (default): backups outlive the stack.
    // Its name carries the stack id (infra/names.ts): the stack deployed after a destroy gets a new vault
    // instead of failing on the retained one's name.
    const vault = new backup.BackupVault(this, 'BackupVault', {
      backupVaultName: physicalName(this, 'backups', { maxLength: 50 }),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    const plan = new backup.BackupPlan(this, 'BackupPlan', {
      backupPlanName: physicalName(this, 'backup-plan', { maxLength: 50 }),
      backupVault: vault,
      backupPlanRules: [
        new backup.BackupPlanRule({
          ruleName: 'Daily35Days',
          scheduleExpression: events.Schedule.cron({ hour: '5', minute: '0' }),
          deleteAfter: Duration.days(35),
        }),
        // No cold-storage tier: DynamoDB supports it only with AWS Backup's advanced DynamoDB features.
        new backup.BackupPlanRule({
          ruleName: 'Monthly1Year',
          scheduleExpression: events.Schedule.cron({ day: '1', hour: '5', minute: '0' }),
          deleteAfter: Duration.days(365),
        }),
      ],
    });
    const selection = plan.addSelection('Table', { resources: [backup.BackupResource.fromDynamoDbTable(this.table)] });
    acknowledge(
      selection,
      'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup]',
      'The role AWS Backup assumes for this selection uses the AWS managed backup service policy, the documented ' +
        'way to let AWS Backup create and tag backups of the selected table; AWS keeps it current as the service ' +
        'changes.',
    );
    return plan;
  }

  /** The table ARN and each index ARN, spelled out (no `index/*` wildcard). */
  private readResources(): string[] {
    return [this.table.tableArn, ...[...GSI_NAMES, ...SORT_GSI_NAMES].map((n) => `${this.table.tableArn}/index/${n}`)];
  }

  /**
   * Staff function: read (no Scan) and write any item. Writes go to the table only; indexes are read-only by nature.
   */
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
