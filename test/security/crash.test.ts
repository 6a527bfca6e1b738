/**
 * Issue 8, "Faults": the local stack is killed with SIGKILL in the middle of
 * uploads and grants, and started again on the same data directory (what
 * `npm start` keeps under .carpeta/). Every operation that was answered 2xx
 * before the kill is there afterwards (folders, files with identical bytes,
 * grants, web users); the store is readable everywhere; operations cut short
 * can be retried (never a 5xx); new writes work.
 */

import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CognitoIdentityProviderClient, InitiateAuthCommand } from '@aws-sdk/client-cognito-identity-provider';
import { afterAll, describe, it } from '@jest/globals';
import { download, uploadWith } from '../support/upload.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

interface Child {
  proc: ChildProcess;
  info: { url: string; apiUrl: string; cognito: string; clientId: string; admin: { email: string; password: string } };
}

function startChild(dataDir: string): Promise<Child> {
  const proc = spawn(process.execPath, ['--import', 'tsx', path.join(root, 'test/support/crash-child.ts'), dataDir], {
    cwd: root,
    env: {
      ...process.env,
      NODE_OPTIONS: '--no-warnings',
      AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`child did not start: ${err.slice(-2000)}`)), 90_000);
    proc.stderr!.on('data', (d) => (err += d));
    proc.stdout!.on('data', (d) => {
      out += d;
      const line = out.split('\n').find((l) => l.startsWith('{') && l.includes('"ready"'));
      if (line) {
        clearTimeout(timer);
        resolve({ proc, info: JSON.parse(line) });
      }
    });
    proc.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`child exited (${code}) before it was ready: ${err.slice(-2000)}`));
    });
  });
}

async function signIn(c: Child, email: string, password: string): Promise<string> {
  const idp = new CognitoIdentityProviderClient({
    endpoint: c.info.cognito,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
    maxAttempts: 1,
  });
  try {
    const out = await idp.send(
      new InitiateAuthCommand({
        AuthFlow: 'USER_PASSWORD_AUTH',
        ClientId: c.info.clientId,
        AuthParameters: { USERNAME: email, PASSWORD: password },
      }),
    );
    return out.AuthenticationResult!.AccessToken!;
  } finally {
    idp.destroy();
  }
}

