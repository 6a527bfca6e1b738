/**
 * For the diagnosis only (`--dynamo process`): the DynamoDB emulator in its own
 * process instead of the stack's event loop, with the stack's table copied
 * over (same keys and indexes). In the local stack everything shares one
 * thread, so calls a request makes in parallel (one round) are served one after
 * the other; in its own process the emulator at least stops competing with the
 * handlers for that thread. The difference tells how much of a route's time is
 * the local arrangement rather than the route's rounds.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CreateTableCommand, DescribeTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export async function startDynamoProcess(dir: string): Promise<{ url: string; stop: () => Promise<void> }> {
  mkdirSync(dir, { recursive: true });
  const script = `require('dynalite')({ path: ${JSON.stringify(dir)}, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 }).listen(0, '127.0.0.1', function () { console.log('PORT ' + this.address().port) })`;
  const child: ChildProcess = spawn(process.execPath, ['-e', script], { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d;
      const m = /PORT (\d+)/.exec(out);
      if (m) resolve(Number(m[1]));
    });
    child.once('exit', (code) => reject(new Error(`dynalite process exited ${code}`)));
  });
  return {
    url: `http://127.0.0.1:${port}`,
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.kill('SIGTERM');
      }),
  };
}

/** Creates `table` at `to` with the key schema and indexes it has at `from`. */
export async function copyTableDefinition(from: string, to: string, table: string): Promise<void> {
  const opts = { region: 'us-east-1', credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' } };
  const src = new DynamoDBClient({ ...opts, endpoint: from });
  const dst = new DynamoDBClient({ ...opts, endpoint: to });
  try {
    const { Table: t } = await src.send(new DescribeTableCommand({ TableName: table }));
    await dst.send(
      new CreateTableCommand({
        TableName: table,
        KeySchema: t!.KeySchema,
        AttributeDefinitions: t!.AttributeDefinitions,
        BillingMode: 'PAY_PER_REQUEST',
        GlobalSecondaryIndexes: t!.GlobalSecondaryIndexes?.map((g) => ({ IndexName: g.IndexName, KeySchema: g.KeySchema, Projection: g.Projection })),
      }),
    );
  } finally {
    src.destroy();
    dst.destroy();
  }
}
