/**
 * CDK entry (cdk.json: `npx tsx infra/app.ts`). Context values (`-c key=value`), all in docs/DEPLOY.md:
 *   senderEmail  From address of app mail (required)
 *   companyName  shown in mails and pages (default "Carpeta")
 *   domain       custom domain of the site (needs certificateArn, an ACM certificate in us-east-1)
 *   region       where to deploy; else the AWS CLI's region; else eu-west-1 (infra/context.ts)
 *   mailDomain, sesSandbox, threatProtection, alarmEmail, stackName
 * The chosen stack and region are printed on every synth.
 *
 * cdk-nag AwsSolutions and HIPAA Security run on every synth: any unacknowledged finding of
 * either pack fails it (infra/nag.ts `addNagPacks`, docs/SECURITY.md "Compliance checks").
 */
import { ContextError } from './context.ts';
import { buildApp } from './stack.ts';

try {
  buildApp({ nag: true, log: (line) => console.error(line) });
} catch (err) {
  // A missing or wrong context value: the message says which and how to fix it; a stack trace would bury it.
  if (!(err instanceof ContextError)) throw err;
  console.error(`\n${err.message}\n`);
  process.exit(1);
}
