/**
 * CDK entry (cdk.json: `npx tsx infra/app.ts`). Context values (`-c key=value`):
 *   companyName  shown in mails and pages (default "Carpeta")
 *   senderEmail  From address of app mail (required; cdk.json has a demo default)
 *   domain       optional custom domain of the site; with certificateArn, served by CloudFront
 *   mailDomain, sesSandbox, threatProtection, stackName: see docs/DEPLOY.md
 * Region: CDK_DEFAULT_REGION, else us-east-1.
 *
 * cdk-nag AwsSolutions and HIPAA Security run on every synth: any unacknowledged finding of
 * either pack fails it (infra/nag.ts `addNagPacks`, docs/SECURITY.md "Compliance checks").
 */
import { buildApp } from './stack.ts';

buildApp({ nag: true });
