#!/usr/bin/env node
/**
 * `npm test`: type-check, lint and format check, build the site, then every
 * test with jest (one project per suite, see jest.config.js).
 *   npm test                   everything
 *   npm test -- unit infra     only those suites (unit, infra, integration, security, e2e)
 *   npm test -- unit -t bundle extra arguments go to jest
 */
import { spawnSync } from 'node:child_process';

const suites = ['unit', 'infra', 'integration', 'security', 'e2e'];
const args = process.argv.slice(2);
const wanted = args.filter((a) => suites.includes(a));
const rest = args.filter((a) => !suites.includes(a));
const quiet = {
  AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
  AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
};
const run = (cmd, argv, env = {}) => {
  const r = spawnSync(cmd, argv, { stdio: 'inherit', env: { ...process.env, ...quiet, ...env } });
  if (r.status !== 0) process.exit(r.status ?? 1);
};

const chosen = wanted.length ? wanted : suites;
if (!wanted.length) {
  run('npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']);
  // Lint and format (Biome), and the 120-column rule for what the formatter leaves alone.
  run('npx', ['biome', 'ci', '.']);
  run(process.execPath, ['scripts/check-lines.mjs']);
}
if (chosen.includes('e2e')) run('npm', ['run', '--silent', 'build:web']);

run(
  process.execPath,
  // --selectProjects takes every name after it: the other arguments go first.
  ['node_modules/jest/bin/jest.js', ...rest, '--selectProjects', ...chosen],
  // jest's ESM mode runs on node's vm modules; the warning about them being experimental is not news.
  { NODE_OPTIONS: `${process.env.NODE_OPTIONS ?? ''} --experimental-vm-modules --no-warnings`.trim() },
);
