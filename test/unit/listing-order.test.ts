import assert from 'node:assert/strict';
import { describe, it } from '@jest/globals';
import { DEFAULT_ORDER, modifiedSortKey, orderOf, phaseOrder, sizeSortKey } from '../../functions/domain/listing.ts';
import { childrenKeys, fileKeys, folderKeys } from '../../functions/store/keys.ts';

describe('listing orders: sort keys sort as the values do', () => {
  it('pads sizes so string order is number order', () => {
    const sizes = [0, 9, 10, 1_000, 999_999, 2 ** 40, Number.MAX_SAFE_INTEGER];
    const keys = sizes.map(sizeSortKey);
    assert.deepEqual([...keys].sort(), keys);
    assert.ok(keys.every((k) => k.length === 16));
    assert.throws(() => sizeSortKey(-1));
    assert.throws(() => sizeSortKey(1.5));
  });

  it('writes modification times in one shape, so string order is time order', () => {
    assert.equal(modifiedSortKey('2026-12-01T10:00:00Z'), '2026-12-01T10:00:00.000Z');
    assert.equal(modifiedSortKey('2026-12-01T11:00:00+01:00'), '2026-12-01T10:00:00.000Z');
    const times = ['2025-01-01T00:00:00.000Z', '2026-02-03T04:05:06.007Z', '2026-12-01T10:00:00.000Z'];
    assert.deepEqual([...times.map(modifiedSortKey)].sort(), times);
    assert.throws(() => modifiedSortKey('yesterday'));
  });

  it('keeps folders before files in each index, whatever the values', () => {
    const folder = folderKeys.sorted({ id: 'f', updatedAt: '2030-01-01T00:00:00.000Z' }).GSI3SK;
    const file = fileKeys.sorted({ id: 'a', updatedAt: '2001-01-01T00:00:00.000Z', size: 0 });
    assert.ok(folder < file.GSI3SK);
    assert.ok(file.GSI4SK.startsWith(childrenKeys.filePrefix));
    assert.equal(childrenKeys.order('size', 'folder').index, 'GSI1', 'folders have no size: listed by name');
    assert.equal(childrenKeys.order('size', 'file').index, 'GSI4');
    assert.equal(childrenKeys.order('modified', 'folder').index, 'GSI3');
  });

  it('lists folders A to Z under "size", and takes the default for what was not asked', () => {
    assert.deepEqual(phaseOrder({ sort: 'size', order: 'desc' }, 'folder'), DEFAULT_ORDER);
    assert.deepEqual(phaseOrder({ sort: 'size', order: 'desc' }, 'file'), { sort: 'size', order: 'desc' });
    assert.deepEqual(phaseOrder({ sort: 'name', order: 'desc' }, 'folder'), { sort: 'name', order: 'desc' });
    assert.deepEqual(orderOf({}), DEFAULT_ORDER);
    assert.deepEqual(orderOf({ order: 'desc' }), { sort: 'name', order: 'desc' });
  });
});
