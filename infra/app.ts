/**
 * CDK entry (cdk.json: `npx tsx infra/app.ts`). Context values (`-c key=value`):
 *   companyName  shown in mails and pages (default "Carpeta")
 *   senderEmail  From address of app mail (required; cdk.json has a demo default)
 *   domain       optional custom domain of the site; with certificateArn, served by CloudFront
 *   mailDomain, sesSandbox, threatProtection, stackName: see docs/DEPLOY.md
 * Region: CDK_DEFAULT_REGION, else us-east-1.
 *
 * cdk-nag AwsSolutions runs on every synth: any unacknowledged finding fails it.
 */
import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { buildApp } from './stack.ts';

const { app } = buildApp();
Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
