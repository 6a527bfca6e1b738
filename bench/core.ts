/**
 * The benchmark's core for one size: a fresh local stack in a temporary
 * directory, the size seeded straight into the table (BatchWriteItem from a
 * worker thread), a few real web users signed in, share links made through
 * the API; then, per hot route, what one request costs in DynamoDB calls,
 * rounds and capacity (counted in-process), and its latency at each
 * concurrency from a load-generating worker thread, next to a raw GetItem
 * against the same emulator (the floor).
 *
 * Used by bench/run.ts (one child process per size) and by
 * test/integration/bench-small.test.ts at a tiny size.
 */

import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { type LocalStack, startLocalStack } from '../local/stack.ts';
import { type Cost, Meter } from './instrument.ts';
import type { LoadJob, LoadResult, RequestSpec } from './load-worker.ts';
import type { Person, SizeSpec } from './model.ts';
import * as model from './model.ts';
import { HOT_ROUTES, type HotRoute, type RouteId } from './routes.ts';
import { median, rng, type Summary, sample, shuffle, summarize } from './stats.ts';
import { ask, tsWorker } from './workers.ts';

export interface CoreOptions {
  spec: SizeSpec;
  /** Concurrency levels to measure latency at (e.g. [1, 32]); empty: costs only. */
  concurrency: number[];
  /** Per route and concurrency: unmeasured requests first, then at most `max` requests or `maxMs`. */
  load: { warmup: number; max: (c: number) => number; maxMs: number };
  /** Requests per route whose AWS calls are counted one at a time. */
  meterRequests: number;
  /** BatchWriteItem calls in flight while seeding. */
  seedConcurrency?: number;
  /** Seeding stops here (the run goes on with what was written, marked partial). */
  seedDeadlineMs?: number;
  log?: (line: string) => void;
  /** Keep the data directory (default: removed). */
  keep?: boolean;
  /** Only these routes (default: all hot routes). */
  routes?: RouteId[];
}

export interface RouteResult {
  id: RouteId;
  label: string;
  kind: HotRoute['kind'];
  doc: HotRoute['doc'];
  /** Per metered request: the typical request's rounds and calls (and the worst), the mean capacity. */
  cost: {
    requests: number;
    rounds: number;
    /**
     * The most rounds and calls before the response (event aside) any counted request made, and the share of requests
     * shaped like the typical one.
     */
    roundsMax: number;
    callsMax: number;
    typicalShare: number;
    eventRounds: number;
    dynamoCalls: number;
    eventCalls: number;
    dynamoByOp: Record<string, number>;
    otherCalls: Record<string, number>;
    rcu: number;
    wcu: number;
    statuses: Record<string, number>;
    /**
     * Diagnostics (medians over the metered requests, sent one at a time from the stack's process): the request, and
     * the part of it with a DynamoDB call open.
     */
    requestMs: number;
    dynamoMs: number;
  };
  latency: Record<string, Summary>;
  /** p50 of a raw GetItem measured just before this route's c=1 run. */
  floorP50?: number;
  ratio?: number;
  sampleError?: string;
}

export interface CoreResult {
  size: SizeSpec;
  seeding: { items: number; planned: number; ms: number; itemsPerSecond: number; partial: boolean };
  floor: Record<string, Summary>;
  /** The emulator's own operations, raw, at concurrency 1 (what the routes are made of). */
  raw: Record<string, Summary>;
  routes: RouteResult[];
  startedAt: string;
  ms: number;
}

const ROUTE_SEED = 7;

async function signIn(stack: LocalStack, email: string, password: string): Promise<string> {
  const res = await fetch(stack.emulators.cognito, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
    },
    body: JSON.stringify({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: stack.state.clientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  });
  const body = (await res.json()) as { AuthenticationResult?: { AccessToken: string } };
  if (!body.AuthenticationResult) throw new Error(`sign-in failed for ${email}: ${JSON.stringify(body)}`);
  return body.AuthenticationResult.AccessToken;
}

