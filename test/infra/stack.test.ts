/**
 * CDK assertions on the synthesized template (bundle: false, so no esbuild: fast).
 * What matters for security is asserted on the template itself, not on our props.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, test } from '@jest/globals';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { IConstruct } from 'constructs';
import { functionOf, needsJwt, routeKey, routes } from '../../functions/routes.ts';
import {
  DEFAULT_THROTTLE,
  LINK_WRITE_PREFIXES,
  PORTAL_WRITE_PREFIXES,
  STAFF_COGNITO_ACTIONS,
} from '../../infra/api.ts';
import { buildApp } from '../../infra/stack.ts';
import { synthTemplate } from '../../infra/template.ts';

type Json = Record<string, any>;

const outdir = mkdtempSync(join(tmpdir(), 'carpeta-infra-test-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));
const { stack } = buildApp({
  bundle: false,
  validation: false,
  outdir,
  context: { companyName: 'Test Co', senderEmail: 'no-reply@example.com', region: 'us-east-1' },
});
const template = Template.fromStack(stack);
const resources: Record<string, Json> = template.toJSON().Resources;
const logicalId = (c: IConstruct) => Stack.of(c).getLogicalId((c.node.defaultChild ?? c) as CfnElement);
const ofType = (type: string) => Object.entries(resources).filter(([, r]) => r.Type === type);
const arr = <T>(v: T | T[] | undefined): T[] => (v === undefined ? [] : Array.isArray(v) ? v : [v]);

test('table: PK/SK, GSI1/GSI2 (ALL), on-demand, PITR, deletion protection, SSE, TTL, retained', () => {
  const [[, table], ...rest] = ofType('AWS::DynamoDB::Table');
  assert.equal(rest.length, 0, 'exactly one table');
  const p = table.Properties;
  assert.deepEqual(p.KeySchema, [
    { AttributeName: 'PK', KeyType: 'HASH' },
    { AttributeName: 'SK', KeyType: 'RANGE' },
  ]);
  for (const a of ['PK', 'SK', 'GSI1PK', 'GSI1SK', 'GSI2PK', 'GSI2SK']) {
    assert.ok(
      p.AttributeDefinitions.some((d: Json) => d.AttributeName === a && d.AttributeType === 'S'),
      a,
    );
  }
  for (const n of ['GSI1', 'GSI2']) {
    const gsi = p.GlobalSecondaryIndexes.find((g: Json) => g.IndexName === n);
    assert.ok(gsi, n);
    assert.deepEqual(gsi.KeySchema, [
      { AttributeName: `${n}PK`, KeyType: 'HASH' },
      { AttributeName: `${n}SK`, KeyType: 'RANGE' },
    ]);
    assert.deepEqual(gsi.Projection, { ProjectionType: 'ALL' });
  }
  assert.equal(p.BillingMode, 'PAY_PER_REQUEST');
  assert.equal(p.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled, true);
  assert.equal(p.DeletionProtectionEnabled, true);
  assert.equal(p.SSESpecification.SSEEnabled, true);
  assert.deepEqual(p.TimeToLiveSpecification, { AttributeName: 'ttl', Enabled: true });
  assert.equal(table.DeletionPolicy, 'Retain');
});

test('documents bucket: private, TLS-only, stale presigned downloads denied, versioned, multipart cleanup', () => {
  const id = logicalId(stack.documents.bucket);
  const p = resources[id].Properties;
  assert.deepEqual(p.PublicAccessBlockConfiguration, {
    BlockPublicAcls: true,
    BlockPublicPolicy: true,
    IgnorePublicAcls: true,
    RestrictPublicBuckets: true,
  });
  assert.equal(p.VersioningConfiguration.Status, 'Enabled');
  assert.ok(
    p.LifecycleConfiguration.Rules.some((r: Json) => r.AbortIncompleteMultipartUpload?.DaysAfterInitiation === 1),
  );
  assert.ok(p.LoggingConfiguration?.DestinationBucketName, 'server access logs');
  assert.equal(resources[id].DeletionPolicy, 'Retain');
  const cors = p.CorsConfiguration.CorsRules[0];
  assert.deepEqual([...cors.AllowedMethods].sort(), ['GET', 'HEAD', 'POST', 'PUT']);
  assert.ok(cors.ExposedHeaders.includes('ETag'));

  const [, policy] = ofType('AWS::S3::BucketPolicy').find(([, r]) => r.Properties.Bucket.Ref === id)!;
  const statements: Json[] = policy.Properties.PolicyDocument.Statement;
  const tls = statements.find((s) => s.Effect === 'Deny' && s.Condition?.Bool?.['aws:SecureTransport'] === 'false');
  assert.ok(tls, 'enforce-TLS deny');
  assert.deepEqual(tls.Principal, { AWS: '*' });
  const age = statements.find(
    (s) => s.Effect === 'Deny' && s.Condition?.NumericGreaterThan?.['s3:signatureAge'] !== undefined,
  );
  assert.ok(age, 'signatureAge deny');
  assert.deepEqual(age.Principal, { AWS: '*' });
  assert.equal(age.Condition.NumericGreaterThan['s3:signatureAge'], 300000);
  assert.equal(age.Condition.StringEquals['s3:authType'], 'REST-QUERY-STRING');
  assert.ok(arr(age.Action).includes('s3:GetObject'));
  // Resource is the bucket's objects.
  assert.deepEqual(age.Resource, { 'Fn::Join': ['', [{ 'Fn::GetAtt': [id, 'Arn'] }, '/*']] });
});

test('user pool: no self sign-up, email sign-in, strong passwords, email recovery, optional TOTP', () => {
  template.resourceCountIs('AWS::Cognito::UserPool', 1);
  const [[, pool]] = ofType('AWS::Cognito::UserPool');
  const p = pool.Properties;
  assert.equal(p.AdminCreateUserConfig.AllowAdminCreateUserOnly, true);
  assert.deepEqual(p.UsernameAttributes, ['email']);
  assert.deepEqual(p.Policies.PasswordPolicy, {
    MinimumLength: 12,
    RequireLowercase: true,
    RequireUppercase: true,
    RequireNumbers: true,
    RequireSymbols: true,
    TemporaryPasswordValidityDays: 3,
  });
  assert.deepEqual(p.AccountRecoverySetting.RecoveryMechanisms, [{ Name: 'verified_email', Priority: 1 }]);
  assert.equal(p.MfaConfiguration, 'OPTIONAL');
  assert.deepEqual(p.EnabledMfas, ['SOFTWARE_TOKEN_MFA']);
  assert.ok(p.Schema.some((a: Json) => a.Name === 'email' && a.Required === true));
  assert.equal(pool.DeletionPolicy, 'Retain');
});

test('groups admin, staff, webusers', () => {
  const names = ofType('AWS::Cognito::UserPoolGroup')
    .map(([, g]) => g.Properties.GroupName)
    .sort();
  assert.deepEqual(names, ['admin', 'staff', 'webusers']);
});

test('app client: USER_PASSWORD_AUTH + REFRESH_TOKEN_AUTH, no secret, no OAuth, masked user existence', () => {
  const [[, client], ...rest] = ofType('AWS::Cognito::UserPoolClient');
  assert.equal(rest.length, 0);
  const p = client.Properties;
  assert.ok(p.ExplicitAuthFlows.includes('ALLOW_USER_PASSWORD_AUTH'));
  assert.ok(p.ExplicitAuthFlows.includes('ALLOW_REFRESH_TOKEN_AUTH'));
  assert.notEqual(p.GenerateSecret, true);
  assert.equal(p.PreventUserExistenceErrors, 'ENABLED');
  assert.equal(p.AllowedOAuthFlowsUserPoolClient ?? false, false);
  assert.ok(!p.WriteAttributes.includes('email'), 'users cannot change their email');
});

test('every route of functions/routes.ts, JWT exactly when needsJwt, on its own function', () => {
  const routeResources = ofType('AWS::ApiGatewayV2::Route').map(([, r]) => r.Properties);
  assert.equal(routeResources.length, routes.length);
  const integrationOf = (target: Json): string => {
    const ref = target['Fn::Join'][1][1].Ref as string;
    return resources[ref].Properties.IntegrationUri['Fn::GetAtt'][0];
  };
  for (const route of routes) {
    const r = routeResources.find((x) => x.RouteKey === routeKey(route));
    assert.ok(r, `route ${routeKey(route)}`);
    if (needsJwt(route.audience)) {
      assert.equal(r.AuthorizationType, 'JWT', routeKey(route));
      assert.ok(r.AuthorizerId, routeKey(route));
    } else {
      assert.notEqual(r.AuthorizationType, 'JWT', routeKey(route));
      assert.equal(r.AuthorizerId, undefined, routeKey(route));
    }
    assert.equal(
      integrationOf(r.Target),
      logicalId(stack.api.functions[functionOf(route)]),
      `${routeKey(route)} -> ${functionOf(route)}`,
    );
  }
  // The authorizer trusts this pool and this client only.
  const [[, authorizer]] = ofType('AWS::ApiGatewayV2::Authorizer');
  assert.equal(authorizer.Properties.AuthorizerType, 'JWT');
  assert.deepEqual(authorizer.Properties.JwtConfiguration.Audience, [{ Ref: logicalId(stack.auth.client) }]);
  const issuer = JSON.stringify(authorizer.Properties.JwtConfiguration.Issuer);
  assert.match(issuer, /https:\/\/cognito-idp\.us-east-1\.amazonaws\.com\//);
  assert.ok(issuer.includes(logicalId(stack.auth.userPool)));
  // $default stage: access logs and throttling.
  const [[, stage]] = ofType('AWS::ApiGatewayV2::Stage');
  assert.equal(stage.Properties.StageName, '$default');
  assert.ok(stage.Properties.AccessLogSettings.DestinationArn);
  assert.doesNotThrow(() => JSON.parse(stage.Properties.AccessLogSettings.Format));
  assert.equal(stage.Properties.DefaultRouteSettings.ThrottlingRateLimit, DEFAULT_THROTTLE.rateLimit);
  assert.equal(stage.Properties.DefaultRouteSettings.ThrottlingBurstLimit, DEFAULT_THROTTLE.burstLimit);
});

test('three functions on the newest Node.js runtime, arm64, with the app environment', () => {
  const newest = Object.values(lambda.Runtime)
    .filter((r): r is lambda.Runtime => r instanceof lambda.Runtime && /^nodejs\d+\.x$/.test(r.name))
    .sort((a, b) => parseInt(b.name.slice(6), 10) - parseInt(a.name.slice(6), 10))[0].name;
  const ours = (['staff', 'portal', 'link'] as const).map(
    (n) => [n, resources[logicalId(stack.api.functions[n])]] as const,
  );
  for (const [name, fn] of ours) {
    const p = fn.Properties;
    assert.equal(p.Runtime, newest, name);
    assert.deepEqual(p.Architectures, ['arm64'], name);
    const env = p.Environment.Variables;
    for (const k of [
      'TABLE_NAME',
      'BUCKET_NAME',
      'USER_POOL_ID',
      'USER_POOL_CLIENT_ID',
      'MAIL_FROM',
      'MAIL_CONFIGURATION_SET',
      'SITE_URL',
      'COMPANY_NAME',
    ]) {
      assert.ok(env[k] !== undefined, `${name} ${k}`);
    }
    assert.equal(env.CARPETA_FUNCTION, name);
    assert.equal(env.COMPANY_NAME, 'Test Co');
    assert.ok(p.LoggingConfig?.LogGroup, `${name} has its own log group`);
  }
  assert.equal(resources[logicalId(stack.api.functions.staff)].Properties.Timeout, 29);
});

/** Every statement that applies to a function's role: its policies, inline policies, managed policies. */
function statementsOf(fn: lambda.Function): Json[] {
  const roleId = logicalId(fn.role!);
  const role = resources[roleId].Properties;
  assert.equal(role.ManagedPolicyArns, undefined, 'no managed policies on our function roles');
  const inline = arr<Json>(role.Policies).flatMap((p) => p.PolicyDocument.Statement);
  const attached = ofType('AWS::IAM::Policy')
    .filter(([, p]) => arr<Json>(p.Properties.Roles).some((r) => r.Ref === roleId))
    .flatMap(([, p]) => p.Properties.PolicyDocument.Statement as Json[]);
  return [...inline, ...attached];
}

