/**
 * A local stack in a child process, for the SIGKILL test (test/security/crash.test.ts):
 * `node --import tsx test/support/crash-child.ts <dataDir>` starts the stack the way
 * `npm start` does (same data layout, persistent emulators) on free ports and prints one
 * JSON line with what the test needs. It runs until it is killed.
 */
import path from 'node:path';
import { startLocalStack } from '../../local/stack.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: crash-child.ts <dataDir>');
const stack = await startLocalStack({ dataDir, port: 0, logFile: path.join(dataDir, 'handlers.log') });
process.stdout.write(
  `${JSON.stringify({
    ready: true,
    url: stack.url,
    apiUrl: stack.apiUrl,
    cognito: stack.emulators.cognito,
    clientId: stack.state.clientId,
    admin: stack.admin,
  })}\n`,
);
process.on('SIGTERM', () => void stack.stop().finally(() => process.exit(0)));
