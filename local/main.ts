/**
 * `npm start`: the whole product on this machine, with no AWS account.
 * Builds the site if it has not been built, starts the local stack on PORT
 * (default 3000) with data under CARPETA_DATA_DIR (default .carpeta/), prints
 * where everything is, and stops cleanly on Ctrl-C.
 */
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalStack } from './stack.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';

if (!existsSync(path.join(root, 'web/dist/index.html')) && existsSync(path.join(root, 'web/vite.config.ts'))) {
  console.log('Building the site (first start)…');
  const r = spawnSync('npm', ['run', '--silent', 'build:web'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) console.warn('The site build failed; the API still runs.');
}

const started = Date.now();
const stack = await startLocalStack({
  dataDir: process.env.CARPETA_DATA_DIR ?? path.join(root, '.carpeta'),
  port: Number(process.env.PORT ?? 3000),
  demo: true,
  logFile: process.env.CARPETA_LOG_FILE,
});

console.log(`
Carpeta is running (started in ${((Date.now() - started) / 1000).toFixed(1)} s)

  Site             ${stack.url}/
  API              ${stack.apiUrl}/health
  Site config      ${stack.url}/config.json
  Sent mail        ${stack.url}/_local/mailbox   (JSON: ${stack.url}/_local/mail)

  Admin sign-in    ${stack.admin.email}
  Admin password   ${stack.admin.password}

  Data kept in     ${stack.state ? (process.env.CARPETA_DATA_DIR ?? '.carpeta/') : ''}
  Press Ctrl-C to stop.
`);

let stopping = false;
const stop = async () => {
  if (stopping) process.exit(1);
  stopping = true;
  console.log('\nStopping…');
  await stack.stop().catch(() => undefined);
  process.exit(0);
};
process.on('SIGINT', stop);
process.on('SIGTERM', stop);