function api(c: Child, token: string) {
  return async (method: string, p: string, body?: unknown) => {
    const res = await fetch(`${c.info.apiUrl}${p}`, {
      method,
      headers: {
        authorization: `Bearer ${token}`,
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(15_000),
    });
    const text = await res.text();
    return { status: res.status, body: text ? JSON.parse(text) : undefined };
  };
}

describe('faults: SIGKILL during uploads and grants, restart on the same data', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'carpeta-crash-'));
  let child: Child | undefined;
  afterAll(() => {
    child?.proc.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps every completed operation and stays readable and writable', async () => {
    child = await startChild(dataDir);
    let staff = await signIn(child, child.info.admin.email, child.info.admin.password);
    let call = api(child, staff);
    const base = await call('POST', '/folders', { parentId: 'root', name: 'Antes del corte' });
    assert.equal(base.status, 201);
    const users: string[] = [];
    for (let i = 0; i < 3; i++) {
      const u = await call('POST', '/webusers', { email: `crash-${i}@example.com`, name: `Crash ${i}` });
      assert.equal(u.status, 201, JSON.stringify(u.body));
      users.push(u.body.id);
    }

    const done = {
      folders: [] as string[],
      files: [] as Array<{ id: string; folderId: string; name: string; bytes: Buffer }>,
      grants: [] as Array<{ folderId: string; userId: string }>,
    };
    const started: Array<{ id: string; versionId: string; bytes: Buffer; uploaded: boolean }> = [];
    let killed = false;
    const worker = async (w: number) => {
      for (let i = 0; !killed; i++) {
        try {
          const f = await call('POST', '/folders', { parentId: base.body.id, name: `w${w}-${i}` });
          if (f.status !== 201) throw new Error(`folder ${f.status}`);
          done.folders.push(f.body.id);
          const bytes = randomBytes(20_000 + i);
          const s = await call('POST', `/folders/${f.body.id}/files`, {
            name: `doc-${w}-${i}.pdf`,
            size: bytes.length,
            contentType: 'application/pdf',
          });
          if (s.status !== 201) throw new Error(`start ${s.status}`);
          const entry = { id: s.body.file.id as string, versionId: s.body.versionId as string, bytes, uploaded: false };
          started.push(entry);
          await uploadWith(s.body.upload, bytes, 'application/pdf');
          entry.uploaded = true;
          const c = await call('POST', `/files/${entry.id}/versions/${entry.versionId}/complete`, {});
          if (c.status !== 200) throw new Error(`complete ${c.status}`);
          done.files.push({ id: entry.id, folderId: f.body.id, name: `doc-${w}-${i}.pdf`, bytes });
          const userId = users[i % users.length];
          const g = await call('PUT', `/folders/${f.body.id}/grants/${userId}`, {});
          if (g.status !== 200) throw new Error(`grant ${g.status}`);
          done.grants.push({ folderId: f.body.id, userId });
        } catch (err) {
          if (killed) return;
          throw err;
        }
      }
    };
    const workers = [0, 1, 2, 3].map(worker);
    // Kill once real work has been done, in the middle of whatever is in flight.
    const deadline = Date.now() + 20_000;
    while (done.grants.length < 8 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    await new Promise((r) => setTimeout(r, Math.floor(Math.random() * 40)));
    killed = true;
    child.proc.kill('SIGKILL');
    await Promise.all(workers);
    await new Promise<void>((r) =>
      child!.proc.exitCode !== null || child!.proc.signalCode !== null ? r() : child!.proc.once('exit', () => r()),
    );
    assert.ok(done.grants.length >= 8, `work was done before the kill (${done.grants.length} grants)`);

    // Same data directory, new process.
    child = await startChild(dataDir);
    staff = await signIn(child, child.info.admin.email, child.info.admin.password);
    call = api(child, staff);

    for (const id of done.folders) assert.equal((await call('GET', `/folders/${id}`)).status, 200, `folder ${id}`);
    for (const f of done.files) {
      const listing = await call('GET', `/folders/${f.folderId}`);
      assert.ok(
        listing.body.files.some((x: any) => x.id === f.id && x.name === f.name),
        `file ${f.name} listed`,
      );
      const dl = await call('GET', `/files/${f.id}/download`);
      assert.equal(dl.status, 200);
      assert.ok((await download(dl.body.url)).bytes.equals(f.bytes), `file ${f.name}: identical bytes`);
    }
    for (const g of done.grants) {
      const grants = await call('GET', `/folders/${g.folderId}/grants`);
      assert.ok(JSON.stringify(grants.body).includes(g.userId), `grant on ${g.folderId}`);
    }
    for (const id of users) assert.equal((await call('GET', `/webusers/${id}`)).status, 200);

    // Cut-short uploads: completing them again is a clean answer, never a 5xx.
    for (const s of started.filter((x) => !done.files.some((f) => f.id === x.id))) {
      const c = await call('POST', `/files/${s.id}/versions/${s.versionId}/complete`, {});
      assert.ok([200, 404, 409].includes(c.status), `retry complete: ${c.status} ${JSON.stringify(c.body)}`);
      if (c.status === 200 && s.uploaded) {
        const dl = await call('GET', `/files/${s.id}/download`);
        assert.ok((await download(dl.body.url)).bytes.equals(s.bytes));
      }
    }

    // Readable everywhere: the tree, users, trash, the whole activity log.
    const top = await call('GET', `/folders/${base.body.id}?limit=1000`);
    assert.equal(top.status, 200);
    assert.ok(top.body.folders.length >= done.folders.length);
    assert.equal((await call('GET', '/folders/root')).status, 200);
    assert.equal((await call('GET', '/webusers')).status, 200);
    assert.equal((await call('GET', '/trash')).status, 200);
    let cursor: string | undefined;
    let events = 0;
    do {
      const page = await call('GET', `/activity?limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
      assert.equal(page.status, 200);
      events += page.body.events.length;
      cursor = page.body.nextCursor;
    } while (cursor);
    assert.ok(events >= done.folders.length + done.files.length + done.grants.length, `${events} events`);

    // And writable.
    const after = await call('POST', '/folders', { parentId: base.body.id, name: 'Después del corte' });
    assert.equal(after.status, 201);
    const u = await call('POST', '/webusers', { email: 'after-crash@example.com', name: 'Después' });
    assert.equal(u.status, 201, JSON.stringify(u.body));
    child.proc.kill('SIGTERM');
  });
});
