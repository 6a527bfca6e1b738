/**
 * The cdk-nag gate (v3 Validations plugins, both packs the app registers: AwsSolutions and
 * HIPAA Security): the real app, bundled, must synthesize with zero unacknowledged findings,
 * every acknowledgement exact, reasoned, used and (for HIPAA) documented in docs/SECURITY.md;
 * a deliberately bad bucket, and a HIPAA-only finding in the real app, must fail it.
 * Also the Lambda bundles `cdk synth` writes: within their budgets (infra/bundling.ts), with the
 * bundling aliases applied.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, test } from '@jest/globals';
import { App, type CfnElement, Stack, Validations } from 'aws-cdk-lib';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as s3 from 'aws-cdk-lib/aws-s3';
import type { IConstruct } from 'constructs';
import { BUNDLE_BUDGET_KB } from '../../infra/bundling.ts';
import { addNagPacks } from '../../infra/nag.ts';
import { buildApp } from '../../infra/stack.ts';

const PACKS = ['AwsSolutions', 'HIPAA.Security'];
const ACK_ID = /^(AwsSolutions::AwsSolutions-[A-Z]+\d+(\[.+\])?|HIPAA\.Security::HIPAA\.Security-[A-Za-z0-9]+)$/;
/** HIPAA rules fixed in the stack (versioned buckets, backup plan): never acknowledged. */
const FIXED_HIPAA_RULES = ['S3BucketVersioningEnabled', 'DynamoDBInBackupPlan'];

interface Violation {
  ruleName: string;
  acknowledgedId?: string;
  violatingConstructs: { constructPath: string }[];
}
interface Report {
  pluginReports: {
    pluginName: string;
    conclusion: string;
    violations: Violation[];
    suppressedViolations?: Violation[];
  }[];
}
/** A temporary directory removed when the file's tests end. */
const tempDirs: string[] = [];
afterAll(() => {
  for (const d of tempDirs) rmSync(d, { recursive: true, force: true });
});
function tempDir(prefix: string): string {
  const d = mkdtempSync(join(tmpdir(), prefix));
  tempDirs.push(d);
  return d;
}

const readReport = (outdir: string): Report => JSON.parse(readFileSync(join(outdir, 'validation-report.json'), 'utf8'));

/** Every acknowledgement in the tree: [construct path, finding id, reason]. */
function acknowledgements(root: IConstruct): [string, string, string][] {
  const acks: [string, string, string][] = [];
  const walk = (c: IConstruct) => {
    for (const m of c.node.metadata) {
      if (m.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY) {
        for (const [id, reason] of Object.entries(m.data as Record<string, string>))
          acks.push([c.node.path, id, reason]);
      }
    }
    c.node.children.forEach(walk);
  };
  walk(root);
  return acks;
}

/**
 * The gate after a passing synth: both packs ran and passed; every acknowledgement is an exact
 * finding id with a reviewer-grade reason, on a construct below the stack, and suppresses a
 * finding that really occurs at or under that construct (no stale or misplaced acknowledgement).
 */
function assertGate(app: App, stack: Stack): [string, string, string][] {
  const report = readReport(app.outdir);
  for (const pack of PACKS) {
    const r = report.pluginReports.find((p) => p.pluginName === pack);
    assert.ok(r, `${pack} ran`);
    assert.equal(r.conclusion, 'success', pack);
    assert.equal(r.violations.length, 0, pack);
  }
  const suppressed = report.pluginReports.flatMap((p) => p.suppressedViolations ?? []);
  const acks = acknowledgements(app);
  assert.ok(acks.length > 0);
  for (const [path, id, reason] of acks) {
    assert.match(id, ACK_ID, `${path}: ${id}`);
    assert.ok(reason.length >= 60, `${path} ${id}: reason too thin`);
    assert.ok(path !== stack.node.path && path !== '', `${id} is acknowledged stack-wide`);
    const used = suppressed.some(
      (v) =>
        v.acknowledgedId === id &&
        v.violatingConstructs.some((c) => c.constructPath === path || c.constructPath.startsWith(`${path}/`)),
    );
    assert.ok(used, `${path}: ${id} suppresses nothing (stale or misplaced acknowledgement)`);
  }
  return acks;
}