async function api(stack: LocalStack, method: string, p: string, token: string, body?: unknown) {
  const res = await fetch(`${stack.apiUrl}${p}`, {
    method,
    headers: {
      authorization: `Bearer ${token}`,
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body: body !== undefined ? JSON.stringify(body) : undefined,
  });
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

/** A share link made as staff do ("Send by email"); the token comes from the emulated mailbox. */
async function makeShareLink(stack: LocalStack, adminToken: string, folderId: string, email: string): Promise<string> {
  const res = await api(stack, 'POST', `/folders/${folderId}/send`, adminToken, { email });
  if (res.status !== 201) throw new Error(`send folder: ${res.status} ${JSON.stringify(res.body)}`);
  const mails = (await (await fetch(`${stack.url}/_local/mail`)).json()) as Array<{ to: string[]; text: string }>;
  const mail = mails.find((m) => m.to.includes(email) && /\/s#/.test(m.text));
  if (!mail) throw new Error(`no share mail to ${email}`);
  return /\/s#([A-Za-z0-9_-]+)/.exec(mail.text)![1];
}

async function seed(
  endpoint: string,
  spec: SizeSpec,
  real: Person[],
  staffId: string,
  opts: Pick<CoreOptions, 'seedConcurrency' | 'seedDeadlineMs' | 'log'>,
) {
  const planned = model.itemCount(spec);
  const started = performance.now();
  const worker = tsWorker(new URL('./seed-worker.ts', import.meta.url), {
    // Set-up, not measured: straight to the emulator, as an operator's bulk load would go.
    endpoint,
    spec,
    real,
    staffId,
    nowMs: Date.now(),
    concurrency: opts.seedConcurrency ?? 8,
    deadlineMs: opts.seedDeadlineMs ? Date.now() + opts.seedDeadlineMs : undefined,
  });
  const written = await new Promise<{ written: number; partial: boolean; files: number }>((resolve, reject) => {
    worker.on(
      'message',
      (m: {
        progress?: number;
        done?: boolean;
        written?: number;
        partial?: boolean;
        files?: number;
        error?: string;
      }) => {
        if (m.error) reject(new Error(m.error));
        else if (m.progress)
          opts.log?.(
            `  seeded ${m.progress.toLocaleString('en')} / ${planned.toLocaleString('en')} items ` +
              `(${((m.progress / (performance.now() - started)) * 1000).toFixed(0)}/s)`,
          );
        else if (m.done) resolve({ written: m.written!, partial: !!m.partial, files: m.files ?? 0 });
      },
    );
    worker.on('error', reject);
  });
  await worker.terminate();
  const ms = performance.now() - started;
  return {
    items: written.written,
    planned,
    ms: Math.round(ms),
    itemsPerSecond: Math.round((written.written / ms) * 1000),
    partial: written.partial,
    files: written.files,
  };
}

/** What a size's requests look like: targets drawn from the seeded data, spread over it. */
function requestLists(
  stack: LocalStack,
  spec: SizeSpec,
  users: Array<{ u: number; token: string }>,
  links: Array<{ token: string; folder: number }>,
  adminToken: string,
  hasFile: (i: number) => boolean,
) {
  const rand = rng(ROUTE_SEED);
  const base = `${stack.apiUrl}`;
  const ua = { 'user-agent': 'carpeta-bench' };
  const as = (token: string) => ({ ...ua, authorization: `Bearer ${token}` });
  const get = (p: string, token?: string, share?: string): RequestSpec => ({
    method: 'GET',
    url: base + p,
    headers: { ...(token ? as(token) : ua), ...(share ? { 'x-share-token': share } : {}) },
  });
  const perUser = (n: number, f: (u: { u: number; token: string }) => RequestSpec[]) =>
    shuffle(
      users.flatMap((u) => sample(f(u), Math.ceil(n / users.length), rand)),
      rand,
    );
  const lists: Record<RouteId, RequestSpec[]> = {
    'portal-folders': users.map((u) => get('/portal/folders', u.token)),
    'portal-folder': perUser(400, (u) =>
      model.reachable(spec, u.u).folders.map((j) => get(`/portal/folders/${model.folderId(j)}`, u.token)),
    ),
    'portal-download': perUser(400, (u) =>
      model
        .reachable(spec, u.u)
        .files.filter(hasFile)
        .map((i) => get(`/portal/files/${model.fileId(i)}/download`, u.token)),
    ),
    'share-open': links.map((l) => get('/share', undefined, l.token)),
    'share-download': shuffle(
      links.flatMap((l) =>
        sample(
          model
            .subtree(spec, l.folder)
            .flatMap((j) => model.filesIn(spec, j))
            .filter(hasFile),
          Math.ceil(400 / links.length),
          rand,
        ).map((i) => get(`/share/files/${model.fileId(i)}/download`, undefined, l.token)),
      ),
      rand,
    ),
    'staff-folder': Array.from({ length: 400 }, () =>
      get(`/folders/${model.folderId(Math.floor(rand() * spec.folders))}`, adminToken),
    ),
    'staff-upload': Array.from({ length: 400 }, () => ({
      method: 'POST',
      url: `${base}/folders/${model.folderId(Math.floor(rand() * spec.folders))}/files`,
      headers: { ...as(adminToken), 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'bench __N__.pdf', size: 2048, contentType: 'application/pdf' }),
    })),
    activity: [get('/activity', adminToken)],
    // The big folder (spec.bigFolder files in one folder), page 1 of each "largest/newest/last first".
    'staff-sorted': ['size', 'modified', 'name'].map((sort) =>
      get(`/folders/${model.bigFolderId()}?sort=${sort}&order=desc`, adminToken),
    ),
    'staff-search': [get('/search?q=documento', adminToken)],
    'share-search': links.map((l) => get('/share/search?q=documento', undefined, l.token)),
  };
  for (const [id, list] of Object.entries(lists)) if (!list.length) throw new Error(`no requests for ${id}`);
  return lists;
}

/**
 * Raw operations as a function makes them: the SDK client configured as the Lambda code's, signed with
 * the portal function's credentials, through the local AWS gateway to the emulator. The floor and the
 * store's own costs, on the same path the routes' calls take.
 */
export const RAW_OPS = {
  floor: 'GetItem of a file (the floor)',
  'api-health': 'API hop: GET /health (no token, no DynamoDB)',
  'api-me': 'API hop + JWT + one GetItem: GET /me (staff)',
  'raw-query-children': 'Query GSI1 CHILD#<folder> (a listing)',
  'raw-query-user': 'Query USER#<sub> (profile + grants)',
  'raw-batchget': 'BatchGetItem of a folder and its ancestors',
  'raw-query-search': "Query SEARCH#root 'documento…', 100 entries",
  'raw-batchget-files': 'BatchGetItem of 25 files (a search page)',
  'raw-put-event': 'PutItem of an event copy (conditional)',
} as const;
export type RawOp = keyof typeof RAW_OPS;

async function rawRequests(
  stack: LocalStack,
  dynamodb: string,
  spec: SizeSpec,
  hasFile: (i: number) => boolean,
  userSub: string,
  adminToken: string,
): Promise<Record<RawOp, RequestSpec[]>> {
  const rand = rng(ROUTE_SEED + 1);
  const table = stack.state.tableName;
  const credentials = stack.aws.functions.portal;
  const signed = (
    operation: NonNullable<RequestSpec['dynamodb']>['operation'],
    input: Record<string, unknown>,
  ): RequestSpec => ({
    method: 'POST',
    url: dynamodb,
    dynamodb: { operation, input: operation === 'BatchGetItem' ? input : { TableName: table, ...input }, credentials },
  });
  const S = (v: string) => ({ S: v });
  const anyFile = () => {
    for (let tries = 0; tries < 1_000_000; tries++) {
      const i = Math.floor(rand() * spec.files);
      if (hasFile(i)) return i;
    }
    throw new Error('the seed wrote no files to draw requests from');
  };
  const anyFolder = () => Math.floor(rand() * spec.folders);
  const deepFolder = () => {
    for (;;) {
      const j = anyFolder();
      if (model.ancestorIndexes(spec, j).length >= 1 || spec.folders < 2 * spec.webusers) return j;
    }
  };
  return {
    'api-health': [{ method: 'GET', url: `${stack.apiUrl}/health`, headers: { 'user-agent': 'carpeta-bench' } }],
    'api-me': [
      {
        method: 'GET',
        url: `${stack.apiUrl}/me`,
        headers: { 'user-agent': 'carpeta-bench', authorization: `Bearer ${adminToken}` },
      },
    ],
    floor: Array.from({ length: 400 }, () =>
      signed('GetItem', { Key: { PK: S(`FILE#${model.fileId(anyFile())}`), SK: S('META') }, ConsistentRead: true }),
    ),
    'raw-query-children': Array.from({ length: 200 }, () =>
      signed('Query', {
        IndexName: 'GSI1',
        KeyConditionExpression: 'GSI1PK = :pk',
        ExpressionAttributeValues: { ':pk': S(`CHILD#${model.folderId(anyFolder())}`) },
        Limit: 200,
      }),
    ),
    'raw-query-user': [
      signed('Query', {
        KeyConditionExpression: 'PK = :pk',
        ExpressionAttributeValues: { ':pk': S(`USER#${userSub}`) },
        ConsistentRead: true,
      }),
    ],
    'raw-batchget': Array.from({ length: 200 }, () => {
      const j = deepFolder();
      const keys = [...model.ancestorIndexes(spec, j), j].map((k) => ({
        PK: S(`FOLDER#${model.folderId(k)}`),
        SK: S('META'),
      }));
      return signed('BatchGetItem', { RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } });
    }),
    // The two reads a staff search page is made of (functions/app/name-search.ts), as the route makes them.
    'raw-query-search': [
      signed('Query', {
        KeyConditionExpression: 'PK = :pk AND begins_with(SK, :prefix)',
        ExpressionAttributeValues: { ':pk': S('SEARCH#root'), ':prefix': S('documento') },
        Limit: 100,
      }),
    ],
    'raw-batchget-files': Array.from({ length: 200 }, () => {
      const keys = [...new Set(Array.from({ length: 25 }, anyFile))].map((i) => ({
        PK: S(`FILE#${model.fileId(i)}`),
        SK: S('META'),
      }));
      return signed('BatchGetItem', { RequestItems: { [table]: { Keys: keys, ConsistentRead: true } } });
    }),
    'raw-put-event': [
      (() => {
        const r = signed('PutItem', {
          Item: {
            PK: S('ACT#IN#bench'),
            SK: S('__N__'),
            id: S('__N__'),
            at: S(new Date().toISOString()),
            type: S('download'),
            actor: { M: { kind: S('webuser'), id: S(userSub) } },
            target: { M: { kind: S('file'), id: S(model.fileId(0)) } },
            ip: S('127.0.0.1'),
            userAgent: S('bench'),
          },
          ConditionExpression: 'attribute_not_exists(PK)',
        });
        return r;
      })(),
    ],
  };
}

/**
 * Waits for the emulator to finish digesting the seed (LevelDB compacts in background
 * threads of this process for a while after a large write): until this process uses
 * under 10% of a core for 3 s running, at most 5 minutes.
 */
export async function settle(log: (l: string) => void, name: string): Promise<void> {
  const started = performance.now();
  for (let quiet = 0; quiet < 3 && performance.now() - started < 300_000; ) {
    const before = process.cpuUsage();
    await new Promise((r) => setTimeout(r, 1000));
    const used = process.cpuUsage(before);
    quiet = (used.user + used.system) / 1e6 < 0.1 ? quiet + 1 : 0;
  }
  const s = (performance.now() - started) / 1000;
  if (s > 4) log(`[${name}] waited ${s.toFixed(0)} s for the emulator to settle after seeding`);
}

export interface LoadSettings {
  warmup: number;
  max: number;
  maxMs: number;
}

/** A size, seeded and signed in, ready to be measured (possibly interleaved with other sizes, see bench/run.ts). */
export interface Prepared {
  spec: SizeSpec;
  seeding: CoreResult['seeding'];
  routes: readonly HotRoute[];
  /** Counts what each route's requests cost, one request at a time. */
  costs(requests: number): Promise<Record<string, RouteResult['cost']>>;
  /**
   * Sends every route's and raw operation's requests once, unmeasured, then waits for the
   * process to go quiet: LevelDB compacts files that reads seek through, so the first reads of a
   * freshly seeded large table set off background work that would land on whatever is measured first.
   */
  warm(): Promise<void>;
  /** Signs in again (fresh tokens in every request). */
  refresh(): Promise<void>;
  /** Runs one load job against a route or the floor (a raw GetItem). */
  measure(target: RouteId | RawOp, concurrency: number, load: LoadSettings): Promise<LoadResult>;
  close(): Promise<void>;
}

export async function prepareSize(
  opts: Omit<CoreOptions, 'concurrency' | 'load' | 'meterRequests'>,
): Promise<Prepared> {
  const log = opts.log ?? (() => undefined);
  const t0 = performance.now();
  const spec = opts.spec;
  const dir = mkdtempSync(path.join(tmpdir(), `carpeta-bench-${spec.name}-`));
  process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';
  // No scheduled jobs (notifications, retention) firing in the middle of a measurement.
  process.env.CARPETA_JOBS_INTERVAL_MS = '0';
  const stack = await startLocalStack({ dataDir: dir, port: 0, logFile: path.join(dir, 'handlers.log') });
  const loader = tsWorker(new URL('./load-worker.ts', import.meta.url), undefined);
  let closing: Promise<void> | undefined;
  const close = () =>
    (closing ??= (async () => {
      await loader.terminate();
      await stack.stop();
      if (!opts.keep) rmSync(dir, { recursive: true, force: true });
    })());
  try {
    log(`[${spec.name}] stack up in ${((performance.now() - t0) / 1000).toFixed(1)} s (${dir})`);
    const dynamodb = stack.emulators.dynamodb;

    // The web users the benchmark signs in as are real Cognito users; the rest exist only in the table.
    const { createCognitoUser, setPassword } = await import('../functions/aws/cognito.ts');
    const real: Array<Person & { password: string }> = [];
    for (let u = 0; u < Math.min(spec.signedIn, spec.webusers); u++) {
      const email = `bench-${spec.name}-${u}-${randomBytes(3).toString('hex')}@example.com`;
      const password = `Bench-${randomBytes(6).toString('hex')}!A1`;
      const sub = await createCognitoUser(email, ['webusers']);
      await setPassword(email, password);
      real.push({ sub, email, password });
    }

    const seeding = await seed(dynamodb, spec, real, stack.admin.id, opts);
    log(
      `[${spec.name}] seeded ${seeding.items.toLocaleString('en')} items in ${(seeding.ms / 1000).toFixed(1)} s ` +
        `(${seeding.itemsPerSecond}/s)` +
        (seeding.partial ? ` — PARTIAL: stopped at the deadline, ${seeding.planned.toLocaleString('en')} planned` : ''),
    );
    // A bulk-loaded LevelDB is read through overlapping levels and compacts as it is read: settle it first.
    const compacted = await stack.emulators.compactStorage();
    if (compacted > 1) log(`[${spec.name}] compacted the emulator's LevelDB in ${compacted.toFixed(0)} s`);
    await settle(log, spec.name);
    // Files are written last, those requests are drawn from first: a partial seed still serves every request.
    const order = model.fileOrder(spec);
    const filesSeeded = seeding.partial ? seeding.files : spec.files;
    const hasFile = (i: number) => order.rank(i) < filesSeeded;

    const links: Array<{ token: string; folder: number }> = [];
    const firstToken = await signIn(stack, stack.admin.email, stack.admin.password);
    for (const [k, folder] of model.linkFolders(spec).entries()) {
      links.push({
        folder,
        token: await makeShareLink(stack, firstToken, model.folderId(folder), `bench-link-${k}@example.com`),
      });
    }
    // Access tokens last an hour: a size that waits for a larger one to seed signs in again before it is measured.
    const signInAll = async () => {
      const adminToken = await signIn(stack, stack.admin.email, stack.admin.password);
      const users = await Promise.all(
        real.map(async (p, u) => ({ u, token: await signIn(stack, p.email, p.password) })),
      );
      // First request of each session writes its sign-in event: do it before anything is counted.
      for (const u of users)
        await fetch(`${stack.apiUrl}/portal/folders`, { headers: { authorization: `Bearer ${u.token}` } }).then((r) =>
          r.text(),
        );
      return {
        lists: requestLists(stack, spec, users, links, adminToken, hasFile),
        raw: await rawRequests(stack, stack.gateway.url, spec, hasFile, real[0]?.sub ?? stack.admin.id, adminToken),
      };
    };
    let { lists, raw } = await signInAll();

    const hot = HOT_ROUTES.filter((r) => !opts.routes || opts.routes.includes(r.id));
    return {
      spec,
      seeding,
      routes: hot,
      async costs(requests) {
        // One request at a time, every AWS call of the functions counted as they report them.
        const meter = new Meter((listener) =>
          stack.lambda.trace(listener ? (t) => listener(t.event as never) : undefined),
        );
        const costs: Record<string, RouteResult['cost']> = {};
        for (const route of hot) {
          const list = lists[route.id];
          const per: Cost[] = [];
          const statuses: Record<string, number> = {};
          const requestMs: number[] = [];
          // One unmetered request first, so the instance counted is in its steady state (the staff
          // guard's 15 s profile cache filled) however long the phases before took on a busy machine.
          await fetch(list[0].url, {
            method: list[0].method,
            headers: list[0].headers,
            body: list[0].body?.replaceAll('__N__', `meter-warm-${randomBytes(4).toString('hex')}`),
          }).then((res) => res.text());
          for (let k = 0; k < requests; k++) {
            const r = list[k % list.length];
            const body = r.body?.replaceAll('__N__', `meter-${k}-${randomBytes(4).toString('hex')}`);
            await meter.start();
            let status = 0;
            const sent = performance.now();
            try {
              const res = await fetch(r.url, { method: r.method, headers: r.headers, body });
              await res.text();
              status = res.status;
              requestMs.push(performance.now() - sent);
            } finally {
              per.push(await meter.stop());
            }
            statuses[status] = (statuses[status] ?? 0) + 1;
          }
          const other: Record<string, number> = {};
          for (const c of per)
            for (const [svc, n] of Object.entries(c.callsByService))
              if (svc !== 'dynamodb') other[svc] = Math.max(other[svc] ?? 0, n);
          // The typical request (the most common shape), and the worst one: a few requests do more by
          // design (the staff guard re-reads the profile every 15 s; a new session's sign-in event).
          // (The event's copies vary with the target's depth: not part of the shape.)
          const shape = (c: Cost) => `${c.rounds}/${c.eventRounds}/${c.dynamoCalls - c.eventCalls}`;
          const counts = new Map<string, number>();
          for (const c of per) counts.set(shape(c), (counts.get(shape(c)) ?? 0) + 1);
          const typical = per.find((c) => shape(c) === [...counts.entries()].sort((x, y) => y[1] - x[1])[0][0])!;
          const mean = (f: (c: Cost) => number) =>
            Math.round((per.reduce((n, c) => n + f(c), 0) / per.length) * 100) / 100;
          costs[route.id] = {
            requests: per.length,
            rounds: typical.rounds,
            eventRounds: typical.eventRounds,
            dynamoCalls: typical.dynamoCalls - typical.eventCalls + Math.max(...per.map((c) => c.eventCalls)),
            eventCalls: Math.max(...per.map((c) => c.eventCalls)),
            dynamoByOp: typical.dynamoByOp,
            roundsMax: Math.max(...per.map((c) => c.rounds - c.eventRounds)),
            callsMax: Math.max(...per.map((c) => c.dynamoCalls - c.eventCalls)),
            typicalShare: Math.round((counts.get(shape(typical))! / per.length) * 100) / 100,
            otherCalls: other,
            rcu: mean((c) => c.rcu),
            wcu: mean((c) => c.wcu),
            statuses,
            requestMs: Math.round(median(requestMs) * 100) / 100,
            dynamoMs: Math.round(median(per.map((c) => c.dynamoWallMs)) * 100) / 100,
          };
        }
        log(`[${spec.name}] costs counted (${requests} requests per route)`);
        return costs;
      },
      async refresh() {
        ({ lists, raw } = await signInAll());
      },
      async warm() {
        const started = performance.now();
        for (const target of [...Object.keys(raw), ...hot.map((r) => r.id)]) {
          const requests = target in RAW_OPS ? raw[target as RawOp] : lists[target as RouteId];
          await ask<LoadResult>(loader, {
            requests,
            concurrency: 4,
            warmup: 0,
            max: Math.min(400, requests.length * 2),
            maxMs: 20_000,
          } satisfies LoadJob);
        }
        await settle(log, spec.name);
        log(`[${spec.name}] warmed up in ${((performance.now() - started) / 1000).toFixed(0)} s`);
      },
      measure(target, concurrency, load) {
        const requests = target in RAW_OPS ? raw[target as RawOp] : lists[target as RouteId];
        return ask<LoadResult>(loader, { requests, concurrency, ...load } satisfies LoadJob);
      },
      close,
    };
  } catch (e) {
    await close().catch(() => undefined);
    throw e;
  }
}

/** Latencies gathered for one route at one concurrency (possibly over several blocks). */
export class Tally {
  latencies: number[] = [];
  elapsedMs = 0;
  bad = 0;
  sampleError?: string;
  add(r: LoadResult, expected: number): this {
    this.latencies.push(...r.latencies);
    this.elapsedMs += r.elapsedMs;
    this.bad += r.latencies.length - (r.statuses[String(expected)] ?? 0);
    this.sampleError ??= r.sampleError;
    return this;
  }
  summary(): Summary {
    return summarize(this.latencies, this.elapsedMs, this.bad);
  }
}

/** Puts a size's measurements together as the tables read them. */
export function assemble(
  p: Pick<Prepared, 'spec' | 'seeding' | 'routes'>,
  costs: Record<string, RouteResult['cost']>,
  floor: Record<string, Tally>,
  routeTallies: Record<string, Record<string, Tally>>,
  routeFloors: Record<string, Tally>,
  raw: Record<string, Tally>,
  startedAt: string,
  ms: number,
): CoreResult {
  const routes = p.routes.map((route): RouteResult => {
    const latency: Record<string, Summary> = {};
    let sampleError: string | undefined;
    for (const [level, t] of Object.entries(routeTallies[route.id] ?? {})) {
      latency[level] = t.summary();
      sampleError ??= t.sampleError;
    }
    const floorP50 = routeFloors[route.id]?.latencies.length ? routeFloors[route.id].summary().p50 : undefined;
    const ratio = floorP50 && latency.c1 ? Math.round((latency.c1.p50 / floorP50) * 100) / 100 : undefined;
    return {
      id: route.id,
      label: route.label,
      kind: route.kind,
      doc: route.doc,
      cost: costs[route.id],
      latency,
      floorP50,
      ratio,
      ...(sampleError ? { sampleError } : {}),
    };
  });
  const sum = (o: Record<string, Tally>) => Object.fromEntries(Object.entries(o).map(([k, t]) => [k, t.summary()]));
  return { size: p.spec, seeding: p.seeding, floor: sum(floor), raw: sum(raw), routes, startedAt, ms };
}

/** One size on its own: costs, the floor, then each route at each concurrency. */
export async function runCore(opts: CoreOptions): Promise<CoreResult> {
  const log = opts.log ?? (() => undefined);
  const startedAt = new Date().toISOString();
  const t0 = performance.now();
  const p = await prepareSize(opts);
  try {
    const costs = await p.costs(opts.meterRequests);
    const load = (c: number, warmup = opts.load.warmup): LoadSettings => ({
      warmup,
      max: opts.load.max(c),
      maxMs: opts.load.maxMs,
    });
    const floor: Record<string, Tally> = {};
    for (const c of opts.concurrency) floor[`c${c}`] = new Tally().add(await p.measure('floor', c, load(c)), 200);
    const raw: Record<string, Tally> = {};
    for (const op of Object.keys(RAW_OPS) as RawOp[])
      if (op !== 'floor' && opts.concurrency.length) raw[op] = new Tally().add(await p.measure(op, 1, load(1)), 200);
    const tallies: Record<string, Record<string, Tally>> = {};
    const floors: Record<string, Tally> = {};
    for (const route of p.routes) {
      tallies[route.id] = {};
      for (const c of opts.concurrency) {
        // A short floor run right before, so drift (compaction, GC) hits both alike.
        if (c === 1)
          floors[route.id] = new Tally().add(
            await p.measure('floor', 1, {
              warmup: Math.min(20, opts.load.warmup),
              max: opts.load.max(1),
              maxMs: opts.load.maxMs,
            }),
            200,
          );
        tallies[route.id][`c${c}`] = new Tally().add(await p.measure(route.id, c, load(c)), route.status);
      }
      const lat = tallies[route.id];
      if (opts.concurrency.length)
        log(
          `[${p.spec.name}] ${route.label}: ` +
            opts.concurrency.map((c) => `c=${c} p50 ${lat[`c${c}`].summary().p50.toFixed(2)} ms`).join('; '),
        );
    }
    return assemble(p, costs, floor, tallies, floors, raw, startedAt, Math.round(performance.now() - t0));
  } finally {
    await p.close();
  }
}
