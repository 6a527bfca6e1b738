/**
 * API throttling: every route's default limit is sized for a new account's Lambda concurrency and
 * set from context; the anonymous routes (share links, invitations, branding) get their own,
 * lower route-level limits, so a flood on them leaves the other routes their share.
 */
import { after, test } from 'node:test';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import assert from 'node:assert/strict';
import { Template } from 'aws-cdk-lib/assertions';
import { DEFAULT_THROTTLE } from '../../infra/api.ts';
import { buildApp } from '../../infra/stack.ts';

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

const outdir = mkdtempSync(join(tmpdir(), 'carpeta-throttle-test-'));
after(() => rmSync(outdir, { recursive: true, force: true }));
const stageOf = (context: Record<string, unknown>) => {
  const { stack } = buildApp({
    bundle: false,
    validation: false,
    outdir,
    context: { senderEmail: 'avisos@lopez.example', region: 'eu-west-1', ...context },
  });
  const resources = Object.values<Json>(Template.fromStack(stack).toJSON().Resources);
  return resources.find((r) => r.Type === 'AWS::ApiGatewayV2::Stage')!;
};

test('every route defaults to a limit a new account can serve (not 200/s, burst 400)', () => {
  assert.deepEqual(DEFAULT_THROTTLE, { rateLimit: 20, burstLimit: 40 });
  const { DefaultRouteSettings: d } = stageOf({}).Properties;
  assert.equal(d.ThrottlingRateLimit, 20);
  assert.equal(d.ThrottlingBurstLimit, 40);
});

test('-c throttleRate / throttleBurst set it once the quota is raised; nonsense stops synth', () => {
  const { DefaultRouteSettings: d } = stageOf({ throttleRate: '200', throttleBurst: '400' }).Properties;
  assert.equal(d.ThrottlingRateLimit, 200);
  assert.equal(d.ThrottlingBurstLimit, 400);
  assert.throws(() => stageOf({ throttleRate: 'fast' }), /throttleRate must be a whole number >= 1, got fast/);
  assert.throws(() => stageOf({ throttleRate: '0' }), /throttleRate must be a whole number/);
  assert.throws(() => stageOf({ throttleRate: '50', throttleBurst: '10' }), /throttleBurst \(10\) must be at least/);
});