for (const [name, prefixes] of [
  ['portal', PORTAL_WRITE_PREFIXES],
  ['link', LINK_WRITE_PREFIXES],
] as const) {
  test(`${name} function: read, leading-key writes, downloads; no other write capability`, () => {
    const statements = statementsOf(stack.api.functions[name]);
    assert.ok(statements.length > 0);
    let sawLeadingKeys = false;
    for (const s of statements.filter((x) => x.Effect === 'Allow')) {
      const actions = arr<string>(s.Action);
      for (const a of actions) {
        assert.ok(!a.includes('*'), `${name}: wildcard action ${a}`);
        assert.ok(!/^s3:(PutObject|DeleteObject|AbortMultipartUpload|PutBucket)/.test(a), `${name}: ${a}`);
        assert.ok(
          !/^dynamodb:(DeleteItem|BatchWriteItem|Scan|DeleteTable|UpdateTable|PartiQL)/.test(a),
          `${name}: ${a}`,
        );
        assert.ok(a !== 'cognito-idp:AdminCreateUser' && a !== 'cognito-idp:AdminAddUserToGroup', `${name}: ${a}`);
      }
      if (actions.some((a) => a === 'dynamodb:PutItem' || a === 'dynamodb:UpdateItem')) {
        const keys = s.Condition?.['ForAllValues:StringLike']?.['dynamodb:LeadingKeys'];
        assert.ok(keys, `${name}: DynamoDB write without a LeadingKeys condition`);
        assert.deepEqual(keys, prefixes);
        assert.deepEqual(s.Condition.Null, { 'dynamodb:LeadingKeys': 'false' });
        sawLeadingKeys = true;
      }
    }
    assert.ok(sawLeadingKeys, `${name} can append activity events`);
    const s3Actions = statements.flatMap((s) => arr<string>(s.Action)).filter((a) => a.startsWith('s3:'));
    assert.deepEqual([...new Set(s3Actions)], ['s3:GetObject']);
  });
}

