/**
 * Operations and the security settings issue 8 relies on, asserted on the
 * synthesized template (bundle: false, fast): the alarm topic and the operator's
 * subscription, the alarms (API 5xx rate, each function's errors and throttles,
 * DynamoDB throttling, SES bounce and complaint rates through the configuration
 * set's CloudWatch event destination), the log metric filters, the dashboard;
 * the API stage throttle; the table's TTL (rate-limit counters); Cognito TOTP MFA.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, test } from '@jest/globals';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import type { IConstruct } from 'constructs';
import { METRIC_NAMESPACE } from '../../infra/monitoring.ts';
import { buildApp } from '../../infra/stack.ts';

type Json = Record<string, any>;

const outdir = mkdtempSync(join(tmpdir(), 'carpeta-monitoring-test-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));
const synth = (context: Record<string, unknown>) => {
  const { stack } = buildApp({
    bundle: false,
    validation: false,
    outdir,
    context: { companyName: 'Test Co', senderEmail: 'no-reply@example.com', ...context },
  });
  return {
    stack,
    resources: Template.fromStack(stack).toJSON().Resources as Record<string, Json>,
    outputs: Template.fromStack(stack).toJSON().Outputs as Record<string, Json>,
  };
};
const { stack, resources, outputs } = synth({ alarmEmail: 'ops@example.com' });
const ofType = (type: string, r = resources) => Object.entries(r).filter(([, x]) => x.Type === type);
const logicalId = (c: IConstruct) => Stack.of(c).getLogicalId((c.node.defaultChild ?? c) as CfnElement);
const alarms = ofType('AWS::CloudWatch::Alarm').map(([, a]) => a.Properties);
const topicId = logicalId(stack.monitoring.topic);
const metricsOf = (a: Json): Json[] => (a.Metrics ?? []).map((m: Json) => m.MetricStat?.Metric).filter(Boolean);
const expressionOf = (a: Json): string => (a.Metrics ?? []).find((m: Json) => m.Expression)?.Expression ?? '';

test('alarm topic: CloudWatch may publish (this account only), TLS-only, the operator subscribed, exported', () => {
  const topic = resources[topicId];
  assert.equal(topic.Type, 'AWS::SNS::Topic');
  const policy = ofType('AWS::SNS::TopicPolicy').find(([, p]) => JSON.stringify(p.Properties.Topics).includes(topicId));
  assert.ok(policy && JSON.stringify(policy[1]).includes('aws:SecureTransport'), 'enforce SSL');
  // The policy replaces SNS's default one: CloudWatch must be allowed to publish, or no alarm ever notifies.
  const statements: Json[] = policy[1].Properties.PolicyDocument.Statement;
  const publish = statements.filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes('sns:Publish'));
  assert.equal(publish.length, 1, 'one Allow for sns:Publish');
  assert.deepEqual(publish[0].Principal, { Service: 'cloudwatch.amazonaws.com' });
  assert.deepEqual(publish[0].Resource, { Ref: topicId });
  assert.deepEqual(publish[0].Condition, { StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } } });
  // ...and the TLS-only Deny still covers it (a Deny wins over the Allow for plain-HTTP publishes).
  const deny = statements.find((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false');
  assert.ok(deny, 'TLS-only Deny');
  const subs = ofType('AWS::SNS::Subscription').map(([, s]) => s.Properties);
  assert.ok(subs.some((s) => s.Protocol === 'email' && s.Endpoint === 'ops@example.com' && s.TopicArn.Ref === topicId));
  assert.ok(outputs.AlarmTopicArn);
  // Without alarmEmail: the topic, no subscription.
  const bare = synth({});
  assert.equal(ofType('AWS::SNS::Subscription', bare.resources).length, 0);
  assert.equal(ofType('AWS::SNS::Topic', bare.resources).length, 1);
  assert.throws(() => synth({ alarmEmail: 'not-an-address' }), /alarmEmail/);
});

test('every alarm notifies the topic (alarm and recovery)', () => {
  assert.ok(alarms.length >= 12, `${alarms.length} alarms`);
  for (const a of alarms) {
    assert.ok(
      a.AlarmActions.some((x: Json) => x.Ref === topicId),
      a.AlarmDescription,
    );
    assert.ok(a.OKActions.some((x: Json) => x.Ref === topicId));
    assert.ok(a.AlarmDescription?.length > 20, 'each alarm says what it means');
  }
});

test('the HTTP API 5xx rate is alarmed', () => {
  const apiId = logicalId(stack.api.httpApi);
  const a = alarms.find((x) => /5xx|errors \/ requests/.test(expressionOf(x)));
  assert.ok(a, 'a 5xx rate alarm');
  const names = metricsOf(a)
    .map((m) => m.MetricName)
    .sort();
  assert.deepEqual(names, ['5xx', 'Count']);
  for (const m of metricsOf(a)) {
    assert.equal(m.Namespace, 'AWS/ApiGateway');
    assert.ok(m.Dimensions.some((d: Json) => d.Name === 'ApiId' && d.Value.Ref === apiId));
  }
  assert.equal(a.Threshold, 1);
});

test("each function's Errors and Throttles are alarmed (staff, portal, link, jobs)", () => {
  const fns = { ...stack.api.functions, jobs: stack.api.jobs };
  assert.deepEqual(Object.keys(fns).sort(), ['jobs', 'link', 'portal', 'staff']);
  for (const [name, fn] of Object.entries(fns)) {
    const id = logicalId(fn);
    for (const metric of ['Errors', 'Throttles']) {
      const a = alarms.find(
        (x) =>
          x.MetricName === metric &&
          x.Namespace === 'AWS/Lambda' &&
          x.Dimensions?.some((d: Json) => d.Name === 'FunctionName' && d.Value.Ref === id),
      );
      assert.ok(a, `${name} ${metric}`);
      assert.equal(a.Threshold, 1);
    }
  }
});

test('DynamoDB throttling is alarmed', () => {
  const tableId = logicalId(stack.data.table);
  const a = alarms.find((x) => metricsOf(x).some((m) => m.Namespace === 'AWS/DynamoDB'));
  assert.ok(a);
  assert.deepEqual(
    metricsOf(a)
      .map((m) => m.MetricName)
      .sort(),
    ['ReadThrottleEvents', 'WriteThrottleEvents'],
  );
  for (const m of metricsOf(a))
    assert.ok(m.Dimensions.some((d: Json) => d.Name === 'TableName' && d.Value.Ref === tableId));
});

test('SES: the configuration set sends events to CloudWatch; bounce and complaint rates are alarmed', () => {
  const csId = logicalId(stack.mail.configurationSet);
  const [[, dest]] = ofType('AWS::SES::ConfigurationSetEventDestination');
  const d = dest.Properties.EventDestination;
  assert.equal(dest.Properties.ConfigurationSetName.Ref, csId);
  assert.equal(d.Enabled, true);
  for (const e of ['send', 'bounce', 'complaint']) assert.ok(d.MatchingEventTypes.includes(e), e);
  assert.deepEqual(d.CloudWatchDestination.DimensionConfigurations, [
    { DimensionName: 'ses:configuration-set', DimensionValueSource: 'messageTag', DefaultDimensionValue: 'none' },
  ]);
  for (const what of ['Bounce', 'Complaint']) {
    const a = alarms.find((x) => metricsOf(x).some((m) => m.Namespace === 'AWS/SES' && m.MetricName === what));
    assert.ok(a, `${what} rate alarm`);
    assert.deepEqual(
      metricsOf(a)
        .map((m) => m.MetricName)
        .sort(),
      [what, 'Send'].sort(),
    );
    for (const m of metricsOf(a))
      assert.ok(m.Dimensions.some((x: Json) => x.Name === 'ses:configuration-set' && x.Value.Ref === csId));
    assert.ok(a.Threshold < (what === 'Bounce' ? 5 : 0.1), 'below the level SES reviews an account at');
  }
});

test('application metrics come from the JSON log lines of every function; a dashboard shows everything', () => {
  const filters = ofType('AWS::Logs::MetricFilter').map(([, f]) => f.Properties);
  for (const name of ['Requests', 'ServerErrors', 'Denials', 'Downloads', 'RateLimited']) {
    const mine = filters.filter((f) => f.MetricTransformations[0].MetricName === name);
    assert.equal(mine.length, 4, `${name}: one filter per function`);
    for (const f of mine) {
      assert.equal(f.MetricTransformations[0].MetricNamespace, METRIC_NAMESPACE);
      assert.match(f.FilterPattern, /^\{ \$\.msg = /);
    }
  }
  const [[, dashboard], ...more] = ofType('AWS::CloudWatch::Dashboard');
  assert.equal(more.length, 0);
  const body = JSON.stringify(dashboard.Properties.DashboardBody);
  for (const needle of ['AWS/ApiGateway', 'AWS/Lambda', 'AWS/DynamoDB', 'AWS/SES', METRIC_NAMESPACE, 'alarm'])
    assert.ok(body.includes(needle), needle);
  assert.ok(outputs.DashboardName);
});

test(
  'dead-letter queues: none in the stack today, so no queue ' + 'alarm (Monitoring alarms on every SQS queue it finds)',
  () => {
    assert.equal(ofType('AWS::SQS::Queue').length, 0);
    assert.ok(!alarms.some((a) => a.Namespace === 'AWS/SQS'));
  },
);

test('API Gateway stage throttling is set (brute force and floods are also slowed before any function runs)', () => {
  const [[, stage]] = ofType('AWS::ApiGatewayV2::Stage');
  assert.equal(stage.Properties.StageName, '$default');
  assert.ok(stage.Properties.DefaultRouteSettings.ThrottlingRateLimit > 0);
  assert.ok(stage.Properties.DefaultRouteSettings.ThrottlingBurstLimit > 0);
});

test(
  'the table has TTL on `ttl` (brute-force counters expire), and the client functions may write RATE# items only ' +
    'through their key prefixes',
  () => {
    const [[, table]] = ofType('AWS::DynamoDB::Table');
    assert.deepEqual(table.Properties.TimeToLiveSpecification, { AttributeName: 'ttl', Enabled: true });
    const policies = JSON.stringify(ofType('AWS::IAM::Policy').map(([, p]) => p.Properties.PolicyDocument));
    assert.ok(policies.includes('RATE#*'));
  },
);

test(
  'Cognito: TOTP MFA available (no SMS), optional at pool ' + 'level (admins are required to enrol: docs/SECURITY.md)',
  () => {
    const [[, pool]] = ofType('AWS::Cognito::UserPool');
    assert.equal(pool.Properties.MfaConfiguration, 'OPTIONAL');
    assert.deepEqual(pool.Properties.EnabledMfas, ['SOFTWARE_TOKEN_MFA']);
  },
);
