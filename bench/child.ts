/**
 * One part of `npm run bench` in its own process.
 *   node --import tsx bench/child.ts serve <options JSON>           (with an IPC channel)
 *     prepares a size (its own stack, environment and JIT), says `ready`, then
 *     answers the parent's commands one at a time: costs, measure, close.
 *     bench/run.ts interleaves the sizes' measurements block by block, so a
 *     busy machine slows every size alike.
 *   node --import tsx bench/child.ts bytes <options JSON> <result file>
 *   node --import tsx bench/child.ts core <options JSON> <result file>
 *     one size, costs and load, start to end (test/integration/bench-small.test.ts)
 */
import { writeFileSync } from 'node:fs';
import { runBytes } from './bytes.ts';
import { prepareSize, runCore } from './core.ts';
import { SIZES } from './model.ts';

const [phase, raw, out] = process.argv.slice(2);
const o = JSON.parse(raw) as { size?: string; mib?: number; reps?: number; seedMinutes?: number; keep?: boolean };
const log = (l: string) => console.log(l);

if (phase === 'serve') {
  const p = await prepareSize({
    spec: SIZES[o.size!],
    seedConcurrency: 8,
    seedDeadlineMs: (o.seedMinutes ?? 30) * 60_000,
    keep: o.keep,
    log,
  });
  const reply = (m: unknown) => process.send!(m);
  // Killed, or the parent is gone: remove the stack's data directory on the way out.
  const bail = () => void p.close().finally(() => process.exit(1));
  process.once('SIGTERM', bail);
  process.once('disconnect', bail);
  reply({ ready: true, spec: p.spec, seeding: p.seeding, routes: p.routes.map((r) => r.id) });
  process.on(
    'message',
    (m: {
      cmd: string;
      requests?: number;
      target?: string;
      concurrency?: number;
      load?: { warmup: number; max: number; maxMs: number };
    }) => {
      const run = async () => {
        if (m.cmd === 'costs') return p.costs(m.requests!);
        if (m.cmd === 'refresh') return p.refresh().then(() => ({ refreshed: true }));
        if (m.cmd === 'warm') return p.warm().then(() => ({ warmed: true }));
        if (m.cmd === 'measure') return p.measure(m.target as never, m.concurrency!, m.load!);
        if (m.cmd === 'close') {
          await p.close();
          return { closed: true };
        }
        throw new Error(`unknown command ${m.cmd}`);
      };
      run().then(
        (r) => {
          reply(r);
          if (m.cmd === 'close') {
            process.off('disconnect', bail);
            process.disconnect();
          }
        },
        (e) => reply({ error: String(e?.stack ?? e) }),
      );
    },
  );
} else if (phase === 'core') {
  const c = JSON.parse(raw) as {
    size: string;
    concurrency: number[];
    load: { warmup: number; max: number; maxMs: number };
    meterRequests: number;
  };
  const result = await runCore({
    spec: SIZES[c.size],
    concurrency: c.concurrency,
    load: { ...c.load, max: () => c.load.max },
    meterRequests: c.meterRequests,
  });
  writeFileSync(out, JSON.stringify(result));
  process.exit(0);
} else if (phase === 'bytes') {
  writeFileSync(out, JSON.stringify(await runBytes({ mib: o.mib!, reps: o.reps!, log })));
} else {
  throw new Error(`unknown phase ${phase}`);
}
