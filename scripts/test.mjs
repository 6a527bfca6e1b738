#!/usr/bin/env node
/**
 * `npm test`: type-check, build the site, then every test file under test/
 * with node's test runner (tsx for TypeScript), two files at a time.
 *   npm test                 everything
 *   npm test -- unit infra   only those folders (unit, integration, infra, security, e2e)
 */
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const suites = ['unit', 'infra', 'integration', 'security', 'e2e'];
const wanted = process.argv.slice(2).filter((a) => suites.includes(a));
const run = (cmd, args, env = {}) => {
  const r = spawnSync(cmd, args, {
    stdio: 'inherit',
    env: {
      ...process.env,
      AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      ...env,
    },
  });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

const files = (dir) =>
  readdirSync(dir, { recursive: true })
    .map((f) => path.join(dir, String(f)))
    .filter((f) => f.endsWith('.test.ts') && statSync(f).isFile())
    .sort();

const chosen = wanted.length ? wanted : suites;
if (!wanted.length) run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
if (chosen.includes('e2e')) run('npm', ['run', '--silent', 'build:web']);

const testFiles = chosen.flatMap((s) => files(path.join('test', s)));
if (!testFiles.length) {
  console.error('no test files found');
  process.exit(1);
}
run(process.execPath, ['--import', 'tsx', '--test', '--test-concurrency=2', '--test-reporter=spec', ...testFiles], {
  NODE_OPTIONS: '--no-warnings',
});
