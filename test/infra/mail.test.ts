/**
 * The sender's SES identity: created by the stack (default), or one that already exists in the
 * account and region (`-c senderIdentity=existing`), which the stack only references: no identity
 * resource to collide with it or to delete it on destroy, and the same narrow send grant on it.
 */

import assert from 'node:assert/strict';
import { test } from '@jest/globals';
import { infraSynth } from '../support/synth.ts';

type Json = Record<string, any>;

const synthStack = infraSynth('mail');
const synth = (context: Record<string, unknown>) => {
  const { stack, resources, outputs } = synthStack(context);
  return { stack, resources: Object.values(resources), outputs: Object.keys(outputs) };
};
const ofType = (resources: Json[], type: string) => resources.filter((r) => r.Type === type);
/** The identity ARNs the Allow statements with ses:SendEmail name, as `identity/<name>`. */
const sendIdentities = (resources: Json[]) =>
  ofType(resources, 'AWS::IAM::Policy')
    .flatMap((p) => p.Properties.PolicyDocument.Statement as Json[])
    .filter((s) => s.Effect === 'Allow' && [s.Action].flat().includes('ses:SendEmail'))
    .flatMap((s) => [s.Resource].flat())
    .map((r) => JSON.stringify(r).match(/identity\/([^"]+)"/)?.[1])
    .filter(Boolean);

test('default: the stack creates the sender identity and grants send on it', () => {
  const { resources } = synth({});
  const identities = ofType(resources, 'AWS::SES::EmailIdentity');
  assert.equal(identities.length, 1);
  assert.equal(identities[0].Properties.EmailIdentity, 'avisos@lopez.example');
  assert.deepEqual([...new Set(sendIdentities(resources))], ['avisos@lopez.example']);
});

test('senderIdentity=existing: no identity resource, the configuration set and the same send grant remain', () => {
  const { stack, resources, outputs } = synth({ senderIdentity: 'existing' });
  assert.equal(ofType(resources, 'AWS::SES::EmailIdentity').length, 0);
  assert.equal(stack.mail.identity, undefined);
  assert.equal(ofType(resources, 'AWS::SES::ConfigurationSet').length, 1);
  const grants = sendIdentities(resources);
  assert.equal(grants.length, 2, 'staff and jobs may send (the link function sends no mail)');
  assert.deepEqual([...new Set(grants)], ['avisos@lopez.example']);
  const staffEnv = resources.find((r) => r.Properties?.Environment?.Variables?.CARPETA_FUNCTION === 'staff')!;
  assert.equal(staffEnv.Properties.Environment.Variables.MAIL_FROM, 'avisos@lopez.example');
  assert.ok(staffEnv.Properties.Environment.Variables.MAIL_CONFIGURATION_SET, 'sends name the configuration set');
  assert.ok(!outputs.some((o) => o.startsWith('DkimRecord')));
});

test('an existing domain identity: the grant names the domain, no DKIM outputs (its records are published)', () => {
  const { resources, outputs } = synth({ senderIdentity: 'existing', mailDomain: 'lopez.example' });
  assert.equal(ofType(resources, 'AWS::SES::EmailIdentity').length, 0);
  assert.deepEqual([...new Set(sendIdentities(resources))], ['lopez.example']);
  assert.ok(!outputs.some((o) => o.startsWith('DkimRecord')));
  const created = synth({ mailDomain: 'lopez.example' });
  assert.equal(ofType(created.resources, 'AWS::SES::EmailIdentity')[0].Properties.EmailIdentity, 'lopez.example');
  assert.ok(created.outputs.includes('DkimRecord1'));
});

test('senderIdentity takes create or existing only', () => {
  assert.throws(() => synth({ senderIdentity: 'reuse' }), /senderIdentity "reuse" must be create .* or existing/);
});
