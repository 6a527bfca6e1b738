/**
 * cdk-nag v3 helpers. Findings are acknowledged with the CDK Validations API
 * (`Validations.of(construct).acknowledge`); every acknowledgement names one exact
 * finding id and says why. Nothing here silences a whole rule for a whole stack.
 */
import { CfnElement, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';

/** Acknowledge one AwsSolutions finding on `scope` (and its children). `finding` is e.g. `S1` or `IAM5[Action::s3:GetObject*]`. */
export function acknowledge(scope: IConstruct, finding: string, reason: string): void {
  Validations.of(scope).acknowledge({ id: `AwsSolutions::AwsSolutions-${finding}`, reason });
}

/**
 * How cdk-nag spells an ARN attribute of `resource` inside an IAM5 finding:
 * `<LogicalId.Arn>` (see cdk-nag's flattenCfnReference).
 */
export function nagRef(resource: IConstruct, attribute = 'Arn'): string {
  const cfn = (resource.node.defaultChild ?? resource) as CfnElement;
  return `<${Stack.of(resource).getLogicalId(cfn)}.${attribute}>`;
}
