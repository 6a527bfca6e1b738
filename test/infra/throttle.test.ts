/**
 * API throttling: every route's default limit is sized for a new account's Lambda concurrency and
 * set from context; the anonymous routes (share links, invitations, branding) get their own,
 * lower route-level limits, so a flood on them leaves the other routes their share.
 */

import assert from 'node:assert/strict';
import { test } from '@jest/globals';
import { needsJwt, routeKey, routes } from '../../functions/routes.ts';
import { DEFAULT_ANONYMOUS_THROTTLE, DEFAULT_THROTTLE } from '../../infra/api.ts';
import { infraSynth } from '../support/synth.ts';

type Json = Record<string, any>;

const synth = infraSynth('throttle');
const stageOf = (context: Record<string, unknown>) => {
  const { resources } = synth(context);
  const stage = Object.values(resources).find((r) => r.Type === 'AWS::ApiGatewayV2::Stage')!;
  return Object.assign(stage, { resources });
};
const anonymousKeys = routes.filter((r) => !needsJwt(r.audience)).map(routeKey);

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

test('the anonymous routes (share, invitations, branding) have their own route-level limits, below the others', () => {
  assert.ok(
    anonymousKeys.some((k) => k.includes('/share')),
    'share routes',
  );
  assert.ok(anonymousKeys.includes('POST /auth/invitations/accept'));
  assert.ok(anonymousKeys.includes('GET /branding'));
  const stage = stageOf({});
  const { DefaultRouteSettings: d, RouteSettings: perRoute } = stage.Properties;
  assert.deepEqual(Object.keys(perRoute).sort(), [...anonymousKeys].sort(), 'exactly the routes without a JWT');
  for (const [key, limits] of Object.entries<Json>(perRoute)) {
    assert.equal(limits.ThrottlingRateLimit, DEFAULT_ANONYMOUS_THROTTLE.rateLimit, key);
    assert.equal(limits.ThrottlingBurstLimit, DEFAULT_ANONYMOUS_THROTTLE.burstLimit, key);
    assert.ok(limits.ThrottlingRateLimit < d.ThrottlingRateLimit, `${key}: rate below the default route limit`);
    assert.ok(limits.ThrottlingBurstLimit < d.ThrottlingBurstLimit, `${key}: burst below the default route limit`);
  }
  // API Gateway takes route settings only for routes that exist: the stage is created after them.
  const routeIds = Object.entries(stage.resources)
    .filter(([, r]) => r.Type === 'AWS::ApiGatewayV2::Route' && anonymousKeys.includes(r.Properties.RouteKey))
    .map(([id]) => id);
  assert.equal(routeIds.length, anonymousKeys.length);
  for (const id of routeIds) assert.ok(stage.DependsOn.includes(id), `stage depends on ${id}`);
});

test('-c anonymousThrottleRate / anonymousThrottleBurst set them, never above the other routes', () => {
  const { RouteSettings: perRoute } = stageOf({ anonymousThrottleRate: '2', anonymousThrottleBurst: '4' }).Properties;
  for (const limits of Object.values<Json>(perRoute)) {
    assert.deepEqual(limits, { ThrottlingRateLimit: 2, ThrottlingBurstLimit: 4 });
  }
  assert.throws(() => stageOf({ anonymousThrottleRate: '30', anonymousThrottleBurst: '40' }), /must not exceed/);
  // A stage limit below the default anonymous one pulls the anonymous default down with it.
  const low = stageOf({ throttleRate: '3', throttleBurst: '6' }).Properties;
  assert.deepEqual(Object.values<Json>(low.RouteSettings)[0], { ThrottlingRateLimit: 3, ThrottlingBurstLimit: 6 });
});
