/**
 * Seeds a size straight into the table with BatchWriteItem (25 items a call,
 * several calls in flight), retrying what DynamoDB hands back unprocessed.
 * Runs in a worker thread; reports progress and, at the end, the count.
 * With a deadline it stops there (whole batches only) and says it is partial, and how many files it wrote
 * (every item pulled from the generator is written, so they are the first of `fileOrder`).
 */
import { parentPort, workerData } from 'node:worker_threads';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { BatchWriteCommand, DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { allItems, type Person, type SizeSpec } from './model.ts';

const { endpoint, spec, real, staffId, nowMs, concurrency, deadlineMs } = workerData as {
  endpoint: string;
  spec: SizeSpec;
  real: Person[];
  staffId: string;
  nowMs: number;
  concurrency: number;
  deadlineMs?: number;
};

const db = DynamoDBDocumentClient.from(
  new DynamoDBClient({
    endpoint,
    region: 'us-east-1',
    credentials: { accessKeyId: 'S3RVER', secretAccessKey: 'S3RVER' },
  }),
  { marshallOptions: { removeUndefinedValues: true } },
);
const table = () => process.env.TABLE_NAME!;

async function main() {
  const progress = { files: 0 };
  const items = allItems(spec, real, staffId, new Date(nowMs), progress);
  let written = 0;
  let done = false;
  let partial = false;
  const next = () => {
    const chunk: Array<Record<string, unknown>> = [];
    if (!done && deadlineMs && Date.now() > deadlineMs) [done, partial] = [true, true];
    while (!done && chunk.length < 25) {
      const r = items.next();
      if (r.done) done = true;
      else chunk.push({ PutRequest: { Item: r.value } });
    }
    return chunk;
  };
  let lastReport = 0;
  const worker = async () => {
    for (let chunk = next(); chunk.length; chunk = next()) {
      let pending: Array<Record<string, unknown>> | undefined = chunk;
      for (let attempt = 0; pending?.length; attempt++) {
        if (attempt > 20) throw new Error('BatchWriteItem kept returning unprocessed items');
        if (attempt) await new Promise((r) => setTimeout(r, 10 * attempt));
        const out = await db.send(new BatchWriteCommand({ RequestItems: { [table()]: pending } }));
        pending = out.UnprocessedItems?.[table()] as Array<Record<string, unknown>> | undefined;
      }
      written += chunk.length;
      if (written - lastReport >= 20_000) {
        lastReport = written;
        parentPort!.postMessage({ progress: written });
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  parentPort!.postMessage({ done: true, written, partial, files: progress.files });
}

main().catch((e) => parentPort!.postMessage({ error: String(e?.stack ?? e) }));
