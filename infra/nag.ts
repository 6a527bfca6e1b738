/**
 * cdk-nag v3 helpers. Two packs run on every synth (`addNagPacks`): AwsSolutions and,
 * because clinics keep health records in Carpeta, HIPAA Security. Findings are acknowledged
 * with the CDK Validations API (`Validations.of(construct).acknowledge`); every
 * acknowledgement names one exact finding id on the narrowest construct and says why.
 * Nothing here silences a whole rule for a whole stack. docs/SECURITY.md "Compliance checks"
 * lists the HIPAA acknowledgements.
 */
import { CfnElement, Stack, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, HIPAASecurityChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';

/** Register the cdk-nag packs on `app`: `app.synth()` then throws on any unacknowledged finding of either. */
export function addNagPacks(app: IConstruct): void {
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new HIPAASecurityChecks(app));
}

/** Acknowledge one AwsSolutions finding on `scope` (and its children). `finding` is e.g. `S1` or `IAM5[Action::s3:GetObject*]`. */
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
