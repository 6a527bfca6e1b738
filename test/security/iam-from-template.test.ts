/**
 * The gateway's IAM comes from the synthesized template, so a grant missing
 * from a role fails locally exactly where it would fail in AWS: a copy of the
 * template with one statement taken out of the portal function's policy (its
 * leading-key write: activity events, sessions, rate counters) is served with
 * the real assets; the portal's folder page, which records a `folder.listed`
 * event before it answers, now fails as it would in AWS (a 500 with the generic
 * body), and the gateway logs which function, action, resource and why.
 */

import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { loadArtifacts } from '../../local/artifacts.ts';
import type { Json } from '../../local/cfn.ts';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { makeClient, makeFolder } from '../support/story.ts';

/** The template with the portal role's statement that allows PutItem removed. */
async function withoutPortalWrites(): Promise<{ file: string; removed: Json }> {
  const { template } = await loadArtifacts();
  const copy = structuredClone(template);
  const [, policy] = Object.entries(copy.Resources).find(
    ([id, r]) => r.Type === 'AWS::IAM::Policy' && /^Apiportalrole/.test(id),
  )!;
  const statements = policy.Properties!.PolicyDocument.Statement as Json[];
  const i = statements.findIndex((s) => [s.Action].flat().includes('dynamodb:PutItem'));
  assert.ok(i >= 0, 'the portal role allows PutItem (on its own key prefixes)');
  const [removed] = statements.splice(i, 1);
  const dir = mkdtempSync(path.join(tmpdir(), 'carpeta-iam-'));
  const file = path.join(dir, 'template.json');
  writeFileSync(file, JSON.stringify(copy));
  return { file, removed };
}

describe('a statement removed from a role in the template fails the route that needs it, locally', () => {
  let t: TestStack;
  let file: string;
  beforeAll(async () => {
    ({ file } = await withoutPortalWrites());
    t = await startTestStack({}, { templatePath: file });
  });
  afterAll(async () => {
    await t?.stop();
    rmSync(path.dirname(file), { recursive: true, force: true });
  });

  it('GET /portal/folders/{id} is a 500 with the generic body, and the denial is logged with its reason', async () => {
    const staff = await t.adminToken();
    const folder = await makeFolder(t, staff, 'Sin permiso');
    const client = await makeClient(t, staff, [folder.id]);
    const res = await t.api('GET', `/portal/folders/${folder.id}`, { token: client.token });
    assert.equal(res.status, 500, JSON.stringify(res.body));
    assert.deepEqual(res.body, { error: { code: 'internal', message: 'Something went wrong on our side.' } });
    // Staff routes are untouched: only the portal's role lost the statement.
    assert.equal((await t.api('GET', `/folders/${folder.id}`, { token: staff })).status, 200);

    const denial = (await t.denials()).find((d) => d.function === 'portal' && d.action === 'dynamodb:PutItem');
    assert.ok(denial, 'the gateway recorded the denial');
    assert.match(denial.resource, /:table\//);
    assert.match(denial.reason, /no identity-based policy allows the dynamodb:PutItem action/);
    const line = t
      .logs()
      .split('\n')
      .map((l) => (l.includes('"access denied"') ? JSON.parse(l) : undefined))
      .find((l) => l?.function === 'portal' && l.action === 'dynamodb:PutItem');
    assert.ok(line, 'and logged it');
    assert.equal(line.source, 'aws-gateway');
    assert.ok(line.reason && line.resource);
    assert.match(
      JSON.stringify(line.context['dynamodb:LeadingKeys']),
      /ACT#/,
      'with the key the request tried to write',
    );
  });
});
