/**
 * A local stack in a process of its own, driven over IPC by local/spawn.ts
 * (the tests, the load script, the benchmark's check): started from the
 * options in argv, it answers `ready` with what a client needs, then
 * commands (trace the functions' AWS calls, stop). Running the stack outside the test runner keeps the emulators and
 * the native modules they load on plain Node, whatever runs the tests.
 */
import path from 'node:path';
import { type LocalStackOptions, startLocalStack } from './stack.ts';

const options = JSON.parse(process.argv[2] ?? '{}') as LocalStackOptions & { templatePath?: string };
const send = (m: unknown) => process.send?.(m);

try {
  let artifacts: LocalStackOptions['artifacts'];
  if (options.templatePath) {
    // A copy of the synthesized template (e.g. with a statement removed), served with the real assets.
    const { loadArtifacts } = await import('./artifacts.ts');
    const { readFileSync } = await import('node:fs');
    const real = await loadArtifacts();
    artifacts = { ...real, template: JSON.parse(readFileSync(path.resolve(options.templatePath), 'utf8')) };
  }
  const stack = await startLocalStack({ ...options, artifacts });
  const stop = async () => {
    await stack.stop().catch(() => undefined);
    process.exit(0);
  };
  process.once('disconnect', () => void stop());
  process.once('SIGTERM', () => void stop());
  process.on('message', (m: { id: number; cmd: string; on?: boolean }) => {
    const run = async (): Promise<unknown> => {
      if (m.cmd === 'trace') return stack.lambda.trace(m.on ? (t) => send({ type: 'trace', trace: t }) : undefined);
      if (m.cmd === 'stop') {
        await stack.stop();
        setImmediate(() => process.exit(0));
        return undefined;
      }
      throw new Error(`unknown command ${m.cmd}`);
    };
    run().then(
      (result) => send({ type: 'reply', id: m.id, result }),
      (e) => send({ type: 'reply', id: m.id, error: String((e as Error)?.stack ?? e) }),
    );
  });
  send({
    type: 'ready',
    info: {
      url: stack.url,
      apiUrl: stack.apiUrl,
      state: stack.state,
      admin: stack.admin,
      demoClient: stack.demoClient,
      config: stack.config,
      aws: stack.aws,
      timings: stack.timings,
      operatorEnv: stack.operatorEnv,
      emulators: {
        dynamodb: stack.emulators.dynamodb,
        s3: stack.emulators.s3,
        cognito: stack.emulators.cognito,
        ses: stack.emulators.ses,
        dynamodbEngine: stack.emulators.dynamodbEngine,
      },
    },
  });
} catch (e) {
  send({ type: 'error', error: String((e as Error)?.stack ?? e) });
  process.exit(1);
}
