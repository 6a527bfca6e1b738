/**
 * The load generator: closed-loop HTTP/1.1 clients with keep-alive on
 * loopback, in a worker thread. Each job cycles through its request list
 * (a body's "__N__" becomes a counter, for requests that must differ), runs
 * `warmup` requests unmeasured, then measures until `max` requests or
 * `maxMs` milliseconds, whichever comes first, and returns every latency.
 */

import http from 'node:http';
import { parentPort } from 'node:worker_threads';
import {
  BatchGetItemCommand,
  DynamoDBClient,
  GetItemCommand,
  PutItemCommand,
  QueryCommand,
} from '@aws-sdk/client-dynamodb';

export interface RequestSpec {
  method: string;
  url: string;
  headers?: Record<string, string>;
  body?: string;
  /**
   * Instead of HTTP: one DynamoDB operation (marshalled input) sent with an SDK client
   * configured as the Lambda code's (functions/aws/sdk.ts), to `url` (the emulator).
   */
  dynamodb?: {
    operation: 'GetItem' | 'Query' | 'BatchGetItem' | 'PutItem';
    input: Record<string, unknown>;
    credentials: { accessKeyId: string; secretAccessKey: string; sessionToken: string };
  };
}

export interface LoadJob {
  requests: RequestSpec[];
  concurrency: number;
  warmup: number;
  max: number;
  maxMs: number;
}

export interface LoadResult {
  latencies: number[];
  statuses: Record<string, number>;
  elapsedMs: number;
  /** First body of a non-2xx answer, to say why. */
  sampleError?: string;
}

let counter = 0;
const unique = () => `${process.pid}-${Date.now()}-${++counter}`;

const COMMANDS = {
  GetItem: GetItemCommand,
  Query: QueryCommand,
  BatchGetItem: BatchGetItemCommand,
  PutItem: PutItemCommand,
} as const;
const sdkClients = new Map<string, DynamoDBClient>();

async function sdkOnce(spec: RequestSpec): Promise<{ status: number; body: string }> {
  const { clientConfig } = await import('../functions/aws/sdk.ts');
  let client = sdkClients.get(spec.url);
  if (!client) {
    const { credentials } = spec.dynamodb!;
    client = new DynamoDBClient({ ...clientConfig(), endpoint: spec.url, credentials });
    sdkClients.set(spec.url, client);
  }
  const { operation, input } = spec.dynamodb!;
  const withN = JSON.parse(JSON.stringify(input).replaceAll('__N__', unique()));
  const Command = COMMANDS[operation] as new (i: unknown) => Parameters<DynamoDBClient['send']>[0];
  try {
    await client.send(new Command(withN));
    return { status: 200, body: '' };
  } catch (e) {
    return {
      status: (e as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode ?? 599,
      body: String((e as Error).name),
    };
  }
}

function once(agent: http.Agent, spec: RequestSpec): Promise<{ status: number; body: string }> {
  if (spec.dynamodb) return sdkOnce(spec);
  return new Promise((resolve, reject) => {
    const body = spec.body?.includes('__N__') ? spec.body.replaceAll('__N__', unique()) : spec.body;
    const headers = {
      ...spec.headers,
      ...(body !== undefined ? { 'content-length': String(Buffer.byteLength(body)) } : {}),
    };
    const req = http.request(spec.url, { method: spec.method, headers, agent }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
      res.on('error', reject);
    });
    req.setTimeout(30_000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end(body);
  });
}

async function run(job: LoadJob): Promise<LoadResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: job.concurrency });
  const statuses: Record<string, number> = {};
  const latencies: number[] = [];
  let sampleError: string | undefined;
  let next = 0;
  const take = () => job.requests[next++ % job.requests.length];
  // Warm-up: the same concurrency, not recorded.
  let warm = 0;
  await Promise.all(
    Array.from({ length: Math.min(job.concurrency, Math.max(job.warmup, 0)) }, async () => {
      while (warm++ < job.warmup) await once(agent, take()).catch(() => undefined);
    }),
  );
  const started = performance.now();
  const deadline = started + job.maxMs;
  let issued = 0;
  await Promise.all(
    Array.from({ length: job.concurrency }, async () => {
      while (issued < job.max && performance.now() < deadline) {
        issued++;
        const t0 = performance.now();
        let status = 0;
        try {
          const r = await once(agent, take());
          status = r.status;
          if ((status < 200 || status > 299) && !sampleError) sampleError = `${status} ${r.body.slice(0, 300)}`;
        } catch (e) {
          if (!sampleError) sampleError = String(e);
        }
        latencies.push(performance.now() - t0);
        statuses[status] = (statuses[status] ?? 0) + 1;
      }
    }),
  );
  const elapsedMs = performance.now() - started;
  agent.destroy();
  return { latencies, statuses, elapsedMs, sampleError };
}

parentPort!.on('message', (job: LoadJob) => {
  run(job).then(
    (r) => parentPort!.postMessage(r),
    (e) => parentPort!.postMessage({ error: String(e?.stack ?? e) }),
  );
});
