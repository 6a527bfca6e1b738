/**
 * CORS for the site's own origin only (issue 14 item 9): the documents bucket and the API name the
 * distribution's domain, or the custom domain when there is one; no `*`, no `*.cloudfront.net`
 * (every distribution in AWS). Without a custom domain the API's origin is set by a custom resource
 * after the distribution exists, because the distribution's CSP names the API; the template must
 * stay free of dependency cycles either way.
 */

import assert from 'node:assert/strict';
import { test } from '@jest/globals';
import { type CfnElement, Stack } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { infraSynth } from '../support/synth.ts';

type Json = Record<string, any>;

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000';
const WITH_DOMAIN = { domain: 'carpeta.lopez.example', certificateArn: CERT };
const synthStack = infraSynth('cors');
const synth = (context: Record<string, unknown> = {}) => {
  const { stack, resources } = synthStack(context);
  const id = (c: IConstruct) => Stack.of(c).getLogicalId((c.node.defaultChild ?? c) as CfnElement);
  return { stack, resources, id };
};
const ofType = (resources: Record<string, Json>, type: string) =>
  Object.entries(resources).filter(([, r]) => r.Type === type);
/** The distribution's domain as the template spells it. */
const distributionOrigin = (distributionId: string) => ({
  'Fn::Join': ['', ['https://', { 'Fn::GetAtt': [distributionId, 'DomainName'] }]],
});
/** The UpdateApi call of the CORS custom resource, with `<Ref X>` / `<GetAtt X.Y>` where the template has tokens. */
function corsCall(r: Json, phase: 'Create' | 'Update'): Json {
  const parts: unknown[] = r.Properties[phase]['Fn::Join'][1];
  const text = parts
    .map((p) => {
      if (typeof p === 'string') return p;
      const x = p as Json;
      return x.Ref ? `<Ref ${x.Ref}>` : `<GetAtt ${x['Fn::GetAtt'].join('.')}>`;
    })
    .join('');
  return JSON.parse(text);
}

test('no custom domain: the bucket and the API allow the distribution domain only', () => {
  const { stack, resources, id } = synth();
  const distribution = id(stack.site.distribution);
  const bucket = resources[id(stack.documents.bucket)];
  const [rule, ...more] = bucket.Properties.CorsConfiguration.CorsRules;
  assert.equal(more.length, 0);
  assert.deepEqual(rule.AllowedOrigins, [distributionOrigin(distribution)]);

  // The API itself carries no CORS in the template (it would reference the distribution, which
  // references the API through its CSP); the custom resource sets it after the distribution exists.
  assert.equal(resources[id(stack.api.httpApi)].Properties.CorsConfiguration, undefined);
  const [[, setter], ...others] = ofType(resources, 'Custom::ApiCors');
  assert.equal(others.length, 0);
  for (const phase of ['Create', 'Update'] as const) {
    const call = corsCall(setter, phase);
    assert.equal(call.service, '@aws-sdk/client-apigatewayv2');
    assert.equal(call.action, 'UpdateApi');
    assert.equal(call.parameters.ApiId, `<Ref ${id(stack.api.httpApi)}>`);
    assert.deepEqual(call.parameters.CorsConfiguration.AllowOrigins, [`https://<GetAtt ${distribution}.DomainName>`]);
    assert.equal(call.parameters.CorsConfiguration.AllowCredentials, false);
  }
  assert.equal(setter.Properties.Delete, undefined, 'removing it must not clear a configuration set by the template');
  // Its handler may PATCH this API and nothing else.
  const policy = ofType(resources, 'AWS::IAM::Policy').find(([k]) => k.startsWith('ApiCorsSetter'));
  assert.ok(policy, 'the custom resource policy');
  assert.deepEqual(policy[1].Properties.PolicyDocument.Statement, [
    {
      Action: 'apigateway:PATCH',
      Effect: 'Allow',
      Resource: {
        'Fn::Join': [
          '',
          ['arn:', { Ref: 'AWS::Partition' }, ':apigateway:eu-west-1::/apis/', { Ref: id(stack.api.httpApi) }],
        ],
      },
    },
  ]);
});

test('a custom domain: both allow https://<domain> only, the API in its template (no custom resource)', () => {
  const { stack, resources, id } = synth(WITH_DOMAIN);
  const bucket = resources[id(stack.documents.bucket)];
  assert.deepEqual(bucket.Properties.CorsConfiguration.CorsRules[0].AllowedOrigins, ['https://carpeta.lopez.example']);
  const cors = resources[id(stack.api.httpApi)].Properties.CorsConfiguration;
  assert.deepEqual(cors.AllowOrigins, ['https://carpeta.lopez.example']);
  assert.deepEqual(cors.AllowHeaders, ['authorization', 'content-type', 'x-share-token', 'x-share-password']);
  assert.equal(cors.AllowCredentials, false);
  assert.equal(ofType(resources, 'Custom::ApiCors').length, 0);
});

test('no wildcard origin remains anywhere: no *, no *.cloudfront.net', () => {
  for (const context of [{}, WITH_DOMAIN]) {
    const text = JSON.stringify(synth(context).resources);
    for (const m of text.matchAll(/Allow(?:ed)?Origins\\?":(\[[^\]]*\])/g)) {
      assert.ok(!m[1].includes('*'), `wildcard origin ${m[1]}`);
    }
    assert.ok(!text.includes('*.cloudfront.net'));
    assert.ok(/AllowedOrigins/.test(text) && /AllowOrigins/.test(text), 'both configurations found');
  }
});

test('the CORS custom resource runs again when the API changes (CloudFormation could reset what it set)', () => {
  const fingerprint = (companyName: string) => {
    const [[, setter]] = ofType(synth({ companyName }).resources, 'Custom::ApiCors');
    return setter.Properties.ApiFingerprint;
  };
  assert.match(fingerprint('López'), /^[0-9a-f]{16}$/);
  assert.equal(fingerprint('López'), fingerprint('López'), 'stable across synths');
  assert.notEqual(fingerprint('López'), fingerprint('Sur'), "the API's description changed");
});

test('no dependency cycle in the template, with or without a custom domain', () => {
  for (const context of [{}, WITH_DOMAIN]) {
    const { resources } = synth(context);
    const deps = (v: unknown, out = new Set<string>()): Set<string> => {
      if (Array.isArray(v)) for (const x of v) deps(x, out);
      else if (v && typeof v === 'object') {
        for (const [k, x] of Object.entries(v)) {
          if (k === 'Ref' && typeof x === 'string' && resources[x]) out.add(x);
          else if (k === 'Fn::GetAtt') out.add([x].flat()[0] as string);
          else deps(x, out);
        }
      }
      return out;
    };
    const edges = Object.fromEntries(
      Object.entries(resources).map(([k, r]) => [k, new Set([...deps(r.Properties), ...[r.DependsOn ?? []].flat()])]),
    );
    const state: Record<string, 'open' | 'done'> = {};
    const visit = (n: string, path: string[]) => {
      assert.notEqual(state[n], 'open', `cycle: ${[...path, n].join(' -> ')}`);
      if (state[n] === 'done') return;
      state[n] = 'open';
      for (const d of edges[n] ?? []) visit(d, [...path, n]);
      state[n] = 'done';
    };
    for (const k of Object.keys(edges)) visit(k, []);
  }
});
