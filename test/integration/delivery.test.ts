/**
 * Issue 17, "Deliver to many clients at once, and prove who received, opened and acknowledged",
 * through HTTP against the local stack with real tokens: client identity on folders,
 * acknowledgement of receipt, receipts and what clients have not opened, routing by tax id.
 */

import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, it } from '@jest/globals';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { makeFolder } from '../support/story.ts';

describe('delivery to clients', () => {
  let t: TestStack;
  let staff: string;
  beforeAll(async () => {
    t = await startTestStack();
    staff = await t.adminToken();
  });
  afterAll(() => t?.stop());

  const patch = (id: string, body: Record<string, unknown>) => t.api('PATCH', `/folders/${id}`, { token: staff, body });

  it('a folder carries the client tax id and code: normalised, unique in the company, cleared with null', async () => {
    const a = await makeFolder(t, staff, 'Cliente Identidad A');
    const b = await makeFolder(t, staff, 'Cliente Identidad B');
    const set = await patch(a.id, { taxId: '12.345.678-z', clientCode: 'c-0042', version: a.version });
    assert.equal(set.status, 200, JSON.stringify(set.body));
    assert.equal(set.body.taxId, '12345678Z');
    assert.equal(set.body.clientCode, 'C-0042');
    const shown = await t.api('GET', `/folders/${a.id}`, { token: staff });
    assert.equal(shown.body.folder.taxId, '12345678Z');
    const listed = await t.api('GET', '/folders/root', { token: staff });
    assert.equal(listed.body.folders.find((f: any) => f.id === a.id).clientCode, 'C-0042');

    const taken = await patch(b.id, { taxId: '12345678z', version: b.version });
    assert.equal(taken.status, 409);
    assert.equal(taken.body.error.code, 'tax_id_taken');
    const codeTaken = await patch(b.id, { clientCode: 'C-0042', version: b.version });
    assert.equal(codeTaken.body.error.code, 'client_code_taken');

    const wrong = await patch(b.id, { taxId: '12345678A', version: b.version });
    assert.equal(wrong.status, 400);
    assert.equal(wrong.body.error.field, 'taxId');
    assert.equal(wrong.body.error.rule, 'check_character');

    // A changes its tax id: the old one is free for B at once.
    const moved = await patch(a.id, { taxId: 'B12345674', version: set.body.version });
    assert.equal(moved.status, 200, JSON.stringify(moved.body));
    const bTakes = await patch(b.id, { taxId: '12345678Z', version: b.version });
    assert.equal(bTakes.status, 200, JSON.stringify(bTakes.body));
    const cleared = await patch(a.id, { taxId: null, clientCode: null, version: moved.body.version });
    assert.equal(cleared.status, 200);
    assert.equal(cleared.body.taxId, null);
    assert.equal(cleared.body.clientCode, null);
    const bCode = await patch(b.id, { clientCode: 'C-0042', version: bTakes.body.version });
    assert.equal(bCode.status, 200, JSON.stringify(bCode.body));
  });
});
