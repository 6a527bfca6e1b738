/**
 * Counts what one request costs in AWS calls, through the observer every SDK
 * client of the Lambda code reports to (functions/aws/sdk.ts, a middleware per
 * client), which the local Lambda service forwards from each function's
 * process while tracing is on (local/runtime/bootstrap.mjs):
 *  - every HTTP attempt, by service and operation;
 *  - for DynamoDB, the order of each call's start and end, so sequential
 *    rounds can be told from calls that ran in parallel: a call's round is one
 *    more than the deepest call that had ended before it began (an order of
 *    events, not a timing);
 *  - consumed capacity: each DynamoDB call asks for ReturnConsumedCapacity=TOTAL
 *    while instrumented. dynalite computes table units from item sizes as DynamoDB
 *    does, but does not add GSI write units; a failed conditional write is
 *    charged 1 WCU here, as DynamoDB charges it.
 */
import type { AwsCallEvent } from '../functions/aws/sdk.ts';

/** Starts (with a listener) or stops (undefined) the stream of the functions' AWS call events. */
export type TraceSubscription = (listener: ((e: AwsCallEvent) => void) | undefined) => void | Promise<void>;

export interface CallRecord {
  op: string;
  /** Order of the call's start and end among all starts and ends (a sequence, not a clock). */
  start: number;
  end: number;
  rcu: number;
  wcu: number;
  error?: string;
  /** A write of the activity log (PK ACT#...): the "+ event" of the cost table. */
  event: boolean;
  /** Wall clock (ms), for the diagnostic time split only; rounds never use it. */
  t0: number;
  t1: number;
}

export interface Cost {
  /** HTTP attempts per service ("dynamodb", "s3", ...). */
  callsByService: Record<string, number>;
  /** DynamoDB calls by operation. */
  dynamoByOp: Record<string, number>;
  dynamoCalls: number;
  /** Of those, writes of the activity event (the event and its copies). */
  eventCalls: number;
  /** Sequential DynamoDB rounds (calls in one round overlap). */
  rounds: number;
  /** Rounds that only write the activity log (the event). */
  eventRounds: number;
  rcu: number;
  wcu: number;
  /** Diagnostics: wall time with at least one DynamoDB call open, and the slowest call per operation. */
  dynamoWallMs: number;
  slowestMs: Record<string, number>;
}

const READS = new Set(['GetItem', 'BatchGetItem', 'Query', 'Scan']);

/** A marshalled ({ S: 'ACT#…' }) or native key value that starts with ACT#. */
const isAct = (pk: unknown) => {
  const v = typeof pk === 'object' && pk !== null ? (pk as { S?: unknown }).S : pk;
  return typeof v === 'string' && v.startsWith('ACT#');
};

/**
 * Whether a command writes only activity items (PutItem or BatchWriteItem of ACT#... keys, or the UpdateItem
 * that marks a client's delivery opened in the round of the event).
 */
function writesActivity(operation: string, input: Record<string, unknown> | undefined): boolean {
  const i = input as
    | {
        Item?: { PK?: unknown };
        Key?: { PK?: unknown };
        RequestItems?: Record<string, Array<{ PutRequest?: { Item?: { PK?: unknown } } }>>;
      }
    | undefined;
  if (operation === 'PutItem') return isAct(i?.Item?.PK);
  if (operation === 'UpdateItem') return isAct(i?.Key?.PK);
  if (operation === 'BatchWriteItem')
    return Object.values(i?.RequestItems ?? {}).every((rs) => rs.every((r) => isAct(r.PutRequest?.Item?.PK)));
  return false;
}

function units(cc: unknown): number {
  if (!cc) return 0;
  const list = Array.isArray(cc) ? cc : [cc];
  return list.reduce((n, c) => n + (Number((c as { CapacityUnits?: number }).CapacityUnits) || 0), 0);
}

export function roundsOf(calls: CallRecord[]): { rounds: number; depth: number[] } {
  const order = calls.map((_, i) => i).sort((a, b) => calls[a].start - calls[b].start);
  const depth = new Array<number>(calls.length).fill(0);
  for (const i of order) {
    let d = 0;
    for (const k of order) if (k !== i && calls[k].end <= calls[i].start) d = Math.max(d, depth[k]);
    depth[i] = d + 1;
  }
  return { rounds: Math.max(0, ...depth), depth };
}

export class Meter {
  private observed: Array<[string, string]> = [];
  private calls: CallRecord[] = [];
  private open = new Map<number, CallRecord>();
  private seq = 0;

  constructor(private readonly subscribe: TraceSubscription) {}

  async start(): Promise<void> {
    this.observed = [];
    this.calls = [];
    this.open.clear();
    const tick = () => ++this.seq;
    await this.subscribe((e: AwsCallEvent) => {
      if (e.kind === 'attempt') {
        if (e.phase === 'start') this.observed.push([e.service, e.operation]);
        return;
      }
      if (e.service !== 'dynamodb') return;
      if (e.phase === 'start') {
        // Capacity is reported only when asked for: ask on every call while metering.
        if (e.input) e.input.ReturnConsumedCapacity = 'TOTAL';
        const rec: CallRecord = {
          op: e.operation,
          start: tick(),
          end: Infinity,
          rcu: 0,
          wcu: 0,
          event: writesActivity(e.operation, e.input),
          t0: performance.now(),
          t1: 0,
        };
        this.calls.push(rec);
        this.open.set(e.seq, rec);
        return;
      }
      const rec = this.open.get(e.seq);
      if (!rec) return;
      this.open.delete(e.seq);
      rec.end = tick();
      rec.t1 = performance.now();
      if (e.error) {
        rec.error = e.error;
        if (rec.error === 'ConditionalCheckFailedException') rec.wcu = 1;
        return;
      }
      const u = units(e.output?.ConsumedCapacity);
      if (READS.has(rec.op)) rec.rcu = u;
      else rec.wcu = u;
    });
  }

  async stop(): Promise<Cost> {
    await this.subscribe(undefined);
    const callsByService: Record<string, number> = {};
    for (const [s] of this.observed) callsByService[s] = (callsByService[s] ?? 0) + 1;
    const dynamoByOp: Record<string, number> = {};
    for (const [s, op] of this.observed) if (s === 'dynamodb') dynamoByOp[op] = (dynamoByOp[op] ?? 0) + 1;
    const { rounds, depth } = roundsOf(this.calls);
    const byRound = new Map<number, CallRecord[]>();
    for (const [i, c] of this.calls.entries()) byRound.set(depth[i], [...(byRound.get(depth[i]) ?? []), c]);
    const eventRounds = [...byRound.values()].filter((cs) => cs.every((c) => c.event)).length;
    let wall = 0;
    let until = -Infinity;
    for (const c of [...this.calls].sort((x, y) => x.t0 - y.t0)) {
      if (c.t1 > until) {
        wall += c.t1 - Math.max(c.t0, until);
        until = c.t1;
      }
    }
    const slowestMs: Record<string, number> = {};
    for (const c of this.calls)
      slowestMs[c.op] = Math.max(slowestMs[c.op] ?? 0, Math.round((c.t1 - c.t0) * 1000) / 1000);
    return {
      dynamoWallMs: Math.round(wall * 1000) / 1000,
      slowestMs,
      callsByService,
      dynamoByOp,
      dynamoCalls: callsByService.dynamodb ?? 0,
      eventCalls: this.calls.filter((c) => c.event).length,
      rounds,
      eventRounds,
      rcu: this.calls.reduce((n, c) => n + c.rcu, 0),
      wcu: this.calls.reduce((n, c) => n + c.wcu, 0),
    };
  }
}
