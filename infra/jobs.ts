/**
 * The schedules that drive the jobs function (EventBridge Scheduler): the
 * notification/receipt job every minute (the batching window is enforced by
 * the data, so a minute's delay is the only added latency), retention daily.
 */
import { Duration } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as targets from 'aws-cdk-lib/aws-scheduler-targets';
import { Construct, type IConstruct } from 'constructs';
import { acknowledge, acknowledgeHipaa, nagRef } from './nag.ts';

export interface JobsProps {
  /** The jobs function (Api.jobs). */
  readonly fn: lambda.IFunction;
  /**
   * How often notifications and uploader receipts are processed.
   * @default Duration.minutes(1)
   */
  readonly notificationsEvery?: Duration;
}

export class Jobs extends Construct {
  constructor(scope: Construct, id: string, props: JobsProps) {
    super(scope, id);
    // One role for both schedules, allowed to invoke the jobs function and nothing else.
    const role = new iam.Role(this, 'SchedulerRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
      description: 'Carpeta: lets EventBridge Scheduler invoke the jobs function',
    });
    acknowledge(
      role,
      `IAM5[Resource::${nagRef(props.fn as unknown as IConstruct)}:*]`,
      'lambda:InvokeFunction on the jobs function and its versions/aliases (the grant aws-cdk-lib writes for a ' +
        'scheduler target); it is one function.',
    );
    acknowledgeHipaa(
      role,
      'IAMNoInlinePolicy',
      "The scheduler role's only statement (lambda:InvokeFunction on the jobs function) is inline on purpose: a " +
        'customer-managed policy is a separate object that can be attached to other principals, while the inline ' +
        'policy lives and dies with this one role.',
    );
    new scheduler.Schedule(this, 'Notifications', {
      description: 'Carpeta: batched new-document mails and uploader receipts',
      schedule: scheduler.ScheduleExpression.rate(props.notificationsEvery ?? Duration.minutes(1)),
      target: new targets.LambdaInvoke(props.fn, {
        role,
        input: scheduler.ScheduleTargetInput.fromObject({ job: 'notifications' }),
        retryAttempts: 2,
      }),
    });
    new scheduler.Schedule(this, 'Retention', {
      description: 'Carpeta daily: link expiry warnings, reminders, activity older than the retention setting',
      schedule: scheduler.ScheduleExpression.cron({ minute: '17', hour: '3' }),
      target: new targets.LambdaInvoke(props.fn, {
        role,
        input: scheduler.ScheduleTargetInput.fromObject({ job: 'retention' }),
        retryAttempts: 2,
      }),
    });
  }
}
