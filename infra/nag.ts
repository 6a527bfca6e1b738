/**
 * cdk-nag v3 helpers. Two packs run on every synth (`addNagPacks`): AwsSolutions and,
 * because clinics keep health records in Carpeta, HIPAA Security. Findings are acknowledged
 * with the CDK Validations API (`Validations.of(construct).acknowledge`); every
 * acknowledgement names one exact finding id on the narrowest construct and says why.
 * Nothing here silences a whole rule for a whole stack. docs/SECURITY.md "Compliance checks"
 * lists the HIPAA acknowledgements.
 */
import { type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** Register the cdk-nag packs on `app`: `app.synth()` then throws on any unacknowledged finding of either. */
export function addNagPacks(app: IConstruct): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app));
}

/**
 * Acknowledge one AwsSolutions finding on `scope` (and its children). `finding` is e.g. `S1` or
 * `IAM5[Action::s3:GetObject*]`.
 */
export function acknowledge(scope: IConstruct, finding: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions::AwsSolutions-${finding}`, reason });
}

/** Acknowledge one HIPAA Security finding on `scope` (and its children). `rule` is e.g. `LambdaDLQ`. */
export function acknowledgeHipaa(scope: IConstruct, rule: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `HIPAA.Security::HIPAA.Security-${rule}`, reason });
}

/**
 * How cdk-nag spells an ARN attribute of `resource` inside an IAM5 finding:
 * `<LogicalId.Arn>` (see cdk-nag's flattenCfnReference).
 */
export function nagRef(resource: IConstruct, attribute = 'Arn'): string {
  const cfn = (resource.node.defaultChild ?? resource) as CfnElement;
  return `<${Stack.of(resource).getLogicalId(cfn)}.${attribute}>`;
}

/**
 * A CDK-provided deployment-time handler (the singleton Lambda behind a custom resource such as
 * BucketDeployment or AwsCustomResource), whose role and runtime are not ours to shape. The findings
 * every such handler raises are acknowledged on that handler only, with reasons that hold for each:
 * `why` names the handler and what it does, `reaches` the service endpoints it calls.
 */
export function acknowledgeDeploymentHandler(handler: IConstruct, why: string, reaches: string): void {
  acknowledge(
    handler,
    'IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
    `${why}the handler role CDK creates uses the AWS managed basic execution policy to write its own ` +
      'CloudWatch logs; the policy grants nothing else.',
  );
  const hipaa: Record<string, string> = {
    LambdaDLQ:
      'invoked by CloudFormation for its custom resource, it reports success or failure back to ' +
      'CloudFormation, which rolls the deployment back on failure; there is no event to replay later.',
    LambdaConcurrency:
      'runs only during deployments, once per change of its custom resource; a reservation could make the ' +
      'deploy itself fail on new accounts with a small concurrency limit.',
    LambdaInsideVPC:
      `it talks only to ${reaches} public endpoints over TLS with SigV4; no private resource exists for ` +
      'a VPC to protect.',
  };
  for (const [rule, reason] of Object.entries(hipaa)) acknowledgeHipaa(handler, rule, why + reason);
}
