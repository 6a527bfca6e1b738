/**
 * The local Lambda service for one function: execution environments (child
 * processes running local/runtime/bootstrap.mjs on the function's bundled
 * asset) started on demand, each serving one invocation at a time, reused
 * while warm, like Lambda's. Each gets exactly the function's environment
 * from the template (resolved to the local resources) plus what the Lambda
 * runtime itself sets: the role's credentials, the region, the handler and
 * task root. Module state is never shared between functions or instances.
 *
 * As Lambda does, an invocation that runs past the function's timeout is
 * stopped (its environment is killed), a response over 6 MB is an error, and
 * so is a request over 6 MB.
 */
import { type ChildProcess, fork } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const bootstrap = path.join(path.dirname(fileURLToPath(import.meta.url)), 'bootstrap.mjs');

/** Lambda's synchronous invocation limits: 6 MB request, 6 MB response. */
export const MAX_PAYLOAD_BYTES = 6 * 1024 * 1024;
/** Lambda gives INIT 10 s. */
const INIT_TIMEOUT_MS = 10_000;

export interface FunctionSpec {
  /** Our name for it (the CARPETA_FUNCTION variable): staff, portal, link, jobs. */
  name: string;
  logicalId: string;
  /** The physical name Lambda would give it. */
  functionName: string;
  arn: string;
  codeDir: string;
  handler: string;
  /** The template's Environment.Variables, resolved. */
  environment: Record<string, string>;
  timeoutSeconds: number;
  memoryMb: number;
  roleLogicalId: string;
  roleArn: string;
}

export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  sessionToken: string;
}

export type Invocation =
  | { ok: true; payload: string; initMs?: number }
  | { ok: false; error: { errorType: string; errorMessage: string }; initMs?: number };

export interface AwsCallTrace {
  function: string;
  invocation: string;
  event: Record<string, unknown>;
}

export interface PoolOptions {
  credentials: Credentials;
  /** The endpoint every AWS SDK call of the function goes to (the local AWS gateway). */
  awsEndpoint: string;
  region: string;
  /** Variables added on top of the template's (tests: smaller limits; the test clock). */
  extraEnv?: Record<string, string>;
  /** At most this many environments at once; further invocations wait their turn. @default 4 */
  maxInstances?: number;
  /** Each line the function writes (its logs). */
  log: (line: string) => void;
  /** The node binary that runs the functions. @default this process's */
  nodeBinary?: string;
}

interface Instance {
  child: ChildProcess;
  ready: Promise<number>;
  busy: boolean;
  pending?: { id: string; resolve: (r: Invocation) => void; timer: NodeJS.Timeout };
}

export class FunctionPool {
  private readonly instances = new Set<Instance>();
  private readonly waiting: Array<() => void> = [];
  private tracer?: (t: AwsCallTrace) => void;
  private stopped = false;
  private sequence = 0;

  constructor(
    readonly spec: FunctionSpec,
    private readonly opts: PoolOptions,
  ) {}

