/**
 * Physical names, as CloudFormation would resolve them at deploy time, across several deployments:
 * two companies in one account and region, and one company in two regions. No two resources of a
 * type whose names are unique per account or per region may share one; and a retained resource's
 * name must change when the stack is created again (after a destroy, or the rollback of a failed
 * first deploy), else the next deploy fails on the resource the last one left behind.
 */

import assert from 'node:assert/strict';
import { test } from '@jest/globals';
import { type Deployment, NAMED_TYPES, namesOf, resolveName } from '../support/names.ts';
import { infraSynth } from '../support/synth.ts';

/** Pairs of deployments that would clash: same type, same name, in the same account and (unless global) region. */
function clashes(deployments: Deployment[]): string[] {
  const seen = new Map<string, string>();
  const found: string[] = [];
  for (const d of deployments) {
    for (const [type, id, name] of namesOf(d)) {
      const scope = NAMED_TYPES[type].global ? d.account : `${d.account}/${d.region}`;
      const key = `${type} ${scope} ${name}`;
      const where = `${d.label}:${id}`;
      const other = seen.get(key);
      if (other && other.split(':')[0] !== d.label) found.push(`${type} "${name}" in ${other} and ${where}`);
      else seen.set(key, where);
    }
  }
  return found;
}

const synth = infraSynth('names');
let stacks = 0;
const uuid = () => `${(++stacks).toString(16).padStart(8, '0')}-aaaa-4bbb-8ccc-${'d'.repeat(12)}`;

function deploy(label: string, region: string, context: Record<string, unknown>, stackId = uuid()): Deployment {
  const { stack, resources } = synth({ ...context, region });
  const account = '123456789012';
  return {
    label,
    account,
    region,
    stackName: stack.stackName,
    stackId: `arn:aws:cloudformation:${region}:${account}:stack/${stack.stackName}/${stackId}`,
    resources,
  };
}

const CERT = 'arn:aws:acm:us-east-1:123456789012:certificate/00000000-0000-0000-0000-000000000000';
const lopez = { companyName: 'Asesoría López', senderEmail: 'avisos@lopez.example', alarmEmail: 'ops@lopez.example' };
const sur = { companyName: 'Clínica Sur', senderEmail: 'avisos@sur.example', stackName: 'CarpetaSur' };

test('two companies in one account and region share no physical name', () => {
  const found = clashes([deploy('lopez', 'eu-west-1', lopez), deploy('sur', 'eu-west-1', sur)]);
  assert.deepEqual(found, []);
});

test('one company in two regions shares no physical name (account-wide ones included)', () => {
  const found = clashes([
    deploy('lopez-ireland', 'eu-west-1', lopez),
    deploy('lopez-frankfurt', 'eu-central-1', lopez),
  ]);
  assert.deepEqual(found, []);
});

test('the names that must be set are set, and carry the stack name, the region and the stack id', () => {
  const d = deploy('lopez', 'eu-west-1', lopez, '51af3dc0-da77-11e4-872e-1234567db123');
  const names = namesOf(d);
  for (const type of [
    'AWS::Backup::BackupVault',
    'AWS::Backup::BackupPlan',
    'AWS::CloudFront::ResponseHeadersPolicy',
    'AWS::CloudFront::OriginAccessControl',
    'AWS::CloudWatch::Dashboard',
  ]) {
    const mine = names.filter(([t]) => t === type);
    assert.equal(mine.length, 1, type);
    assert.match(mine[0][2], /^Carpeta-eu-west-1-51af3dc0-[a-z-]+$/, `${type}: ${mine[0][2]}`);
  }
  const vault = names.find(([t]) => t === 'AWS::Backup::BackupVault')![2];
  assert.ok(vault.length <= 50, vault);
});

test('a retained resource never keeps a name fixed at synth time: a new stack of the same name gets new names', () => {
  for (const context of [lopez, { ...sur, domain: 'carpeta.sur.example', certificateArn: CERT }]) {
    const first = deploy('first', 'eu-west-1', context);
    const again = deploy('again', 'eu-west-1', context); // same stack name, account and region; new stack id
    const retained = Object.entries(first.resources).filter(
      ([, r]) => r.DeletionPolicy === 'Retain' || r.UpdateReplacePolicy === 'Retain',
    );
    assert.ok(retained.length >= 5, 'table, buckets, pool, log groups, vault are retained');
    for (const [id, r] of retained) {
      const spec = NAMED_TYPES[r.Type];
      const explicit = Object.keys(r.Properties ?? {}).filter(
        (k) => /Name$/.test(k) && typeof r.Properties[k] !== 'object',
      );
      assert.deepEqual(explicit, [], `${id} (${r.Type}) has a literal name`);
      const raw = spec?.name(r.Properties ?? {});
      if (raw === undefined) continue; // CloudFormation names it, with a random suffix per creation
      const a = resolveName(raw, first);
      const b = resolveName(spec.name(again.resources[id].Properties), again);
      assert.notEqual(a, b, `${id} (${r.Type}) would be named "${a}" again after a destroy`);
    }
  }
});

test('negative control: the check sees shared names (a fixed backup plan name, a dashboard without region)', () => {
  const fake = (label: string, region: string): Deployment => ({
    label,
    account: '123456789012',
    region,
    stackName: 'Carpeta',
    stackId: `arn:aws:cloudformation:${region}:123456789012:stack/Carpeta/${uuid()}`,
    resources: {
      Plan: { Type: 'AWS::Backup::BackupPlan', Properties: { BackupPlan: { BackupPlanName: 'BackupPlan' } } },
      Board: {
        Type: 'AWS::CloudWatch::Dashboard',
        Properties: { DashboardName: { 'Fn::Sub': '${AWS::StackName}-ops' } },
      },
    },
  });
  assert.equal(clashes([fake('a', 'eu-west-1'), fake('b', 'eu-west-1')]).length, 2);
  assert.deepEqual(clashes([fake('a', 'eu-west-1'), fake('b', 'eu-central-1')]), [
    'AWS::CloudWatch::Dashboard "Carpeta-ops" in a:Board and b:Board',
  ]);
});
