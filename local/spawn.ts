/**
 * Starts a local stack in its own process (local/stack-process.ts) and hands
 * back what a client needs: its URLs, ids, accounts and AWS credentials
 * (aws.json), and the controls a client uses (trace the functions' AWS calls,
 * stop). Faults are injected at the AWS gateway (its /__carpeta/faults endpoint).
 */
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { LocalState } from './provision.ts';
import type { AwsCallTrace } from './runtime/pool.ts';
import type { AwsJson, LocalStackOptions } from './stack.ts';

const here = path.dirname(fileURLToPath(import.meta.url));

export interface SpawnedStack {
  url: string;
  apiUrl: string;
  state: LocalState;
  admin: { email: string; password: string; id: string };
  demoClient?: { email: string; password: string };
  config: { apiUrl: string; region: string; cognito: { endpoint: string; userPoolId: string; clientId: string } };
  aws: AwsJson;
  timings: Record<string, number>;
  /** See LocalStack.operatorEnv. */
  operatorEnv: Record<string, string>;
  emulators: { dynamodb: string; s3: string; cognito: string; ses: string; dynamodbEngine: string };
  /** Every AWS SDK call of every function while a listener is set. */
  trace(listener: ((t: AwsCallTrace) => void) | undefined): Promise<void>;
  process: ChildProcess;
  stop(): Promise<void>;
}

export type SpawnOptions = Omit<LocalStackOptions, 'artifacts' | 'progress'> & {
  /** Serve this copy of the synthesized template (with the real assets) instead of the real one. */
  templatePath?: string;
  /** The DynamoDB engine. @default CARPETA_DYNAMODB, else dynalite (local/emulators.ts) */
  dynamodb?: 'dynalite' | 'dynamodb-local';
};

export function spawnLocalStack({ dynamodb, ...options }: SpawnOptions): Promise<SpawnedStack> {
  const child = fork(path.join(here, 'stack-process.ts'), [JSON.stringify(options)], {
    execArgv: ['--import', 'tsx', '--no-warnings'],
    // No test runner's loader or flags in the stack's process: plain Node with tsx.
    // A spawned stack never restarts on its data: DynamoDB Local may keep it in memory.
    env: {
      ...process.env,
      NODE_OPTIONS: '',
      CARPETA_DYNAMODB_MEMORY: '1',
      ...(dynamodb ? { CARPETA_DYNAMODB: dynamodb } : {}),
    },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  let next = 0;
  const waiting = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  let tracer: ((t: AwsCallTrace) => void) | undefined;
  const ask = (cmd: string, extra: Record<string, unknown> = {}) =>
    new Promise<unknown>((resolve, reject) => {
      if (!child.connected) return reject(new Error('the local stack process is gone'));
      const id = ++next;
      waiting.set(id, { resolve, reject });
      child.send({ id, cmd, ...extra });
    });
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => {
      reject(new Error(`the local stack process exited (${code}) before it was ready`));
      for (const w of waiting.values()) w.reject(new Error(`the local stack process exited (${code})`));
    });
    child.on(
      'message',
      (m: {
        type: string;
        id?: number;
        result?: unknown;
        error?: string;
        info?: Record<string, unknown>;
        trace?: AwsCallTrace;
      }) => {
        if (m.type === 'trace') return tracer?.(m.trace!);
        if (m.type === 'reply') {
          const w = waiting.get(m.id!);
          waiting.delete(m.id!);
          return m.error ? w?.reject(new Error(m.error)) : w?.resolve(m.result);
        }
        if (m.type === 'error') return reject(new Error(m.error));
        if (m.type !== 'ready') return;
        const info = m.info as Omit<SpawnedStack, 'trace' | 'process' | 'stop'>;
        let stopped: Promise<void> | undefined;
        resolve({
          ...info,
          async trace(listener) {
            tracer = listener;
            await ask('trace', { on: !!listener });
          },
          process: child,
          stop: () =>
            (stopped ??= new Promise<void>((done) => {
              if (child.exitCode !== null) return done();
              child.once('exit', () => done());
              ask('stop').catch(() => child.kill('SIGKILL'));
              // A stack that does not stop in 20 s is killed.
              setTimeout(() => child.kill('SIGKILL'), 20_000).unref();
            })),
        });
      },
    );
  });
}
