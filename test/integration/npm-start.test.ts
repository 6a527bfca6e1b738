/**
 * `npm start` as an operator runs it (local/main.ts in its own process): it
 * prints where everything is, prints the admin password only when it made it
 * up (a password passed in ADMIN_PASSWORD would otherwise end up in CI logs),
 * and stops cleanly on SIGTERM.
 */

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, it } from '@jest/globals';

const root = path.resolve(import.meta.dirname, '../..');

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await new Promise((r) => server.once('listening', r));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((r) => server.close(r));
  return port;
}

describe('npm start', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'carpeta-start-'));
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('with ADMIN_PASSWORD set, runs the product and never prints or logs that password', async () => {
    const password = `Operator-${Math.random().toString(36).slice(2)}-Chosen9!`;
    const port = await freePort();
    const logFile = path.join(dir, 'carpeta.log');
    child = spawn(process.execPath, ['--import', 'tsx', '--no-warnings', 'local/main.ts'], {
      cwd: root,
      env: {
        ...process.env,
        PORT: String(port),
        CARPETA_DATA_DIR: path.join(dir, 'data'),
        CARPETA_LOG_FILE: logFile,
        ADMIN_PASSWORD: password,
        ADMIN_EMAIL: 'operator@example.com',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout!.on('data', (c) => (out += c));
    child.stderr!.on('data', (c) => (out += c));
    const exited = new Promise<number | null>((resolve) => child!.once('exit', (code) => resolve(code)));
    await Promise.race([
      new Promise<void>((resolve) => {
        const poll = setInterval(() => out.includes('Press Ctrl-C') && (clearInterval(poll), resolve()), 100);
      }),
      exited.then((code) => assert.fail(`npm start exited (${code}) before it was ready:\n${out}`)),
    ]);
    assert.match(out, new RegExp(`Site\\s+http://(localhost|127\\.0\\.0\\.1):${port}/`));
    assert.match(out, /Staff password\s+\(the one in ADMIN_PASSWORD\)/);
    assert.equal((await fetch(`http://127.0.0.1:${port}/api/health`)).status, 200);

    child.kill('SIGTERM');
    assert.equal(await exited, 0, out);
    assert.ok(!out.includes(password), 'the operator-chosen password is on the console');
    assert.ok(!readFileSync(logFile, 'utf8').includes(password), 'the operator-chosen password is in the log');
  });
});
