/**
 * Fault injection at the AWS gateway: a bad day in production, on request.
 * A rule picks calls by service, operation and calling function, and fires
 * on the nth of them (or on every one): the service's own error, a throttle,
 * an attempt that never answers, a connection cut, or a batch handed back
 * unprocessed. A call is what the SDK
 * makes of one command, retries included (its `amz-sdk-invocation-id`): a
 * rule that fires on a call fires on every attempt of it, so the caller sees
 * the dependency fail, not a blip its retries hide. Because the faults live
 * between the functions and the emulators, they test the artifacts as
 * deployed, retries and all.
 */
import type { Service } from './errors.ts';

export interface FaultRule {
  /** The service; omitted: any. */
  service?: Service;
  /** The operation (PutItem, GetObject, AdminCreateUser, SendEmail...); omitted: any. */
  operation?: string;
  /** The calling function (staff, portal, link, jobs); omitted: any caller, browsers included. */
  function?: string;
  /** Fires from the nth matching request on (1-based, counted from when the rule was set); omitted: from the first. */
  nth?: number;
  /** How many matching requests it fires on. @default 1 with `nth`, every one without */
  count?: number;
  /**
   * `unprocessed` (DynamoDB BatchGetItem/BatchWriteItem only): answers 200 with every key or write
   * handed back unprocessed, as DynamoDB does to a batch whose items are throttled.
   */
  kind: 'error' | 'throttle' | 'timeout' | 'cut' | 'unprocessed';
  /** For `error`: the error to answer. @default the service's own 5xx */
  error?: { code: string; status: number; message?: string };
}

export interface FaultState extends FaultRule {
  /** Matching calls seen, and how many it fired on. */
  seen: number;
  fired: number;
  /** The first matching calls, as `<function> <service> <operation>`. */
  calls: string[];
}

interface Tracked extends FaultState {
  /** Call id -> whether the rule fired on it. */
  decided: Map<string, boolean>;
}

export class Faults {
  private rules: Tracked[] = [];

  set(rules: FaultRule[]): void {
    this.rules = rules.map((r) => ({ ...r, seen: 0, fired: 0, calls: [], decided: new Map() }));
  }

  list(): FaultState[] {
    return this.rules.map(({ decided, ...r }) => ({ ...r, calls: [...r.calls] }));
  }

  /** The rule that fires on this attempt, if any (every matching rule counts a new call). */
  match(req: { service: Service; operation: string; function?: string; callId: string }): FaultState | undefined {
    let firing: FaultState | undefined;
    for (const r of this.rules) {
      if (r.service && r.service !== req.service) continue;
      if (r.operation && r.operation !== req.operation) continue;
      if (r.function && r.function !== req.function) continue;
      let fires = r.decided.get(req.callId);
      if (fires === undefined) {
        r.seen++;
        if (r.calls.length < 100) r.calls.push(`${req.function ?? 'anonymous'} ${req.service} ${req.operation}`);
        const from = r.nth ?? 1;
        const count = r.count ?? (r.nth === undefined ? Number.POSITIVE_INFINITY : 1);
        fires = r.seen >= from && r.seen < from + count;
        if (fires) r.fired++;
        r.decided.set(req.callId, fires);
      }
      if (fires && !firing) firing = r;
    }
    return firing;
  }
}
