/**
 * The local Lambda service: one pool of execution environments per function
 * of the deployment (local/runtime/pool.ts), invoked by name, as API Gateway
 * and EventBridge Scheduler invoke the real ones.
 */
import type { Deployment } from '../deployment.ts';
import type { Principal } from '../gateway/sigv4.ts';
import { type AwsCallTrace, FunctionPool, type Invocation } from './pool.ts';

export interface LambdaServiceOptions {
  deployment: Deployment;
  /** Each function's credentials (its role's session), by function name. */
  principals: Map<string, Principal>;
  awsEndpoint: string;
  extraEnv?: Record<string, string>;
  maxInstances?: number;
  log: (line: string, fn: string) => void;
  nodeBinary?: string;
}

export class LambdaService {
  readonly pools = new Map<string, FunctionPool>();

  constructor(opts: LambdaServiceOptions) {
    for (const spec of opts.deployment.functions) {
      const p = opts.principals.get(spec.name);
      if (!p) throw new Error(`no credentials for function ${spec.name}`);
      this.pools.set(
        spec.name,
        new FunctionPool(spec, {
          credentials: { accessKeyId: p.accessKeyId, secretAccessKey: p.secretAccessKey, sessionToken: p.sessionToken },
          awsEndpoint: opts.awsEndpoint,
          region: opts.deployment.region,
          extraEnv: opts.extraEnv,
          maxInstances: opts.maxInstances,
          log: (line) => opts.log(line, spec.name),
          nodeBinary: opts.nodeBinary,
        }),
      );
    }
  }

  invoke(fn: string, event: unknown, requestId?: string): Promise<Invocation> {
    const pool = this.pools.get(fn);
    if (!pool)
      return Promise.resolve({
        ok: false,
        error: { errorType: 'ResourceNotFoundException', errorMessage: `Function not found: ${fn}` },
      });
    return pool.invoke(event, requestId);
  }

  /** Every AWS SDK call of every function, while a listener is set. */
  trace(listener: ((t: AwsCallTrace) => void) | undefined): void {
    for (const pool of this.pools.values()) pool.trace(listener);
  }

  async stop(): Promise<void> {
    await Promise.all([...this.pools.values()].map((p) => p.stop()));
  }
}
