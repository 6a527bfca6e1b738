/**
 * Operations: what tells the operator something is wrong, and where to look.
 * - An SNS topic for alarms; the operator's email is subscribed when the
 *   deployment names one (context `alarmEmail`; SNS mails a confirmation link).
 * - Alarms: the HTTP API's 5xx rate; each function's Errors and Throttles;
 *   DynamoDB throttling; SES bounce and complaint rates (from the configuration
 *   set's CloudWatch event destination, added here); every SQS queue in the
 *   stack (dead-letter queues) not empty.
 * - Application metrics from the functions' JSON log lines (metric filters):
 *   requests, server errors, denials, downloads, brute-force refusals.
 * - One dashboard with all of it.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import type { Api } from './api.ts';
import type { Data } from './data.ts';
import type { Mail } from './mail.ts';
import { acknowledgeHipaa } from './nag.ts';
import { physicalName } from './names.ts';

/** Namespace of the metrics the functions' log lines produce. */
export const METRIC_NAMESPACE = 'Carpeta';

export interface MonitoringProps {
  readonly api: Api;
  readonly data: Data;
  readonly mail: Mail;
  /** The functions to watch (name -> function): the three API functions and the jobs function. */
  readonly functions: Record<string, lambda.Function>;
  /**
   * Subscribed to the alarm topic (SNS sends a confirmation mail first).
   * @default - no subscription; subscribe to the `AlarmTopicArn` output yourself
   */
  readonly alarmEmail?: string;
  /**
   * Percentage of API requests answered 5xx, over 5 minutes, that raises the alarm.
   * @default 1
   */
  readonly serverErrorPercent?: number;
  /**
   * SES bounce rate (%) that raises the alarm (SES reviews an account at 5 %, pauses it at 10 %).
   * @default 4
   */
  readonly bouncePercent?: number;
  /**
   * SES complaint rate (%) that raises the alarm (SES reviews at 0.1 %, pauses at 0.5 %).
   * @default 0.08
   */
  readonly complaintPercent?: number;
}