describe('the bundled app', () => {
  let outdir: string;
  let built: ReturnType<typeof buildApp>;
  let template: Record<string, any>;
  beforeAll(() => {
    outdir = mkdtempSync(join(tmpdir(), 'carpeta-nag-'));
    built = buildApp({
      nag: true,
      bundle: true,
      validation: false,
      outdir,
      context: { companyName: 'Asesoría López', senderEmail: 'notificaciones@example.com' },
    });
    const t0 = performance.now();
    const assembly = built.app.synth(); // throws on any unacknowledged finding of either pack
    console.log(`synth with bundling + cdk-nag (AwsSolutions + HIPAA): ${(performance.now() - t0).toFixed(0)} ms`);
    template = assembly.getStackArtifact(built.stack.artifactId).template;
  });
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  test('passes AwsSolutions and HIPAA Security with every finding acknowledged by id and reason', () => {
    const acks = assertGate(built.app, built.stack);
    const hipaa = acks.filter(([, id]) => id.startsWith('HIPAA.Security::'));
    console.log(`${acks.length} acknowledgements (${hipaa.length} HIPAA)`);
    // HIPAA: the fixed rules stay fixed, and every acknowledged rule is listed with its reason in docs/SECURITY.md.
    const security = readFileSync(new URL('../../docs/SECURITY.md', import.meta.url), 'utf8');
    const compliance = security.slice(security.indexOf('## Compliance checks'));
    assert.ok(security.includes('## Compliance checks'), 'docs/SECURITY.md has a "Compliance checks" section');
    for (const rule of new Set(hipaa.map(([, id]) => id.replace('HIPAA.Security::HIPAA.Security-', '')))) {
      assert.ok(!FIXED_HIPAA_RULES.includes(rule), `${rule} is fixed in the stack, not acknowledged`);
      assert.ok(compliance.includes(`\`${rule}\``), `docs/SECURITY.md "Compliance checks" lists ${rule}`);
    }
  });

  // Bundle sizes: each function's asset directory (asset.<hash>) holds one index.mjs.
  for (const name of ['staff', 'portal', 'link'] as const) {
    const budget = BUNDLE_BUDGET_KB[`${name}-api`];
    test(`${name}-api bundle under ${budget} KB, with the SDK's unreachable credential providers left out`, () => {
      const fn = built.stack.api.functions[name];
      const id = Stack.of(fn).getLogicalId(fn.node.defaultChild as CfnElement);
      const s3Key: string = template.Resources[id].Properties.Code.S3Key; // <asset hash>.zip
      const file = join(outdir, `asset.${s3Key.replace(/\.zip$/, '')}`, 'index.mjs');
      const code = readFileSync(file, 'utf8');
      const size = statSync(file).size;
      console.log(`bundle ${name}-api: ${(size / 1024).toFixed(1)} KB`);
      assert.ok(code.startsWith("import { createRequire } from 'module';"), 'ESM require shim banner');
      if (name === 'link') assert.ok(code.includes('status:"ok"'), 'route handlers are bundled (GET /health)');
      assert.ok(code.includes('AWS_ACCESS_KEY_ID'), 'the SDK (and its environment credential provider) is bundled');
      assert.ok(!code.includes('Could not load credentials from any providers'), 'the default chain is aliased away');
      assert.ok(size <= budget * 1024, `${name} bundle is ${(size / 1024).toFixed(1)} KB`);
    });
  }
});

/** A variant of the app (bundle off, nag on) synthesized and held to the same gate; returns its template. */
function gatedVariant(context: Record<string, unknown>) {
  const outdir = tempDir('carpeta-nag-variant-');
  const { app, stack } = buildApp({ nag: true, bundle: false, validation: false, outdir, context });
  const template = app.synth().getStackArtifact(stack.artifactId).template;
  assertGate(app, stack);
  return template;
}

test('the variant with custom domain, certificate, mail domain, SES sandbox and threat protection passes too', () => {
  const template = gatedVariant({
    companyName: 'Clínica Radiológica Sur',
    senderEmail: 'avisos@carpeta.clinica.example',
    domain: 'carpeta.clinica.example',
    certificateArn: 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000',
    sesSandbox: 'true',
    threatProtection: 'true',
  });
  const types = Object.values<{ Type: string }>(template.Resources).map((r) => r.Type);
  assert.ok(types.includes('AWS::SES::EmailIdentity'));
  const identity = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::SES::EmailIdentity');
  assert.equal(identity.Properties.EmailIdentity, 'carpeta.clinica.example', 'domain identity');
  const pool = Object.values<any>(template.Resources).find((r) => r.Type === 'AWS::Cognito::UserPool');
  assert.equal(pool.Properties.UserPoolTier, 'PLUS');
  assert.ok(Object.keys(template.Outputs).includes('DkimRecord1'));
});

test('the variant with an existing sender identity (-c senderIdentity=existing) passes too', () => {
  gatedVariant({ senderEmail: 'avisos@lopez.example', senderIdentity: 'existing', mailDomain: 'lopez.example' });
});

test('negative control: a public, non-TLS, unversioned bucket fails the same gate, in both packs', () => {
  const app = new App({
    builtinCloudFormationValidation: false,
    outdir: mkdtempSync(join(tmpdir(), 'carpeta-nag-bad-')),
  });
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
  addNagPacks(app);
  try {
    assert.throws(() => app.synth(), /Validation ?failed/i);
    const report = readFileSync(join(app.outdir, 'validation-report.json'), 'utf8');
    for (const rule of [
      'AwsSolutions-S1',
      'AwsSolutions-S2',
      'AwsSolutions-S10',
      'HIPAA.Security-S3BucketSSLRequestsOnly',
      'HIPAA.Security-S3BucketPublicReadProhibited',
      'HIPAA.Security-S3BucketVersioningEnabled',
    ]) {
      assert.ok(report.includes(`"${rule}"`), rule);
    }
  } finally {
    rmSync(app.outdir, { recursive: true, force: true });
  }
});

test(
  'negative control: a finding only the HIPAA pack reports ' + '(a table outside any backup plan) fails the real app',
  () => {
    const outdir = tempDir('carpeta-nag-hipaa-');
    const { app, stack } = buildApp({
      nag: true,
      bundle: false,
      validation: false,
      outdir,
      context: { senderEmail: 'a@example.com' },
    });
    // AwsSolutions-clean (PITR on, on-demand, AWS-managed encryption), but not in the stack's backup plan.
    new dynamodb.Table(stack, 'Unprotected', {
      partitionKey: { name: 'PK', type: dynamodb.AttributeType.STRING },
      billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
      pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
    });
    assert.throws(() => app.synth(), /Validation ?failed/i);
    const failing = readReport(outdir).pluginReports.flatMap((p) =>
      p.violations.map((v) => [p.pluginName, v.ruleName, v.violatingConstructs.map((c) => c.constructPath)]),
    );
    assert.deepEqual(failing, [
      ['HIPAA.Security', 'HIPAA.Security-DynamoDBInBackupPlan', [`${stack.node.path}/Unprotected/Resource`]],
    ]);
  },
);
