/**
 * Bytes: does a document move at S3's speed through the product? One fresh
 * local stack, one folder, one web user with a grant; the client runs in a
 * worker thread (bench/bytes-worker.ts). Throughput is the median over the
 * repetitions; the ratio is product / raw (the goal is at least 0.9).
 */

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { startLocalStack } from '../local/stack.ts';
import type { BytesJob, BytesRun } from './bytes-worker.ts';
import { folderId, folderItem, grantItem, type SizeSpec, userItem } from './model.ts';
import { median } from './stats.ts';
import { tsWorker } from './workers.ts';

export interface BytesResult {
  mib: number;
  reps: number;
  parallelParts: number;
  rows: Array<{
    op: 'upload' | 'download';
    product: { how: string; ms: number; mibPerSecond: number };
    raw: { how: string; ms: number; mibPerSecond: number };
    ratio: number;
  }>;
  runs: BytesRun[];
}

export async function runBytes(opts: { mib: number; reps: number; log?: (l: string) => void }): Promise<BytesResult> {
  const log = opts.log ?? (() => undefined);
  const dir = mkdtempSync(path.join(tmpdir(), 'carpeta-bench-bytes-'));
  process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';
  process.env.CARPETA_JOBS_INTERVAL_MS = '0';
  const stack = await startLocalStack({ dataDir: dir, port: 0, logFile: path.join(dir, 'handlers.log') });
  try {
    const { createCognitoUser, setPassword } = await import('../functions/aws/cognito.ts');
    const { db, table } = await import('../functions/store/client.ts');
    const { BatchWriteCommand } = await import('@aws-sdk/lib-dynamodb');
    const email = `bench-bytes-${randomBytes(3).toString('hex')}@example.com`;
    const password = `Bench-${randomBytes(6).toString('hex')}!A1`;
    const sub = await createCognitoUser(email, ['webusers']);
    await setPassword(email, password);
    const spec: SizeSpec = {
      name: 'bytes',
      folders: 1,
      files: 0,
      webusers: 1,
      grants: 1,
      events: 0,
      signedIn: 1,
      bigFolder: 0,
    };
    const real = [{ sub, email }];
    const items = [
      folderItem(spec, 0, stack.admin.id),
      userItem(spec, 0, real, stack.admin.id),
      grantItem(spec, 0, 0, real, stack.admin.id),
    ];
    await db.send(
      new BatchWriteCommand({ RequestItems: { [table()]: items.map((Item) => ({ PutRequest: { Item } })) } }),
    );
    const signIn = async (u: string, p: string) => {
      const res = await fetch(stack.emulators.cognito, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
        },
        body: JSON.stringify({
          AuthFlow: 'USER_PASSWORD_AUTH',
          ClientId: stack.state.clientId,
          AuthParameters: { USERNAME: u, PASSWORD: p },
        }),
      });
      return ((await res.json()) as { AuthenticationResult: { AccessToken: string } }).AuthenticationResult.AccessToken;
    };
    const job: BytesJob = {
      apiUrl: stack.apiUrl,
      s3: stack.emulators.s3,
      bucket: stack.state.bucketName,
      region: 'us-east-1',
      staffToken: await signIn(stack.admin.email, stack.admin.password),
      clientToken: await signIn(email, password),
      folderId: folderId(0),
      bytes: Math.round(opts.mib * 2 ** 20),
      reps: opts.reps,
      parallelParts: 3,
    };
    log(`[bytes] ${opts.mib} MiB × ${opts.reps} repetitions, product and raw, up and down`);
    const worker = tsWorker(new URL('./bytes-worker.ts', import.meta.url), job);
    const runs = await new Promise<BytesRun[]>((resolve, reject) => {
      worker.once('message', (m: { runs?: BytesRun[]; error?: string }) =>
        m.error ? reject(new Error(m.error)) : resolve(m.runs!),
      );
      worker.once('error', reject);
    });
    await worker.terminate();
    const mib = job.bytes / 2 ** 20;
    const pick = (op: string, mode: string) => {
      const rs = runs.filter((r) => r.op === op && r.mode === mode);
      const ms = median(rs.map((r) => r.ms));
      return { how: rs[0].how, ms: Math.round(ms), mibPerSecond: Math.round((mib / (ms / 1000)) * 10) / 10 };
    };
    const rows = (['upload', 'download'] as const).map((op) => {
      const product = pick(op, 'product');
      const raw = pick(op, 'raw');
      return { op, product, raw, ratio: Math.round((product.mibPerSecond / raw.mibPerSecond) * 100) / 100 };
    });
    return {
      mib,
      reps: opts.reps,
      parallelParts: job.parallelParts,
      rows,
      runs: runs.map((r) => ({ ...r, ms: Math.round(r.ms) })),
    };
  } finally {
    await stack.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
