/**
 * Upgrading a deployment made before sorted listings and search: gives every folder and file written
 * before then its place in the sorted orders and in the name index (functions/store/backfill.ts).
 * Run once after the `cdk deploy` that brings them; safe to run again, and to resume with --from.
 *
 *   npx tsx scripts/backfill-index.ts --stack Carpeta [--region eu-west-1] [--from '<json key>']
 *
 * Uses your AWS credentials; reads the table from the stack's outputs.
 */
import { parseArgs } from 'node:util';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { chooseRegion } from '../infra/context.ts';

const { values } = parseArgs({
  options: {
    stack: { type: 'string', default: 'Carpeta' },
    region: { type: 'string' },
    from: { type: 'string' },
  },
});
const region = chooseRegion(values.region, process.env).region;
const cfn = new CloudFormationClient({ region });
const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: values.stack }));
const out = Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
if (!out.TableName) {
  console.error(`stack ${values.stack} in ${region} has no TableName output`);
  process.exit(2);
}
Object.assign(process.env, { AWS_REGION: region, TABLE_NAME: out.TableName });
const { backfillSortAndSearch } = await import('../functions/store/backfill.ts');
const done = await backfillSortAndSearch({
  ...(values.from ? { from: JSON.parse(values.from) } : {}),
  onPage: (p) =>
    console.log(
      `scanned ${p.scanned}, nodes ${p.nodes}${p.next ? `; resume with --from '${JSON.stringify(p.next)}'` : ''}`,
    ),
});
console.log(`done: ${done.nodes} folders and files have their sort keys and name-index entries`);