test('each role holds only the actions its function calls: no mail for the client functions', () => {
  const actionsOf = (fn: 'staff' | 'portal' | 'link') =>
    new Set(statementsOf(stack.api.functions[fn]).flatMap((s) => arr<string>(s.Action)));
  const portal = actionsOf('portal');
  const link = actionsOf('link');
  const staff = actionsOf('staff');
  for (const [name, actions] of [
    ['portal', portal],
    ['link', link],
  ] as const) {
    assert.ok(![...actions].some((a) => a.startsWith('ses:')), `${name} sends no mail, so it may not`);
  }
  assert.ok(![...portal].some((a) => a.startsWith('cognito-idp:')), 'the portal never calls the user pool');
  assert.deepEqual(
    [...link].filter((a) => a.startsWith('cognito-idp:')),
    ['cognito-idp:AdminSetUserPassword'],
  );
  const staffIdp = [...staff].filter((a) => a.startsWith('cognito-idp:')).sort();
  assert.deepEqual(staffIdp, [...STAFF_COGNITO_ACTIONS].sort());
  assert.ok(!staff.has('cognito-idp:AdminListGroupsForUser'), 'nor list a user’s groups');
});

test('staff function: table writes, uploads and account administration (the walker sees them)', () => {
  const actions = statementsOf(stack.api.functions.staff).flatMap((s) => arr<string>(s.Action));
  for (const a of [
    'dynamodb:PutItem',
    'dynamodb:DeleteItem',
    's3:PutObject',
    'cognito-idp:AdminCreateUser',
    'ses:SendEmail',
  ]) {
    assert.ok(actions.includes(a), a);
  }
  assert.ok(!actions.includes('dynamodb:Scan'));
  assert.ok(!actions.some((a) => a.includes('*')));
});

