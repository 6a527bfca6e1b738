/**
 * The AWS emulators in a child process, on dynalite whatever CARPETA_DYNAMODB says, for
 * test/integration/emulators.test.ts: `node --import tsx test/support/emulators-child.ts <dataDir>`
 * prints one JSON line with the DynamoDB endpoint, then answers each line on stdin: `compact` runs
 * Emulators.compactStorage and prints `{ compacted: seconds }` (or `{ error }`); `stop` stops.
 */
import { createInterface } from 'node:readline';
import { startEmulators } from '../../local/emulators.ts';

const dataDir = process.argv[2];
if (!dataDir) throw new Error('usage: emulators-child.ts <dataDir>');
delete process.env.CARPETA_DYNAMODB;
const emulators = await startEmulators(dataDir);
const say = (m: object) => process.stdout.write(`${JSON.stringify(m)}\n`);
say({ dynamodb: emulators.dynamodb, engine: emulators.dynamodbEngine });
for await (const line of createInterface({ input: process.stdin })) {
  if (line === 'compact')
    await emulators.compactStorage().then(
      (compacted) => say({ compacted }),
      (e: Error) => say({ error: e.message }),
    );
  if (line === 'stop') break;
}
await emulators.stop();
process.exit(0);