export class Monitoring extends Construct {
  readonly topic: sns.Topic;
  readonly alarms: cloudwatch.Alarm[] = [];
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: MonitoringProps) {
    super(scope, id);
    const { api, data, mail } = props;
    const fiveMinutes = Duration.minutes(5);

    this.topic = new sns.Topic(this, 'AlarmTopic', { displayName: 'Carpeta alarms', enforceSSL: true });
    // A topic policy replaces SNS's default one (which let the account's principals publish): without this
    // statement the TLS-only Deny would be all there is, and every alarm action would fail with
    // "not authorized to perform SNS:Publish". Only CloudWatch, and only for alarms of this account.
    this.topic.addToResourcePolicy(
      new iam.PolicyStatement({
        sid: 'CloudWatchAlarmsPublish',
        principals: [new iam.ServicePrincipal('cloudwatch.amazonaws.com')],
        actions: ['sns:Publish'],
        resources: [this.topic.topicArn],
        conditions: { StringEquals: { 'aws:SourceAccount': Stack.of(this).account } },
      }),
    );
    // AwsSolutions v3 has no topic-encryption rule (SNS2 was removed); HIPAA's SNSEncryptedKMS is acknowledged here.
    acknowledgeHipaa(
      this.topic,
      'SNSEncryptedKMS',
      'The alarm topic carries only alarm names, states and metric values, never health or customer data. ' +
        'CloudWatch alarms cannot publish to a topic encrypted with the AWS-managed SNS key, so KMS here means a ' +
        'customer-managed key (monthly cost, key policy for CloudWatch) protecting no sensitive data.',
    );
    if (props.alarmEmail) this.topic.addSubscription(new subscriptions.EmailSubscription(props.alarmEmail));
    const alarmAction = new actions.SnsAction(this.topic);
    const alarm = (alarmId: string, p: cloudwatch.CreateAlarmOptions & { metric: cloudwatch.IMetric }) => {
      const a = new cloudwatch.Alarm(this, alarmId, {
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        ...p,
      });
      a.addAlarmAction(alarmAction);
      a.addOkAction(alarmAction);
      this.alarms.push(a);
      return a;
    };

    // ---- the HTTP API: 5xx rate ----
    const requests = api.httpApi.metricCount({ period: fiveMinutes, statistic: 'Sum' });
    const serverErrors = api.httpApi.metricServerError({ period: fiveMinutes, statistic: 'Sum' });
    const clientErrors = api.httpApi.metricClientError({ period: fiveMinutes, statistic: 'Sum' });
    alarm('Api5xxRate', {
      alarmDescription:
        'More than the allowed share of API requests were answered 5xx (a dependency is down or a bug). Check ' +
        "the dashboard and the functions' logs.",
      // At least 10 requests in the period, so one failure at night is not a page.
      metric: new cloudwatch.MathExpression({
        expression: 'IF(requests >= 10, 100 * errors / requests, 0)',
        usingMetrics: { requests, errors: serverErrors },
        period: fiveMinutes,
        label: 'API 5xx %',
      }),
      threshold: props.serverErrorPercent ?? 1,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 3,
      datapointsToAlarm: 2,
    });

    // ---- each function: Errors and Throttles ----
    for (const [name, fn] of Object.entries(props.functions)) {
      alarm(`${name}Errors`, {
        alarmDescription:
          `The ${name} function failed ` + '(an error the router did not turn into an answer, a timeout or a crash).',
        metric: fn.metricErrors({ period: fiveMinutes, statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
      alarm(`${name}Throttles`, {
        alarmDescription: `The ${name} function was throttled (account concurrency reached): requests were refused.`,
        metric: fn.metricThrottles({ period: fiveMinutes, statistic: 'Sum' }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
    }

    // ---- DynamoDB: throttled reads and writes (table and indexes) ----
    const table = data.table;
    const readThrottles = table.metric('ReadThrottleEvents', { period: fiveMinutes, statistic: 'Sum' });
    const writeThrottles = table.metric('WriteThrottleEvents', { period: fiveMinutes, statistic: 'Sum' });
    const ddbThrottles = new cloudwatch.MathExpression({
      expression: 'reads + writes',
      usingMetrics: { reads: readThrottles, writes: writeThrottles },
      period: fiveMinutes,
      label: 'DynamoDB throttle events',
    });
    alarm('DynamoDbThrottles', {
      alarmDescription: 'DynamoDB throttled reads or writes of the table: requests slowed down or failed with 503.',
      metric: ddbThrottles,
      threshold: 5,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
      evaluationPeriods: 1,
    });

    // ---- SES: bounce and complaint rates, from the configuration set's CloudWatch event destination ----
    const configSet = mail.configurationSet.configurationSetName;
    mail.configurationSet.addEventDestination('CloudWatch', {
      destination: ses.EventDestination.cloudWatchDimensions([
        { name: 'ses:configuration-set', source: ses.CloudWatchDimensionSource.MESSAGE_TAG, defaultValue: 'none' },
      ]),
      events: [
        ses.EmailSendingEvent.SEND,
        ses.EmailSendingEvent.DELIVERY,
        ses.EmailSendingEvent.BOUNCE,
        ses.EmailSendingEvent.COMPLAINT,
        ses.EmailSendingEvent.REJECT,
      ],
    });
    const sesMetric = (metricName: string, period = Duration.hours(1)) =>
      new cloudwatch.Metric({
        namespace: 'AWS/SES',
        metricName,
        dimensionsMap: { 'ses:configuration-set': configSet },
        period,
        statistic: 'Sum',
      });
    const rate = (what: 'Bounce' | 'Complaint') =>
      new cloudwatch.MathExpression({
        // Over the last 6 hours, once at least 20 messages went out.
        expression: `IF(sent >= 20, 100 * ${what.toLowerCase()} / sent, 0)`,
        usingMetrics: {
          sent: sesMetric('Send', Duration.hours(6)),
          [what.toLowerCase()]: sesMetric(what, Duration.hours(6)),
        },
        period: Duration.hours(6),
        label: `SES ${what.toLowerCase()} %`,
      });
    alarm('SesBounceRate', {
      alarmDescription:
        'Too many of the mails the app sends bounce (wrong client addresses?). SES reviews the account at 5 % ' +
        'and pauses sending at 10 %.',
      metric: rate('Bounce'),
      threshold: props.bouncePercent ?? 4,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });
    alarm('SesComplaintRate', {
      alarmDescription:
        "Recipients mark the app's mails as spam. SES reviews the account at 0.1 % and pauses sending at 0.5 %.",
      metric: rate('Complaint'),
      threshold: props.complaintPercent ?? 0.08,
      comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_THRESHOLD,
      evaluationPeriods: 1,
    });

    // ---- any queue in the stack (dead-letter queues): not empty ----
    const queues = Stack.of(this)
      .node.findAll()
      .filter((c): c is sqs.Queue => c instanceof sqs.Queue);
    for (const q of queues) {
      alarm(`QueueNotEmpty${q.node.addr.slice(0, 8)}`, {
        alarmDescription:
          `Messages are waiting in ${q.node.path} ` + '(a dead-letter queue: something failed after its retries).',
        metric: q.metricApproximateNumberOfMessagesVisible({ period: fiveMinutes, statistic: 'Maximum' }),
        threshold: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        evaluationPeriods: 1,
      });
    }

    // ---- application metrics from the functions' JSON log lines ----
    const appMetric = (metricName: string, label: string) =>
      new cloudwatch.Metric({ namespace: METRIC_NAMESPACE, metricName, period: fiveMinutes, statistic: 'Sum', label });
    const filters: Array<[string, string]> = [
      ['Requests', '{ $.msg = "request" || $.msg = "request failed" }'],
      ['ServerErrors', '{ $.msg = "request failed" }'],
      ['Denials', '{ $.msg = "request" && ($.status = 401 || $.status = 403 || $.status = 404) }'],
      ['Downloads', '{ $.msg = "request" && $.status = 200 && $.route = "*download*" }'],
      ['RateLimited', '{ $.msg = "rate limited" }'],
    ];
    for (const [name, fn] of Object.entries(props.functions)) {
      for (const [metricName, pattern] of filters) {
        new logs.MetricFilter(this, `${name}${metricName}`, {
          logGroup: fn.logGroup,
          filterPattern: logs.FilterPattern.literal(pattern),
          metricNamespace: METRIC_NAMESPACE,
          metricName,
          metricValue: '1',
          defaultValue: 0,
        });
      }
    }

    // ---- the dashboard ----
    const fnMetric = (m: 'metricInvocations' | 'metricErrors' | 'metricThrottles') =>
      Object.entries(props.functions).map(([name, fn]) =>
        fn[m]({ period: fiveMinutes, statistic: 'Sum', label: name }),
      );
    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      // Dashboard names are unique per account, across regions: the name carries region and stack id.
      dashboardName: physicalName(this, 'operations', { maxLength: 255 }),
      defaultInterval: Duration.hours(24),
    });
    this.dashboard.addWidgets(
      new cloudwatch.TextWidget({
        markdown:
          '# Carpeta\nAPI, functions, data and mail. Alarms go to the SNS topic of this stack (`AlarmTopicArn` ' +
          'output).',
        width: 24,
        height: 2,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.AlarmStatusWidget({ title: 'Alarms', alarms: this.alarms, width: 24, height: 4 }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'API requests and errors',
        left: [
          requests.with({ label: 'requests' }),
          clientErrors.with({ label: '4xx' }),
          serverErrors.with({ label: '5xx' }),
        ],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'API latency (ms)',
        left: [
          api.httpApi.metricLatency({ period: fiveMinutes, statistic: 'p50', label: 'p50' }),
          api.httpApi.metricLatency({ period: fiveMinutes, statistic: 'p99', label: 'p99' }),
        ],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'Requests, denials, downloads, refusals (from logs)',
        left: [
          appMetric('Requests', 'requests'),
          appMetric('Denials', 'denials (401/403/404)'),
          appMetric('Downloads', 'download URLs'),
          appMetric('RateLimited', 'brute-force 429'),
          appMetric('ServerErrors', 'server errors'),
        ],
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({ title: 'Function invocations', left: fnMetric('metricInvocations'), width: 8 }),
      new cloudwatch.GraphWidget({ title: 'Function errors', left: fnMetric('metricErrors'), width: 8 }),
      new cloudwatch.GraphWidget({ title: 'Function throttles', left: fnMetric('metricThrottles'), width: 8 }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Function duration p99 (ms)',
        left: Object.entries(props.functions).map(([name, fn]) =>
          fn.metricDuration({ period: fiveMinutes, statistic: 'p99', label: name }),
        ),
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'DynamoDB capacity used',
        left: [
          table.metricConsumedReadCapacityUnits({ period: fiveMinutes, label: 'read units' }),
          table.metricConsumedWriteCapacityUnits({ period: fiveMinutes, label: 'write units' }),
        ],
        width: 8,
      }),
      new cloudwatch.GraphWidget({
        title: 'DynamoDB throttles',
        left: [readThrottles.with({ label: 'read' }), writeThrottles.with({ label: 'write' })],
        width: 8,
      }),
    );
    this.dashboard.addWidgets(
      new cloudwatch.GraphWidget({
        title: 'Mail (SES)',
        left: ['Send', 'Delivery', 'Bounce', 'Complaint', 'Reject'].map((m) =>
          sesMetric(m).with({ label: m.toLowerCase() }),
        ),
        width: 12,
      }),
      new cloudwatch.GraphWidget({
        title: 'Mail bounce and complaint rates (%)',
        left: [rate('Bounce'), rate('Complaint')],
        width: 12,
      }),
    );
  }
}
