/**
 * `npm run bench`: the six tables of issue 7 (docs/PERFORMANCE.md explains them).
 *
 *   npm run bench                                  small and medium, 256 MiB bytes, cold start
 *   npm run bench -- --size small --quick          the quick check (under ~90 s)
 *   npm run bench -- --size small,medium,large     large too (seeding is bounded by --seed-minutes)
 *   npm run bench -- --bytes-mib 64                a smaller bytes test
 *   npm run bench -- --phases sizes|bytes|coldstart (comma-separated; default all)
 *
 * Everything runs on loopback against a local stack in a temporary directory;
 * each size and the bytes test run in their own child process, and the sizes'
 * measurements are interleaved block by block (see bench/child.ts). Results are
 * printed and written to bench/results/<time>.json and bench/results/latest.json.
 * Nothing here asserts a timing.
 */

import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, freemem, loadavg, tmpdir, totalmem } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { BytesResult } from './bytes.ts';
import { type ColdStartResult, runColdStart } from './coldstart.ts';
import { assemble, type CoreResult, RAW_OPS, Tally } from './core.ts';
import type { LoadResult } from './load-worker.ts';
import type { SizeSpec } from './model.ts';
import { itemCount, SIZES } from './model.ts';
import { bytesTable, coldStartTable, costTable, growthTable, latencyTable, ratioTable, rawTable } from './report.ts';
import { HOT_ROUTES, type RouteId } from './routes.ts';

/** The tally under `key`, made on first use. */
function slot(tallies: Record<string, Tally>, key: string): Tally {
  tallies[key] ??= new Tally();
  return tallies[key];
}

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..');

function args(argv: string[]) {
  const o: Record<string, string | boolean> = {};
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (!a.startsWith('--')) continue;
    const [k, v] = a.slice(2).split('=');
    if (v !== undefined) o[k] = v;
    else if (argv[i + 1] && !argv[i + 1].startsWith('--')) o[k] = argv[++i];
    else o[k] = true;
  }
  return o;
}

const a = args(process.argv.slice(2));
const sizes = String(a.size ?? 'small,medium')
  .split(',')
  .filter(Boolean);
for (const s of sizes) if (!SIZES[s]) throw new Error(`--size: one of ${Object.keys(SIZES).join(', ')}`);
const quick = !!a.quick;
const onlySmall = sizes.every((s) => s === 'small' || s === 'tiny');
const mib = Number(a['bytes-mib'] ?? (quick || onlySmall ? 16 : 256));
const reps = Number(a['bytes-reps'] ?? (quick ? 3 : 5));
const seedMinutes = Number(a['seed-minutes'] ?? 30);
const phases = new Set(String(a.phases ?? 'sizes,bytes,coldstart').split(','));

