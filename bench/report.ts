/** The six tables, as plain text. Goals from issue 7 / DESIGN §7 are marked ok or MISS. */

import type { BytesResult } from './bytes.ts';
import type { ColdStartResult } from './coldstart.ts';
import { type CoreResult, RAW_OPS, type RouteResult } from './core.ts';

export const GOALS = { ratio: 3, growth: 1.3, bytes: 0.9, firstRequestMs: 250 };

/** A count as the tables print it: 12,345. */
const n = (x: number) => x.toLocaleString('en');

export function table(title: string, head: string[], rows: Array<Array<string | number>>, note?: string): string {
  const cells = [head, ...rows.map((r) => r.map(String))];
  const width = head.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  const line = (r: string[]) => r.map((c, i) => (i === 0 ? c.padEnd(width[i]) : c.padStart(width[i]))).join('  ');
  const out = [`\n## ${title}`, line(head), width.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)];
  if (note) out.push(note);
  return out.join('\n');
}

const f = (x: number | undefined, d = 2) => (x === undefined || Number.isNaN(x) ? '-' : x.toFixed(d));
const mark = (ok: boolean) => (ok ? 'ok' : 'MISS');

export function latencyTable(r: CoreResult): string {
  const levels = Object.keys(r.floor);
  const head = ['route', ...levels.flatMap((c) => [`${c} p50`, 'p95', 'p99', 'req/s']), 'non-2xx'];
  const row = (
    label: string,
    lat: Record<string, { p50: number; p95: number; p99: number; rps: number; errors: number }>,
  ) => [
    label,
    ...levels.flatMap((c) =>
      lat[c] ? [f(lat[c].p50), f(lat[c].p95), f(lat[c].p99), f(lat[c].rps, 0)] : ['-', '-', '-', '-'],
    ),
    levels.reduce((n, c) => n + (lat[c]?.errors ?? 0), 0),
  ];
  const rows = [row('raw GetItem (the floor)', r.floor), ...r.routes.map((x) => row(x.label, x.latency))];
  const s = r.size;
  return table(
    `1. Latency, ms (${s.name}: ${n(s.folders)} folders, ${n(s.files)} files, ${n(s.webusers)} web users, ` +
      `${n(s.grants)} grants, ${n(s.events)} events` +
      `${r.seeding.partial ? ` — PARTIAL seed: ${n(r.seeding.items)} of ${n(r.seeding.planned)} items` : ''})`,
    head,
    rows,
    `seeded ${r.seeding.items.toLocaleString('en')} items with BatchWriteItem in ` +
      `${(r.seeding.ms / 1000).toFixed(1)} s (${r.seeding.itemsPerSecond.toLocaleString('en')} items/s)`,
  );
}

const rounds = (n: number, ev: number | boolean) => `${n}${ev ? ' + event' : ''}`;

export function costTable(r: CoreResult): string {
  const rows = r.routes.map((x: RouteResult) => {
    const c = x.cost;
    const before = c.rounds - c.eventRounds;
    const ok =
      before <= x.doc.rounds &&
      c.eventRounds <= (x.doc.event ? 1 : 0) &&
      c.dynamoCalls - c.eventCalls <= x.doc.calls &&
      !c.dynamoByOp.Scan;
    const ops = Object.entries(c.dynamoByOp)
      .map(([op, n]) => `${op.replace('Item', '')}×${n}`)
      .join(' ');
    const other =
      Object.entries(c.otherCalls)
        .map(([s, n]) => `${s}×${n}`)
        .join(' ') || '-';
    const good = Object.entries(c.statuses).every(([st]) => Number(st) >= 200 && Number(st) < 300);
    const worst =
      c.roundsMax > before || c.callsMax > c.dynamoCalls - c.eventCalls
        ? ` (${Math.round((1 - c.typicalShare) * c.requests)}: ${c.roundsMax} rounds, ${c.callsMax} calls)`
        : '';
    return [
      x.label + worst,
      rounds(before, c.eventRounds),
      rounds(x.doc.rounds, x.doc.event),
      c.dynamoCalls - c.eventCalls,
      x.doc.calls,
      c.eventCalls,
      ops,
      f(c.rcu, 1),
      f(c.wcu, 1),
      other,
      good ? `${c.requests}×2xx` : JSON.stringify(c.statuses),
      mark(ok),
      f(c.requestMs, 1),
      f(c.dynamoMs, 1),
    ];
  });
  return table(
    `2. DynamoDB per request (${r.size.name}; counted in-process over ${r.routes[0]?.cost.requests ?? 0} ` +
      `requests per route: the typical request; in brackets, how many did more and the most they did)`,
    [
      'route',
      'rounds',
      'doc',
      'calls',
      'doc',
      'event puts',
      'operations (all calls)',
      'RCU',
      'WCU',
      'other AWS',
      'answers',
      'vs doc',
      'req ms',
      'in DDB ms',
    ],
    rows,
    'rounds/calls: before the response, the activity event aside; event puts: the most (copies vary with the ' +
      "target's depth); staff routes re-read the staff profile once per 15 s (functions/app/staff-gate.ts): one " +
      'more round on those requests; capacity: mean per request as dynalite reports it (table units; GSI write ' +
      'units not included; a failed conditional write counted as 1 WCU).\nreq ms / in DDB ms: medians of the ' +
      'counted requests (sent one at a time): the request, and the time some DynamoDB call was open during it.',
  );
}

