/**
 * The cdk-nag gate (AwsSolutions, v3 Validations plugin): the real app, bundled, must
 * synthesize with zero unacknowledged findings; a deliberately bad bucket must not.
 * Also the Lambda bundle budget (docs/ARCHITECTURE.md: each bundle under 300 KB).
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { App, Stack, Validations, type CfnElement } from 'aws-cdk-lib';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { buildApp } from '../../infra/stack.ts';

const BUNDLE_BUDGET = 300 * 1024;

test('the bundled app passes AwsSolutions with every finding acknowledged by id and reason; bundles under budget', async (t) => {
  const outdir = mkdtempSync(join(tmpdir(), 'carpeta-nag-'));
  t.after(() => rmSync(outdir, { recursive: true, force: true }));
  const { app, stack } = buildApp({
    nag: true,
    bundle: true,
    validation: false,
    outdir,
    context: { companyName: 'Asesoría López', senderEmail: 'notificaciones@example.com' },
  });
  const t0 = performance.now();
  const assembly = app.synth(); // throws on any unacknowledged finding
  console.log(`synth with bundling + cdk-nag: ${(performance.now() - t0).toFixed(0)} ms (after construction)`);

  // Every acknowledgement is an exact AwsSolutions finding id with a reviewer-grade reason.
  const acks: [string, string, string][] = [];
  const walk = (c: IConstruct) => {
    for (const m of c.node.metadata) {
      if (m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY) {
        for (const [id, reason] of Object.entries(m.data as Record<string, string>)) acks.push([c.node.path, id, reason]);
      }
    }
    c.node.children.forEach(walk);
  };
  walk(app);
  assert.ok(acks.length > 0);
  for (const [path, id, reason] of acks) {
    assert.match(id, /^AwsSolutions::AwsSolutions-[A-Z]+\d+(\[.+\])?$/, `${path}: ${id}`);
    assert.ok(reason.length >= 60, `${path} ${id}: reason too thin`);
  }
  assert.ok(!acks.some(([path]) => path === stack.node.path || path === ''), 'nothing acknowledged stack-wide');
  console.log(`${acks.length} acknowledgements`);

  // Bundle sizes: each function's asset directory (asset.<hash>) holds one index.mjs.
  const template = assembly.getStackArtifact(stack.artifactId).template;
  for (const name of ['staff', 'portal', 'link'] as const) {
    await t.test(`${name}-api bundle under ${BUNDLE_BUDGET / 1024} KB`, () => {
      const fn = stack.api.functions[name];
      const id = Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement);
      const s3Key: string = template.Resources[id].Properties.Code.S3Key; // <asset hash>.zip
      const file = join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`, 'index.mjs');
      const code = readFileSync(file, 'utf8');
      const size = statSync(file).size;
      console.log(`bundle ${name}-api: ${(size / 1024).toFixed(1)} KB`);
      assert.ok(code.startsWith("import { createRequire } from 'module';"), 'ESM require shim banner');
      if (name === 'link') assert.ok(code.includes('status:"ok"'), 'route handlers are bundled (GET /health)');
      assert.ok(size < BUNDLE_BUDGET, `${name} bundle is ${(size / 1024).toFixed(1)} KB`);
    });
  }
});

test('the variant with custom domain, certificate, mail domain, SES sandbox and threat protection passes too', (t) => {
  const outdir = mkdtempSync(join(tmpdir(), 'carpeta-nag-variant-'));
  t.after(() => rmSync(outdir, { recursive: true, force: true }));
  const { app, stack } = buildApp({
    nag: true,
    bundle: false,
    validation: false,
    outdir,
    context: {
      companyName: 'Clínica Radiológica Sur',
      senderEmail: 'avisos@carpeta.clinica.example',
      domain: 'carpeta.clinica.example',
      certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000',
      sesSandbox: 'true',
      threatProtection: 'true',
    },
  });
  const template = app.synth().getStackArtifact(stack.artifactId).template;
  const types = Object.values<{ Type: string }>(template.Resources).map((r) => r.Type);
  assert.ok(types.includes('AWS::SES::EmailIdentity'));
  const identity = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::SES::EmailIdentity'); // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.equal(identity.Properties.EmailIdentity, 'carpeta.clinica.example', 'domain identity');
  const pool = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::Cognito::UserPool'); // eslint-disable-line @typescript-eslint/no-explicit-any
  assert.equal(pool.Properties.UserPoolTier, 'PLUS');
  assert.ok(Object.keys(template.Outputs).includes('DkimRecord1'));
});

test('negative control: a public, non-TLS bucket fails the same gate', () => {
  const app = new App({ builtinCloudFormationValidation: false, outdir: mkdtempSync(join(tmpdir(), 'carpeta-nag-bad-')) });
  const stack = new Stack(app, 'Bad');
  new s3.Bucket(stack, 'Leaky', {
    enforceSSL: false,
    blockPublicAccess: new s3.BlockPublicAccess({
      blockPublicAcls: false,
      blockPublicPolicy: false,
      ignorePublicAcls: false,
      restrictPublicBuckets: false,
    }),
  });
  Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  try {
    assert.throws(() => app.synth(), /Validation failed/);
    const report = readFileSync(join(app.outdir, 'validation-report.json'), 'utf8');
    for (const rule of ['AwsSolutions-S1', 'AwsSolutions-S2', 'AwsSolutions-S10']) assert.ok(report.includes(`"${rule}"`), rule);
  } finally {
    rmSync(app.outdir, { recursive: true, force: true });
  }
});