/** Runs the bytes phase in a child process and returns its result. */
function child(phase: string, options: unknown): Promise<unknown> {
  const dir = mkdtempSync(path.join(tmpdir(), 'carpeta-bench-out-'));
  const out = path.join(dir, 'result.json');
  return new Promise((resolve, reject) => {
    const p = spawn(
      process.execPath,
      ['--import', 'tsx', path.join(here, 'child.ts'), phase, JSON.stringify(options), out],
      { cwd: root, stdio: ['ignore', 'inherit', 'pipe'], env: childEnv },
    );
    let err = '';
    p.stderr.on('data', (d: Buffer) => {
      err += d;
      process.stderr.write(d);
    });
    p.on('exit', (code) => {
      try {
        if (code !== 0) throw new Error(`bench ${phase} exited ${code}: ${err.slice(-2000)}`);
        resolve(JSON.parse(readFileSync(out, 'utf8')));
      } catch (e) {
        reject(e);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  });
}

const childEnv = {
  ...process.env,
  AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  NODE_OPTIONS: '--no-warnings',
};

interface Ready {
  spec: SizeSpec;
  seeding: CoreResult['seeding'];
  routes: RouteId[];
}

/** A size served by a child process: seeded, then measured on command. */
async function serve(options: Record<string, unknown>) {
  const p = spawn(
    process.execPath,
    ['--import', 'tsx', path.join(here, 'child.ts'), 'serve', JSON.stringify(options)],
    { cwd: root, stdio: ['ignore', 'inherit', 'inherit', 'ipc'], env: childEnv },
  );
  const next = () =>
    new Promise<any>((resolve, reject) => {
      const onExit = (code: number | null) => reject(new Error(`bench size ${String(options.size)} exited ${code}`));
      p.once('exit', onExit);
      p.once('message', (m: { error?: string }) => {
        p.off('exit', onExit);
        if (m?.error) reject(new Error(m.error));
        else resolve(m);
      });
    });
  const ready = (await next()) as Ready;
  return {
    ...ready,
    ask<T>(m: Record<string, unknown>): Promise<T> {
      const r = next();
      p.send(m);
      return r;
    },
    kill: () => p.kill(),
  };
}

const started = Date.now();
const machine = {
  nproc: cpus().length,
  cpu: cpus()[0]?.model,
  memoryGiB: Math.round(totalmem() / 2 ** 30),
  freeGiB: Math.round(freemem() / 2 ** 30),
  node: process.version,
  platform: `${process.platform} ${process.arch}`,
  loadavgAtStart: loadavg().map((x) => Math.round(x * 100) / 100),
};
console.log(
  `carpeta bench: sizes ${sizes.join(', ')}${quick ? ' (quick)' : ''}; ${machine.nproc} cores, ` +
    `${machine.memoryGiB} GiB, node ${machine.node}; load ${machine.loadavgAtStart.join(' ')}`,
);

const results: CoreResult[] = [];
if (phases.has('sizes')) {
  const kids: Array<Awaited<ReturnType<typeof serve>>> = [];
  try {
    for (const s of sizes) {
      const planned = itemCount(SIZES[s]);
      const rate = kids.at(-1)?.seeding.itemsPerSecond ?? 2_000;
      const eta = planned / rate / 60;
      console.log(
        `\n[${s}] seeding ${planned.toLocaleString('en')} items: about ` +
          `${eta < 1 ? `${Math.round(eta * 60)} s` : `${eta.toFixed(0)} min`} at ${rate.toLocaleString('en')} items/s` +
          (eta > seedMinutes
            ? ` — more than --seed-minutes ${seedMinutes}: it will stop there and measure what was written`
            : ''),
      );
      kids.push(await serve({ size: s, seedMinutes, keep: !!a.keep }));
    }
    const t0 = new Date().toISOString();
    for (const k of kids) await k.ask({ cmd: 'refresh' });
    for (const k of kids) await k.ask({ cmd: 'warm' });
    const costs: Array<Record<string, CoreResult['routes'][number]['cost']>> = [];
    for (const k of kids)
      costs.push(
        await k.ask<Record<string, CoreResult['routes'][number]['cost']>>({ cmd: 'costs', requests: quick ? 5 : 20 }),
      );
    // Sizes are measured in alternating blocks (A B, B A, ...): drift in the machine's load hits them alike.
    const plan = {
      c1: { blocks: quick ? 3 : 5, max: quick ? 60 : 300, maxMs: quick ? 4_000 : 15_000 },
      c32: { blocks: quick ? 2 : 4, max: quick ? 320 : 2_000, maxMs: quick ? 4_000 : 15_000 },
    };
    const levels = [1, 32] as const;
    const floor = kids.map(() => ({}) as Record<string, Tally>);
    const tallies = kids.map(() => ({}) as Record<string, Record<string, Tally>>);
    const floors = kids.map(() => ({}) as Record<string, Tally>);
    const order = (b: number) => (b % 2 ? [...kids.keys()].reverse() : [...kids.keys()]);
    const block = (c: number, b: number) => {
      const p = plan[`c${c}` as 'c1' | 'c32'];
      return {
        warmup: b === 0 ? (quick ? 10 : 40) : c === 1 ? 5 : c,
        max: Math.ceil(p.max / p.blocks),
        maxMs: p.maxMs / p.blocks,
      };
    };
    const measure = (k: number, target: string, c: number, load: object) =>
      kids[k].ask<LoadResult>({ cmd: 'measure', target, concurrency: c, load });
    for (const c of levels) {
      for (let b = 0; b < plan[`c${c}`].blocks; b++)
        for (const k of order(b)) slot(floor[k], `c${c}`).add(await measure(k, 'floor', c, block(c, b)), 200);
    }
    const raw = kids.map(() => ({}) as Record<string, Tally>);
    for (const op of Object.keys(RAW_OPS).filter((o) => o !== 'floor')) {
      for (let b = 0; b < plan.c1.blocks; b++)
        for (const k of order(b)) slot(raw[k], op).add(await measure(k, op, 1, block(1, b)), 200);
    }
    for (const route of HOT_ROUTES) {
      for (const c of levels) {
        for (let b = 0; b < plan[`c${c}`].blocks; b++) {
          for (const k of order(b)) {
            // For the ratio: a short floor block right before each route block at c=1.
            if (c === 1)
              slot(floors[k], route.id).add(await measure(k, 'floor', 1, { ...block(1, b), warmup: 5 }), 200);
            tallies[k][route.id] ??= {};
            slot(tallies[k][route.id], `c${c}`).add(await measure(k, route.id, c, block(c, b)), route.status);
          }
        }
      }
      console.log(
        `  ${route.label}: ${kids
          .map((k, i) => {
            const [c1, c32] = [tallies[i][route.id].c1.summary().p50, tallies[i][route.id].c32.summary().p50];
            return `${k.spec.name} p50 ${c1.toFixed(2)} / ${c32.toFixed(1)} ms`;
          })
          .join(', ')} (c=1 / c=32)`,
      );
    }
    for (const [i, k] of kids.entries())
      results.push(
        assemble(
          { ...k, routes: HOT_ROUTES.filter((r) => k.routes.includes(r.id)) },
          costs[i],
          floor[i],
          tallies[i],
          floors[i],
          raw[i],
          t0,
          Date.now() - Date.parse(t0),
        ),
      );
    for (const k of kids) await k.ask({ cmd: 'close' });
  } finally {
    for (const k of kids) k.kill();
  }
}
const bytes = phases.has('bytes') ? ((await child('bytes', { mib, reps })) as BytesResult) : undefined;
const coldstart: ColdStartResult | undefined = phases.has('coldstart')
  ? await runColdStart({ runs: quick ? 5 : 20, node24: a.node24 !== 'false', log: (l) => console.log(l) })
  : undefined;

const out: string[] = [];
for (const r of results) out.push(latencyTable(r));
for (const r of results) out.push(costTable(r));
if (results.length) out.push(ratioTable(results), rawTable(results));
const growth = results.length > 1 ? growthTable(results) : undefined;
if (growth) out.push(growth);
else if (results.length) out.push('\n## 4. Growth\n(needs two sizes: run with --size small,medium)');
if (bytes) out.push(bytesTable(bytes));
if (coldstart) out.push(coldStartTable(coldstart));
console.log(out.join('\n'));

const report = {
  startedAt: new Date(started).toISOString(),
  seconds: Math.round((Date.now() - started) / 1000),
  machine: { ...machine, loadavgAtEnd: loadavg().map((x) => Math.round(x * 100) / 100) },
  args: { sizes, quick, mib, reps, seedMinutes },
  sizes: results,
  bytes,
  coldstart,
  text: out.join('\n'),
};
const dir = path.join(here, 'results');
mkdirSync(dir, { recursive: true });
const file = path.join(dir, `${report.startedAt.replace(/[:.]/g, '-')}.json`);
writeFileSync(file, JSON.stringify(report, null, 2));
writeFileSync(path.join(dir, 'latest.json'), JSON.stringify(report, null, 2));
console.log(`\nwritten ${path.relative(root, file)} (and bench/results/latest.json) in ${report.seconds} s`);
