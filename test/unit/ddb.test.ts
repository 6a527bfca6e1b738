/**
 * functions/store/ddb.ts against @aws-sdk/lib-dynamodb: for the same command
 * input, the JSON body we send equals the one the SDK's document client sends
 * (with our marshall options), and for the same wire response our output
 * equals the SDK's.
 */
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import * as lib from '@aws-sdk/lib-dynamodb';
import { marshall as sdkMarshall } from '@aws-sdk/util-dynamodb';
import * as ours from '../../functions/store/ddb.ts';

/** A document client whose transport records the request body and answers `reply`. */
function sdkClient(reply: unknown) {
  const seen: { target?: string; body?: unknown } = {};
  const raw = new DynamoDBClient({
    region: 'eu-west-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'y' },
    maxAttempts: 1,
    requestHandler: {
      handle: async (req: { headers: Record<string, string>; body: string | Uint8Array }) => {
        seen.target = req.headers['x-amz-target'];
        seen.body = JSON.parse(typeof req.body === 'string' ? req.body : new TextDecoder().decode(req.body));
        return { response: { statusCode: 200, headers: { 'content-type': 'application/x-amz-json-1.0' }, body: Readable.from([Buffer.from(JSON.stringify(reply))]) } };
      },
    } as never,
  });
  const doc = lib.DynamoDBDocumentClient.from(raw, { marshallOptions: { removeUndefinedValues: true, convertClassInstanceToMap: false } });
  return { doc, seen };
}

const bytes = new Uint8Array([0, 1, 2, 250, 255]);
const item = {
  PK: 'FOLDER#ñandú',
  SK: 'META',
  empty: '',
  n: 42,
  f: -3.25,
  zero: 0,
  big: 12345678901234567890n,
  yes: true,
  no: false,
  nothing: null,
  skipped: undefined,
  list: ['a', 1, undefined, null, { x: undefined, y: [true] }, []],
  map: { a: { b: { c: 'deep' } }, gone: undefined, e: {} },
  bin: bytes,
  tags: new Set(['x', 'y']),
  nums: new Set([1, 2.5]),
};

/** Wire form of `item` as DynamoDB would return it. */
const wireItem = {
  PK: { S: 'FOLDER#ñandú' },
  SK: { S: 'META' },
  empty: { S: '' },
  n: { N: '42' },
  f: { N: '-3.25' },
  zero: { N: '0' },
  big: { N: '12345678901234567890' },
  yes: { BOOL: true },
  nothing: { NULL: true },
  list: { L: [{ S: 'a' }, { N: '1' }, { NULL: true }, { M: { y: { L: [{ BOOL: true }] } } }, { L: [] }] },
  map: { M: { a: { M: { b: { M: { c: { S: 'deep' } } } } }, e: { M: {} } } },
  bin: { B: Buffer.from(bytes).toString('base64') },
  tags: { SS: ['x', 'y'] },
  nums: { NS: ['1', '2.5'] },
};

type Pair = [string, (m: typeof ours | typeof lib) => any, unknown];
const cases: Pair[] = [
  ['GetItem', (m) => new m.GetCommand({ TableName: 't', Key: { PK: 'a', SK: 'b' }, ConsistentRead: true }), { Item: wireItem, ConsumedCapacity: { TableName: 't', CapacityUnits: 1 } }],
  ['GetItem', (m) => new m.GetCommand({ TableName: 't', Key: { PK: 'a', SK: 'b' } }), {}],
  ['PutItem', (m) => new m.PutCommand({ TableName: 't', Item: item, ConditionExpression: 'attribute_not_exists(PK)' }), {}],
  [
    'UpdateItem',
    (m) =>
      new m.UpdateCommand({
        TableName: 't',
        Key: { PK: 'a', SK: 'b' },
        UpdateExpression: 'SET #n = :name, tags = :t REMOVE x',
        ConditionExpression: '#v = :v',
        ExpressionAttributeNames: { '#n': 'name', '#v': 'version' },
        ExpressionAttributeValues: { ':name': 'Árbol', ':v': 3, ':t': ['a', undefined], ':u': undefined },
        ReturnValues: 'ALL_NEW',
      }),
    { Attributes: wireItem },
  ],
  ['DeleteItem', (m) => new m.DeleteCommand({ TableName: 't', Key: { PK: 'a', SK: 'b' }, ConditionExpression: 'id = :id', ExpressionAttributeValues: { ':id': 'x' } }), {}],
  [
    'Query',
    (m) =>
      new m.QueryCommand({
        TableName: 't',
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': 'CHILD#root' },
        ScanIndexForward: false,
        Limit: 25,
        ExclusiveStartKey: { PK: 'a', SK: 'b', GSI1PK: 'CHILD#root', GSI1SK: '1#x' },
      }),
    { Items: [wireItem, { PK: { S: 'p' }, SK: { S: 's' } }], Count: 2, ScannedCount: 2, LastEvaluatedKey: { PK: { S: 'p' }, SK: { S: 's' } } },
  ],
  [
    'BatchGetItem',
    (m) => new m.BatchGetCommand({ RequestItems: { t: { Keys: [{ PK: 'a', SK: 'b' }, { PK: 'c', SK: 'd' }], ConsistentRead: true } } }),
    { Responses: { t: [wireItem] }, UnprocessedKeys: { t: { Keys: [{ PK: { S: 'c' }, SK: { S: 'd' } }], ConsistentRead: true } } },
  ],
  [
    'BatchWriteItem',
    (m) => new m.BatchWriteCommand({ RequestItems: { t: [{ PutRequest: { Item: item } }, { DeleteRequest: { Key: { PK: 'a', SK: 'b' } } }] } }),
    { UnprocessedItems: { t: [{ PutRequest: { Item: wireItem } }, { DeleteRequest: { Key: { PK: { S: 'a' }, SK: { S: 'b' } } } }] } },
  ],
];

describe('DynamoDB commands match @aws-sdk/lib-dynamodb', () => {
  for (const [op, make, reply] of cases) {
    it(`${op}: same request body, same output`, async () => {
      const { doc, seen } = sdkClient(reply);
      const sdkOut = await doc.send(make(lib));
      const cmd = make(ours) as ours.DdbCommand<unknown, Record<string, unknown>>;
      assert.equal(`DynamoDB_20120810.${cmd.operation}`, seen.target);
      assert.deepEqual(JSON.parse(JSON.stringify(cmd.toWire())), seen.body);
      const { $metadata: _m, ...expected } = sdkOut as Record<string, unknown>;
      assert.deepEqual(cmd.fromWire(JSON.parse(JSON.stringify(reply))), expected);
    });
  }

  it('refuses what the SDK refuses', () => {
    for (const bad of [{ d: new Date() }, { n: Number.NaN }, { n: 2 ** 60 }, { s: new Set() }]) {
      assert.throws(() => ours.marshall(bad));
      assert.throws(() => sdkMarshall(bad, { removeUndefinedValues: true, convertClassInstanceToMap: false }));
    }
  });
});
