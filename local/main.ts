/**
 * `npm start`: the whole product on this machine, with no AWS account.
 * Builds the site if it has not been built, starts the local stack on PORT
 * (default 3000) with data under CARPETA_DATA_DIR (default .carpeta/), prints
 * where everything is, and stops cleanly on Ctrl-C.
 */

import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { startLocalStack } from './stack.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Node 20 is what these machines run; the SDK's notice about Node 22 is not for our users.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';

if (!existsSync(path.join(root, 'web/dist/index.html')) && existsSync(path.join(root, 'web/vite.config.ts'))) {
  console.log('Building the site (first start)…');
  const r = spawnSync('npm', ['run', '--silent', 'build:web'], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0) console.warn('The site build failed; the API still runs.');
}

const started = Date.now();
const dataDir = process.env.CARPETA_DATA_DIR ?? path.join(root, '.carpeta');
const port = Number(process.env.PORT ?? 3000);
const stack = await startLocalStack({
  dataDir,
  port,
  demo: true,
  logFile: process.env.CARPETA_LOG_FILE,
  progress: (line) => console.log(line),
}).catch((err) => {
  if ((err as { code?: string }).code === 'EADDRINUSE')
    console.error(`Port ${port} is in use (another Carpeta?). Stop it, or start with PORT=<another port> npm start.`);
  else console.error(err);
  process.exit(1);
});

console.log(`
Carpeta is running (started in ${((Date.now() - started) / 1000).toFixed(1)} s: ${Object.entries(stack.timings)
  .map(([k, v]) => `${k} ${v.toFixed(1)} s`)
  .join(', ')})

  Site             ${stack.url}/
  API              ${stack.apiUrl}/health
  Site config      ${stack.url}/config.json
  Sent mail        ${stack.url}/_local/mailbox   (JSON: ${stack.url}/_local/mail)
  AWS gateway      ${stack.aws.endpoint}   (every function's credentials: ${path.join(dataDir, 'aws.json')})
  DynamoDB         ${stack.emulators.dynamodbEngine}

  Staff sign-in    ${stack.admin.email}
  Staff password   ${
    // A password the operator chose is theirs to know: it is not printed (it would end up in CI logs).
    process.env.ADMIN_PASSWORD ? '(the one in ADMIN_PASSWORD)' : stack.admin.password
  }
${
  stack.demoClient
    ? `  Client sign-in   ${stack.demoClient.email}
  Client password  ${stack.demoClient.password}
`
    : ''
}
  Data kept in     ${dataDir}
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