test('CloudFront: OAC, SPA fallback, security headers (CSP frame-ancestors none, HSTS)', () => {
  const [[policyId, rhp]] = ofType('AWS::CloudFront::ResponseHeadersPolicy');
  const sec = rhp.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig;
  const csp = JSON.stringify(sec.ContentSecurityPolicy.ContentSecurityPolicy);
  assert.ok(csp.includes("frame-ancestors 'none'"));
  assert.ok(csp.includes("default-src 'self'"));
  assert.ok(csp.includes('https://cognito-idp.us-east-1.amazonaws.com'));
  assert.ok(csp.includes(logicalId(stack.api.httpApi)), 'connect-src names the API');
  // The documents bucket by its name's expression (the bucket's CORS names the site, so no Ref back to it).
  const bucketName = JSON.stringify(resources[logicalId(stack.documents.bucket)].Properties.BucketName);
  assert.ok(csp.includes(bucketName.slice(1, -1)), 'CSP names the documents bucket');
  assert.ok(!csp.includes(logicalId(stack.documents.bucket)), 'by name, not by a reference to the bucket');
  assert.ok(!csp.includes('unsafe-'), 'no unsafe-inline / unsafe-eval');
  assert.ok(sec.StrictTransportSecurity.AccessControlMaxAgeSec >= 31536000);
  assert.equal(sec.ContentTypeOptions.Override, true);
  assert.equal(sec.ReferrerPolicy.ReferrerPolicy, 'no-referrer');

  template.hasResourceProperties('AWS::CloudFront::Distribution', {
    DistributionConfig: Match.objectLike({
      DefaultRootObject: 'index.html',
      DefaultCacheBehavior: Match.objectLike({
        ResponseHeadersPolicyId: { Ref: policyId },
        ViewerProtocolPolicy: 'redirect-to-https',
      }),
      CustomErrorResponses: Match.arrayWith([
        Match.objectLike({ ErrorCode: 403, ResponseCode: 200, ResponsePagePath: '/index.html' }),
        Match.objectLike({ ErrorCode: 404, ResponseCode: 200, ResponsePagePath: '/index.html' }),
      ]),
      Origins: Match.arrayWith([Match.objectLike({ OriginAccessControlId: Match.anyValue() })]),
    }),
  });
  template.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
});