export function ratioTable(results: CoreResult[]): string {
  const rows = results[0].routes.map((x) => [
    x.label,
    x.kind,
    ...results.flatMap((r) => {
      const y = r.routes.find((z) => z.id === x.id)!;
      return [f(y.latency.c1?.p50), f(y.floorP50), f(y.ratio, 1)];
    }),
    x.kind === 'client'
      ? mark(results.every((r) => (r.routes.find((z) => z.id === x.id)!.ratio ?? Infinity) <= GOALS.ratio))
      : '(staff)',
  ]);
  return table(
    `3. Ratio to the floor: route p50 / raw GetItem p50, concurrency 1 (goal: client routes ≤ ${GOALS.ratio}x)`,
    ['route', 'kind', ...results.flatMap((r) => [`${r.size.name} p50`, 'floor', 'ratio'])],
    rows,
    'floor: a raw GetItem of a seeded item, from the same load generator, measured right before each route.',
  );
}

export function rawTable(results: CoreResult[]): string {
  const ops = Object.keys(RAW_OPS) as Array<keyof typeof RAW_OPS>;
  const rows = ops.map((op) => [
    RAW_OPS[op],
    ...results.flatMap((r) => {
      const s = op === 'floor' ? r.floor.c1 : r.raw[op];
      return [f(s?.p50), f(s && r.floor.c1 ? s.p50 / r.floor.c1.p50 : undefined, 1)];
    }),
  ]);
  return table(
    "3b. What the routes are made of: the API hop and the emulator's own operations (raw), concurrency 1 (p50 " +
      'ms, and x the GetItem floor)',
    ['operation', ...results.flatMap((r) => [`${r.size.name} p50`, 'x floor'])],
    rows,
    'The emulator serves the calls of one round one after the other: locally a route costs about the hop plus ' +
      'the sum of all its calls, not the number of its rounds.',
  );
}

export function growthTable(results: CoreResult[]): string | undefined {
  const base = results.find((r) => r.size.name === 'small') ?? results[0];
  const others = results.filter((r) => r !== base);
  if (!others.length) return undefined;
  const rows = base.routes.map((x) => {
    const p = (r: CoreResult) => r.routes.find((z) => z.id === x.id)!.latency.c1?.p50;
    const growth = others.map((r) => (p(r) ?? NaN) / (p(base) ?? NaN));
    return [
      x.label,
      f(p(base)),
      ...others.flatMap((r, i) => [f(p(r)), f(growth[i])]),
      mark(growth.every((g) => g <= GOALS.growth)),
    ];
  });
  return table(
    `4. Growth: p50 at concurrency 1 relative to ${base.size.name} (goal ≤ ${GOALS.growth}x)`,
    ['route', `${base.size.name} p50`, ...others.flatMap((r) => [`${r.size.name} p50`, 'growth'])],
    [
      ...rows,
      [
        'raw GetItem (the floor)',
        f(base.floor.c1?.p50),
        ...others.flatMap((r) => [f(r.floor.c1?.p50), f((r.floor.c1?.p50 ?? NaN) / (base.floor.c1?.p50 ?? NaN))]),
        '',
      ],
    ],
  );
}

export function bytesTable(b: BytesResult): string {
  return table(
    `5. Bytes: ${b.mib} MiB through the product vs straight to the same S3 emulator (median of ${b.reps}; goal ` +
      `≥ ${GOALS.bytes})`,
    ['', 'product', 'MiB/s', 'raw', 'MiB/s', 'ratio', 'goal'],
    b.rows.map((r) => [
      r.op,
      r.product.how,
      f(r.product.mibPerSecond, 1),
      r.raw.how,
      f(r.raw.mibPerSecond, 1),
      f(r.ratio),
      mark(r.ratio >= GOALS.bytes),
    ]),
    'product times include the API calls the path needs (start upload + complete; the download route).',
  );
}

export function coldStartTable(c: ColdStartResult): string {
  const rows = c.bundles.flatMap((b) =>
    b.runs.map((r) => [
      b.name,
      f(b.bytes / 1024, 1),
      f(b.gzipBytes / 1024, 1),
      `node ${r.node}`,
      f(r.importMs, 1),
      f(r.importP90Ms, 1),
      r.request,
      f(r.firstMs, 1),
      f(r.firstP90Ms, 1),
      mark(r.firstMs <= GOALS.firstRequestMs),
    ]),
  );
  return table(
    `6. Cold start: Lambda bundles (as infra/bundling.ts builds them, target ${c.target}), a fresh process ` +
      `each (median of ${c.bundles[0]?.runs[0]?.runs ?? 0})`,
    [
      'bundle',
      'KB',
      'gzip KB',
      'runtime',
      'import ms',
      'p90',
      'first request',
      'import + request ms',
      'p90',
      `≤ ${GOALS.firstRequestMs} ms`,
    ],
    rows,
    [
      "import: the bundle loaded (Lambda INIT); import + request: from the start of the import to the handler's " +
        'answer to its first real request against a local stack.',
      ...c.notes,
    ].join('\n'),
  );
}
