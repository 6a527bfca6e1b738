/**
 * Creates (or repairs) an admin in a deployed stack: the Cognito user in groups
 * admin + staff with a permanent password, and the profile item the app reads.
 *
 *   npx tsx scripts/create-admin.ts --stack Carpeta --email maria@example.com --name "María" --password '...'
 *
 * Uses your AWS credentials; reads the table and pool from the stack's outputs.
 */
import { parseArgs } from 'node:util';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import { chooseRegion } from '../infra/context.ts';

const { values } = parseArgs({
  options: {
    stack: { type: 'string', default: 'Carpeta' },
    email: { type: 'string' },
    name: { type: 'string', default: 'Admin' },
    password: { type: 'string' },
    region: { type: 'string' },
  },
});
if (!values.email || !values.password) {
  console.error(
    'usage: npx tsx scripts/create-admin.ts --email <email> --password <password> [--name <name>] [--stack ' +
      'Carpeta] [--region <region>]',
  );
  process.exit(2);
}
// The region the deploy chose the same way (infra/context.ts): --region, else the environment's, else eu-west-1.
const region = chooseRegion(values.region, process.env).region;
const cfn = new CloudFormationClient({ region });
const { Stacks } = await cfn.send(new DescribeStacksCommand({ StackName: values.stack }));
const out = Object.fromEntries((Stacks?.[0]?.Outputs ?? []).map((o) => [o.OutputKey, o.OutputValue]));
Object.assign(process.env, {
  AWS_REGION: region,
  TABLE_NAME: out.TableName,
  USER_POOL_ID: out.UserPoolId,
  BUCKET_NAME: out.BucketName,
});
const { ensureStaffUser } = await import('../local/seed.ts');
const id = await ensureStaffUser(values.email, values.password, { admin: true, name: values.name! });
console.log(`Admin ${values.email} is ready (id ${id}). Sign in at ${out.SiteUrl ?? 'the site'}.`);