test('outputs for the operator and the scripts', () => {
  const outputs = Object.keys(template.toJSON().Outputs);
  for (const o of ['ApiUrl', 'SiteUrl', 'UserPoolId', 'UserPoolClientId', 'TableName', 'BucketName'])
    assert.ok(outputs.includes(o), o);
});

test(
  'synthTemplate() (what the local stack reads) is fast ' + 'and has the table, pool, groups, client, bucket CORS',
  () => {
    const t0 = performance.now();
    const t = synthTemplate();
    const ms = performance.now() - t0;
    console.log(`synthTemplate(): ${ms.toFixed(0)} ms`);
    assert.ok(ms < 6000, `${ms} ms`);
    const types = Object.values<Json>(t.Resources).map((r) => r.Type);
    for (const type of [
      'AWS::DynamoDB::Table',
      'AWS::Cognito::UserPool',
      'AWS::Cognito::UserPoolClient',
      'AWS::Cognito::UserPoolGroup',
      'AWS::S3::Bucket',
    ]) {
      assert.ok(types.includes(type), type);
    }
    assert.ok(
      Object.values<Json>(t.Resources).some((r) => r.Type === 'AWS::S3::Bucket' && r.Properties?.CorsConfiguration),
    );
  },
);

test('jobs function: table and mail only, driven by two EventBridge Scheduler schedules', () => {
  const actions = statementsOf(stack.api.jobs).flatMap((s) => arr<string>(s.Action));
  assert.ok(actions.includes('dynamodb:Query') && actions.includes('ses:SendEmail'));
  assert.ok(!actions.some((a) => a.startsWith('s3:') || a.startsWith('cognito-idp:')), 'no documents, no accounts');
  const schedules = ofType('AWS::Scheduler::Schedule').map(([, r]) => r.Properties);
  assert.deepEqual(schedules.map((s) => JSON.parse(s.Target.Input).job).sort(), ['notifications', 'retention']);
  for (const s of schedules) assert.deepEqual(s.Target.Arn, { 'Fn::GetAtt': [logicalId(stack.api.jobs), 'Arn'] });
  assert.ok(!routes.some((r) => r.handler.startsWith('jobs/')), 'no route reaches the jobs function');
});

test(
  'every bucket is versioned, with noncurrent versions expiring (HIPAA S3BucketVersioningEnabled fixed, not ' +
    'acknowledged)',
  () => {
    const buckets = ofType('AWS::S3::Bucket');
    assert.equal(buckets.length, 3, 'documents, site, access logs');
    for (const [id, b] of buckets) {
      assert.equal(b.Properties.VersioningConfiguration?.Status, 'Enabled', id);
      assert.ok(
        b.Properties.LifecycleConfiguration.Rules.some((r: Json) => r.NoncurrentVersionExpiration?.NoncurrentDays > 0),
        `${id}: old versions expire`,
      );
    }
  },
);

test('the table is in an AWS Backup plan: daily kept 35 days, monthly kept a year, retained vault', () => {
  const [[, plan], ...morePlans] = ofType('AWS::Backup::BackupPlan');
  assert.equal(morePlans.length, 0);
  const rules: Json[] = plan.Properties.BackupPlan.BackupPlanRule;
  const byName = Object.fromEntries(rules.map((r) => [r.RuleName, r]));
  assert.deepEqual(Object.keys(byName).sort(), ['Daily35Days', 'Monthly1Year']);
  assert.equal(byName.Daily35Days.ScheduleExpression, 'cron(0 5 * * ? *)');
  assert.deepEqual(byName.Daily35Days.Lifecycle, { DeleteAfterDays: 35 });
  assert.equal(byName.Monthly1Year.ScheduleExpression, 'cron(0 5 1 * ? *)');
  assert.deepEqual(byName.Monthly1Year.Lifecycle, { DeleteAfterDays: 365 });
  const [[, selection]] = ofType('AWS::Backup::BackupSelection');
  assert.deepEqual(selection.Properties.BackupSelection.Resources, [
    { 'Fn::GetAtt': [logicalId(stack.data.table), 'Arn'] },
  ]);
  const [[, vault]] = ofType('AWS::Backup::BackupVault');
  assert.equal(vault.DeletionPolicy, 'Retain');
});
