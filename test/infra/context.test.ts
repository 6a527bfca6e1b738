/**
 * The context a deployment cannot go without: a missing sender address, or a custom domain without
 * its certificate, stops synth with a message naming the value (no demo default in cdk.json carries a
 * deploy through); and the region is chosen one documented way, with an EU fallback, and printed.
 */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, test } from '@jest/globals';
import { ContextError, chooseRegion, FALLBACK_REGION } from '../../infra/context.ts';
import { buildApp } from '../../infra/stack.ts';

const root = fileURLToPath(new URL('../..', import.meta.url));
const outdir = mkdtempSync(join(tmpdir(), 'carpeta-context-test-'));
afterAll(() => rmSync(outdir, { recursive: true, force: true }));
const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000';
const build = (context: Record<string, unknown>, env: NodeJS.ProcessEnv = {}, log?: (l: string) => void) =>
  buildApp({ bundle: false, validation: false, outdir, context, env, log });

test('no senderEmail: synth stops, naming the value and the fix; cdk.json carries no demo default', () => {
  assert.throws(
    () => build({}),
    (e: Error) => e instanceof ContextError && /senderEmail/.test(e.message) && /-c senderEmail=/.test(e.message),
  );
  assert.throws(() => build({ senderEmail: 'not-an-address' }), /senderEmail "not-an-address" is not an email/);
  const cdkJson = JSON.parse(readFileSync(join(root, 'cdk.json'), 'utf8'));
  assert.equal(cdkJson.context?.senderEmail, undefined);
  assert.equal(cdkJson.context?.companyName, undefined);
});

test('a domain without certificateArn stops synth (mails would link to a site CloudFront does not serve)', () => {
  const base = { senderEmail: 'avisos@lopez.example' };
  assert.throws(
    () => build({ ...base, domain: 'carpeta.lopez.example' }),
    (e: Error) => e instanceof ContextError && /certificateArn/.test(e.message) && /us-east-1/.test(e.message),
  );
  assert.throws(() => build({ ...base, certificateArn: CERT }), /certificateArn needs domain/);
  assert.throws(
    () => build({ ...base, domain: 'carpeta.lopez.example', certificateArn: CERT.replace('us-east-1', 'eu-west-1') }),
    /not an ACM certificate ARN in us-east-1/,
  );
  const { stack } = build({ ...base, domain: 'carpeta.lopez.example', certificateArn: CERT });
  assert.equal(stack.site.url, 'https://carpeta.lopez.example');
});

test('the region: context, then the CLI-resolved region, else the EU fallback (us-east-1 only when said)', () => {
  assert.equal(FALLBACK_REGION, 'eu-west-1');
  const pick = (ctx: string | undefined, env: NodeJS.ProcessEnv) => chooseRegion(ctx, env).region;
  assert.equal(pick('eu-south-2', { CDK_DEFAULT_REGION: 'eu-central-1', AWS_REGION: 'eu-central-1' }), 'eu-south-2');
  // What the CDK CLI resolved from AWS_REGION or the profile, handed over as CDK_DEFAULT_REGION.
  assert.equal(pick(undefined, { CDK_DEFAULT_REGION: 'eu-central-1' }), 'eu-central-1');
  // us-east-1 is also what the CLI passes when it finds nothing: not taken as a choice...
  const fallback = chooseRegion(undefined, { CDK_DEFAULT_REGION: 'us-east-1' });
  assert.equal(fallback.region, 'eu-west-1');
  assert.match(fallback.source, /-c region=us-east-1/);
  // ...unless the shell says so, or the context does.
  assert.equal(pick(undefined, { CDK_DEFAULT_REGION: 'us-east-1', AWS_REGION: 'us-east-1' }), 'us-east-1');
  assert.equal(pick('us-east-1', { CDK_DEFAULT_REGION: 'us-east-1' }), 'us-east-1');
  // Without the CLI (tsx infra/app.ts, tests): the shell's variables, else the fallback.
  assert.equal(pick(undefined, { AWS_DEFAULT_REGION: 'eu-west-3' }), 'eu-west-3');
  assert.equal(pick(undefined, {}), 'eu-west-1');
  assert.throws(() => chooseRegion('Europe', {}), /context value region "Europe" is not an AWS region/);
});

test('synth says which stack and region it builds, and builds there', () => {
  const lines: string[] = [];
  const { stack } = build({ senderEmail: 'avisos@lopez.example', stackName: 'CarpetaLopez' }, {}, (l) => lines.push(l));
  assert.equal(stack.region, 'eu-west-1');
  assert.deepEqual(lines, [
    'Carpeta: stack CarpetaLopez in region eu-west-1 (fallback: no region in the context or the AWS configuration)',
  ]);
  const again = build({ senderEmail: 'a@b.example', region: 'eu-south-2' }, {}, (l) => lines.push(l));
  assert.equal(again.stack.region, 'eu-south-2');
  assert.match(lines[1], /in region eu-south-2 \(context value region\)$/);
});

test('infra/app.ts, as `cdk synth` runs it, prints the region, or the missing value without a trace', () => {
  const run = (context: Record<string, unknown>) =>
    spawnSync(process.execPath, ['--import', 'tsx', 'infra/app.ts'], {
      cwd: root,
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        CDK_OUTDIR: mkdtempSync(join(outdir, 'app-')),
        CDK_CONTEXT_JSON: JSON.stringify(context),
        CDK_DEFAULT_REGION: 'us-east-1', // what the CLI passes with no region configured
      },
    });
  const missing = run({});
  assert.equal(missing.status, 1, missing.stderr);
  assert.match(missing.stderr, /Missing context value senderEmail/);
  assert.doesNotMatch(missing.stderr, /at .*\.ts:\d+/, 'no stack trace');
  const ok = run({ senderEmail: 'avisos@lopez.example', bundle: 'false' });
  assert.equal(ok.status, 0, ok.stderr);
  assert.match(ok.stderr, /Carpeta: stack Carpeta in region eu-west-1 \(fallback: CDK_DEFAULT_REGION is us-east-1/);
});
