/**
 * What every AWS SDK v3 client in the Lambda code shares: explicit connection
 * and request timeouts, the standard retry mode (token-bucket retry quota,
 * backoff, clock-skew correction), the region, and one middleware that
 * reports each call and each attempt to a process-wide observer.
 *
 * Endpoints are the SDK's own: in AWS its resolver; on the local stack the
 * standard `AWS_ENDPOINT_URL` / `AWS_ENDPOINT_URL_<SERVICE>` variables, which
 * the SDK reads itself (docs/ARCHITECTURE.md, "The local stack").
 */
import type { MetadataBearer, MiddlewareStack } from '@smithy/types';
import { config } from '../lib/config.ts';

/** One call or one attempt of an AWS call, as the observer sees it. */
export interface AwsCallEvent {
  /** 'call' fires once per SDK command, 'attempt' once per HTTP attempt (after the retry middleware). */
  kind: 'call' | 'attempt';
  phase: 'start' | 'end';
  /** Same for the start and the end of one call (or attempt). */
  seq: number;
  service: string;
  operation: string;
  /** The command's input, on the call's start. */
  input?: Record<string, unknown>;
  /** The command's output, on a successful call's end. */
  output?: Record<string, unknown>;
  /** The error's name, on a failed end. */
  error?: string;
}

/**
 * The observer is looked up on globalThis (by a registered symbol) so the
 * benchmark, the fault tests and the local Lambda runtime can install one from
 * outside a bundle. Nothing installs one in AWS: each call costs one lookup.
 * An observer that throws on a call's start makes that call fail before any
 * attempt (how fault tests make a dependency stop answering).
 */
export type AwsCallObserver = (event: AwsCallEvent) => void;
const OBSERVER = Symbol.for('carpeta.aws-call-observer');
type WithObserver = { [OBSERVER]?: AwsCallObserver };

export function setAwsCallObserver(observer: AwsCallObserver | undefined): AwsCallObserver | undefined {
  const g = globalThis as WithObserver;
  const previous = g[OBSERVER];
  g[OBSERVER] = observer;
  return previous;
}
const observer = () => (globalThis as WithObserver)[OBSERVER];

let sequence = 0;

type Next = (args: { input: object }) => Promise<{ output: object }>;

/** A middleware reporting the start and end of what it wraps: the whole call, or one attempt. */
function reporter(kind: AwsCallEvent['kind'], service: string) {
  return (next: Next, context: { commandName?: string }) => async (args: { input: object }) => {
    const watch = observer();
    if (!watch) return next(args);
    const seq = ++sequence;
    const operation = String(context.commandName ?? '').replace(/Command$/, '');
    const event = { kind, seq, service, operation };
    watch({ ...event, phase: 'start', ...(kind === 'call' ? { input: args.input as Record<string, unknown> } : {}) });
    try {
      const out = await next(args);
      watch({ ...event, phase: 'end', ...(kind === 'call' ? { output: out.output as Record<string, unknown> } : {}) });
      return out;
    } catch (e) {
      watch({ ...event, phase: 'end', error: (e as Error)?.name ?? 'Error' });
      throw e;
    }
  };
}

/**
 * Adds the reporting to a client's middleware stack: once per call at `initialize` (before the
 * retry middleware), once per attempt at `finalizeRequest` (after it).
 */
export function observeCalls<I extends object, O extends MetadataBearer>(
  client: { middlewareStack: MiddlewareStack<I, O> },
  service: string,
): void {
  // The stack is typed per client; these middlewares read neither input nor output types.
  const stack = client.middlewareStack as unknown as MiddlewareStack<object, MetadataBearer>;
  stack.add(reporter('call', service) as never, { step: 'initialize', name: 'carpetaObserveCall', priority: 'high' });
  stack.add(reporter('attempt', service) as never, {
    step: 'finalizeRequest',
    name: 'carpetaObserveAttempt',
    priority: 'low',
  });
}

export interface ClientOptions {
  /** Attempts per call, the first included. @default 3 */
  maxAttempts?: number;
  /** Milliseconds to open the TCP/TLS connection. @default 1000 */
  connectionTimeout?: number;
  /** Milliseconds of socket inactivity before an attempt is abandoned. @default 3000 */
  requestTimeout?: number;
}

/** The shared part of every client's configuration. */
export function clientConfig(opts: ClientOptions = {}) {
  return {
    region: config.region,
    maxAttempts: opts.maxAttempts ?? 3,
    retryMode: 'standard',
    requestHandler: { connectionTimeout: opts.connectionTimeout ?? 1000, requestTimeout: opts.requestTimeout ?? 3000 },
  } as const;
}
