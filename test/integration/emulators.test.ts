/**
 * The benchmark settles dynalite's LevelDB after a bulk seed (Emulators.compactStorage, used by
 * bench/core.ts; run here in test/support/emulators-child.ts). It reaches the store through a hook
 * on the `level` package dynalite loads, so a dynalite or level upgrade that moves it must fail
 * here, not in the middle of a two-hour run; and compacting must leave every item where it was,
 * with the emulator still serving reads and writes.
 */
import assert from 'node:assert/strict';
import { type ChildProcessWithoutNullStreams, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createInterface } from 'node:readline';
import {
  BatchWriteItemCommand,
  CreateTableCommand,
  DynamoDBClient,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, it } from '@jest/globals';

const TABLE = 'compact-test';
const S = (v: string) => ({ S: v });

describe("dynalite's storage, compacted after a bulk write", () => {
  let dir: string;
  let child: ChildProcessWithoutNullStreams;
  let db: DynamoDBClient;
  let lines: AsyncIterator<string>;

  /** The child's next JSON line. */
  const next = async (): Promise<Record<string, any>> => {
    const { value, done } = await lines.next();
    if (done) throw new Error('the emulators child exited');
    return JSON.parse(value);
  };

  beforeAll(async () => {
    // In a child process, as the bench runs its stack (the Cognito emulator is ESM, which jest cannot require).
    dir = mkdtempSync(path.join(tmpdir(), 'carpeta-emulators-'));
    child = spawn(process.execPath, ['--import', 'tsx', 'test/support/emulators-child.ts', dir], {
      env: { ...process.env, NODE_OPTIONS: '', AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1' },
    });
    child.stderr.pipe(process.stderr);
    lines = createInterface({ input: child.stdout })[Symbol.asyncIterator]();
    const ready = await next();
    assert.equal(ready.engine, 'dynalite');
    db = new DynamoDBClient({
      endpoint: ready.dynamodb,
      region: 'eu-west-1',
      credentials: { accessKeyId: 'test', secretAccessKey: 'test' },
    });
    await db.send(
      new CreateTableCommand({
        TableName: TABLE,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'PK', AttributeType: 'S' },
          { AttributeName: 'SK', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'PK', KeyType: 'HASH' },
          { AttributeName: 'SK', KeyType: 'RANGE' },
        ],
      }),
    );
  });

  afterAll(async () => {
    db?.destroy();
    if (child && child.exitCode === null) {
      const exited = new Promise((r) => child.once('exit', r));
      child.stdin.write('stop\n');
      await exited;
    }
    rmSync(dir, { recursive: true, force: true });
  });

  const all = async (pk: string) => {
    const out: string[] = [];
    let start: Record<string, any> | undefined;
    do {
      const page = await db.send(
        new QueryCommand({
          TableName: TABLE,
          KeyConditionExpression: 'PK = :pk',
          ExpressionAttributeValues: { ':pk': S(pk) },
          ExclusiveStartKey: start,
        }),
      );
      out.push(...(page.Items ?? []).map((i) => i.SK.S!));
      start = page.LastEvaluatedKey;
    } while (start);
    return out;
  };

  it('keeps every item, in order, and goes on serving writes', async () => {
    const written = Array.from({ length: 2_000 }, (_, i) => `item#${String(i).padStart(5, '0')}`);
    for (let i = 0; i < written.length; i += 25)
      await db.send(
        new BatchWriteItemCommand({
          RequestItems: {
            [TABLE]: written.slice(i, i + 25).map((sk) => ({ PutRequest: { Item: { PK: S('P'), SK: S(sk) } } })),
          },
        }),
      );

    child.stdin.write('compact\n');
    const answer = await next();
    assert.equal(answer.error, undefined, `compactStorage failed: ${answer.error}`);
    assert.equal(typeof answer.compacted, 'number');
    assert.deepEqual(await all('P'), written);

    await db.send(new PutItemCommand({ TableName: TABLE, Item: { PK: S('P'), SK: S('item#99999') } }));
    assert.deepEqual(await all('P'), [...written, 'item#99999']);
  });
});