  /** The environment a new execution environment starts with. */
  environment(): Record<string, string> {
    const { spec, opts } = this;
    return {
      ...spec.environment,
      ...opts.extraEnv,
      // What the Lambda runtime sets for every function.
      AWS_REGION: opts.region,
      AWS_DEFAULT_REGION: opts.region,
      AWS_ACCESS_KEY_ID: opts.credentials.accessKeyId,
      AWS_SECRET_ACCESS_KEY: opts.credentials.secretAccessKey,
      AWS_SESSION_TOKEN: opts.credentials.sessionToken,
      AWS_LAMBDA_FUNCTION_NAME: spec.functionName,
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(spec.memoryMb),
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_LOG_GROUP_NAME: `/aws/lambda/${spec.functionName}`,
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs24.x',
      LAMBDA_TASK_ROOT: spec.codeDir,
      _HANDLER: spec.handler,
      TZ: ':UTC',
      LANG: 'en_US.UTF-8',
      PATH: process.env.PATH ?? '/usr/bin:/bin',
      // What stands in for DNS: every SDK client of the function talks to the local gateway.
      AWS_ENDPOINT_URL: opts.awsEndpoint,
      // The marker SAM's local runtime also sets (AWS_SAM_LOCAL); the code reads it for emulator gaps only.
      CARPETA_LOCAL: '1',
      // Lambda runs Node 24; on an older local Node the SDK would print a notice about it on every start.
      ...(Number(process.versions.node.split('.')[0]) < 22
        ? { AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' }
        : {}),
    };
  }

  private spawn(): Instance {
    const child = fork(bootstrap, [], {
      cwd: this.spec.codeDir,
      env: this.environment(),
      execPath: this.opts.nodeBinary ?? process.execPath,
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const lines = (stream: NodeJS.ReadableStream | null) => {
      let rest = '';
      stream?.on('data', (d: Buffer) => {
        const text = rest + d.toString('utf8');
        const parts = text.split('\n');
        rest = parts.pop() ?? '';
        for (const l of parts) if (l.trim()) this.opts.log(l);
      });
    };
    lines(child.stdout);
    lines(child.stderr);
    const instance: Instance = { child, busy: false, ready: Promise.resolve(0) };
    instance.ready = new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(
          Object.assign(new Error(`INIT of ${this.spec.name} took over ${INIT_TIMEOUT_MS} ms`), {
            name: 'Runtime.InitTimeout',
          }),
        );
      }, INIT_TIMEOUT_MS);
      child.once(
        'message',
        (m: { type: string; initMs?: number; error?: { errorType: string; errorMessage: string } }) => {
          clearTimeout(timer);
          if (m.type === 'ready') resolve(m.initMs ?? 0);
          else
            reject(
              Object.assign(new Error(m.error?.errorMessage ?? 'init failed'), {
                name: m.error?.errorType ?? 'Runtime.InitError',
              }),
            );
        },
      );
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(
          Object.assign(new Error(`${this.spec.name} exited during INIT (${code})`), { name: 'Runtime.ExitError' }),
        );
      });
    });
    instance.ready.then(
      // The child listens for messages only once it is ready: tracing is switched on then.
      () => this.tracer && child.send({ type: 'trace', on: true }),
      () => this.instances.delete(instance),
    );
    child.on(
      'message',
      (m: {
        type: string;
        id?: string;
        payload?: string;
        error?: { errorType: string; errorMessage: string };
        invocation?: string;
        event?: Record<string, unknown>;
      }) => {
        if (m.type === 'aws-call') {
          this.tracer?.({ function: this.spec.name, invocation: m.invocation!, event: m.event! });
          return;
        }
        const p = instance.pending;
        if (!p || m.id !== p.id) return;
        if (m.type === 'result') {
          const bytes = Buffer.byteLength(m.payload ?? '');
          this.finish(
            instance,
            bytes > MAX_PAYLOAD_BYTES
              ? {
                  ok: false,
                  error: {
                    errorType: 'Function.ResponseSizeTooLarge',
                    errorMessage:
                      `Response payload size (${bytes} bytes) exceeded maximum allowed payload size ` +
                      `(${MAX_PAYLOAD_BYTES} bytes).`,
                  },
                }
              : { ok: true, payload: m.payload ?? 'null' },
          );
        } else if (m.type === 'error') this.finish(instance, { ok: false, error: m.error! });
      },
    );
    child.on('exit', (code, signal) => {
      this.instances.delete(instance);
      if (instance.pending)
        this.finish(instance, {
          ok: false,
          error: {
            errorType: 'Runtime.ExitError',
            errorMessage:
              `RequestId: ${instance.pending.id} Error: Runtime exited with error: ` +
              `${signal ?? `exit status ${code}`}`,
          },
        });
      this.wake();
    });
    this.instances.add(instance);
    return instance;
  }

  private finish(instance: Instance, result: Invocation): void {
    const p = instance.pending;
    if (!p) return;
    clearTimeout(p.timer);
    instance.pending = undefined;
    instance.busy = false;
    p.resolve(result);
    this.wake();
  }

  private wake(): void {
    this.waiting.shift()?.();
  }

  /** An idle environment, a new one, or (at the limit) the next one to free up. */
  private async acquire(): Promise<{ instance: Instance; cold: boolean }> {
    for (;;) {
      if (this.stopped) throw new Error('the local Lambda service is stopping');
      const idle = [...this.instances].find((i) => !i.busy);
      if (idle) {
        idle.busy = true;
        return { instance: idle, cold: false };
      }
      if (this.instances.size < (this.opts.maxInstances ?? 4)) {
        const instance = this.spawn();
        instance.busy = true;
        return { instance, cold: true };
      }
      await new Promise<void>((r) => this.waiting.push(r));
    }
  }

  async invoke(event: unknown, requestId?: string): Promise<Invocation> {
    const body = JSON.stringify(event);
    if (Buffer.byteLength(body) > MAX_PAYLOAD_BYTES) {
      return {
        ok: false,
        error: {
          errorType: 'RequestEntityTooLargeException',
          errorMessage: `Request must be smaller than ${MAX_PAYLOAD_BYTES} bytes for the InvokeFunction operation`,
        },
      };
    }
    const { instance, cold } = await this.acquire();
    let initMs: number | undefined;
    try {
      const ms = await instance.ready;
      if (cold) initMs = ms;
    } catch (e) {
      instance.busy = false;
      this.wake();
      return { ok: false, error: { errorType: (e as Error).name, errorMessage: (e as Error).message } };
    }
    const id = requestId ?? `${this.spec.name}-${++this.sequence}-${Date.now()}`;
    const timeoutMs = this.spec.timeoutSeconds * 1000;
    const result = await new Promise<Invocation>((resolve) => {
      const timer = setTimeout(() => {
        // Lambda stops the environment; the next invocation starts a fresh one.
        this.finish(instance, {
          ok: false,
          error: {
            errorType: 'Sandbox.Timedout',
            errorMessage: `${id} Task timed out after ${this.spec.timeoutSeconds.toFixed(2)} seconds`,
          },
        });
        instance.child.kill('SIGKILL');
        this.instances.delete(instance);
      }, timeoutMs);
      instance.pending = { id, resolve, timer };
      instance.child.send({ type: 'invoke', id, event, timeoutMs, functionArn: this.spec.arn });
    });
    return initMs === undefined ? result : { ...result, initMs };
  }

  /** Reports every AWS SDK call the function's invocations make (the benchmark counts them). */
  trace(listener: ((t: AwsCallTrace) => void) | undefined): void {
    this.tracer = listener;
    for (const i of this.instances) i.child.send({ type: 'trace', on: !!listener });
  }

  /** Environments alive now. */
  get size(): number {
    return this.instances.size;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    for (const w of this.waiting.splice(0)) w();
    await Promise.all(
      [...this.instances].map(
        (i) =>
          new Promise<void>((resolve) => {
            if (i.child.exitCode !== null || i.child.signalCode) return resolve();
            i.child.once('exit', () => resolve());
            i.child.kill('SIGKILL');
          }),
      ),
    );
  }
}
