/**
 * `npm run load`: a realistic mix against a local stack this script starts itself
 * (a child process, loopback only, fresh temp data directory), bounded in time and count.
 *
 *   npm run load                               60 s, 50 clients + 10 staff
 *   npm run load -- --seconds 20 --clients 20 --staff 4 --max-requests 50000
 *
 * Clients (web users) list their folders, get download URLs (and sometimes the bytes),
 * and open share links; staff upload + complete, grant, revoke, list and download. Each
 * simulated person runs one request at a time. Afterwards everything the load did is
 * compared with what the API returns (files, grants, grant counts, download and upload
 * events): zero 5xx and zero lost writes, or the exit code is 1. Latencies are printed
 * (p50/p95/p99 per operation); nothing asserts a timing.
 *
 * Also used by test/security/load-short.test.ts (a 5-second version in `npm test`).
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export interface LoadOptions {
  seconds: number;
  clients: number;
  staff: number;
  maxRequests: number;
  log?: (line: string) => void;
}

export interface LoadReport {
  requests: number;
  seconds: number;
  statuses: Record<string, number>;
  serverErrors: number;
  unexpected: Array<{ op: string; status: number; body: string }>;
  lostWrites: string[];
  ops: Record<string, { count: number; p50: number; p95: number; p99: number; max: number }>;
  p99: number;
  writes: { uploads: number; grants: number; revokes: number; downloads: number };
}

const self = fileURLToPath(import.meta.url);
const root = path.resolve(path.dirname(self), '..');

// ---- the stack, in a child process (so the load generator does not share its event loop) ----

async function childMain(dataDir: string, staffCount: number): Promise<void> {
  process.env.AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE = '1';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
  const { startLocalStack } = await import('../local/stack.ts');
  const stack = await startLocalStack({
    dataDir,
    port: 0,
    logFile: path.join(dataDir, 'handlers.log'),
    env: { RATE_LIMIT_FAILURES: '1000000' },
  });
  const { ensureStaffUser } = await import('../local/seed.ts');
  const staff = [];
  for (let i = 0; i < staffCount; i++) {
    const email = `load-staff-${i}@carpeta.local`;
    const password = `Load-Staff-${randomBytes(6).toString('hex')}-9a!`;
    await ensureStaffUser(email, password, { admin: false, name: `Staff ${i}` });
    staff.push({ email, password });
  }
  process.stdout.write(
    `${JSON.stringify({
      ready: true,
      url: stack.url,
      apiUrl: stack.apiUrl,
      cognito: stack.emulators.cognito,
      clientId: stack.state.clientId,
      admin: stack.admin,
      staff,
    })}\n`,
  );
  process.on('SIGTERM', () => void stack.stop().finally(() => process.exit(0)));
}

interface StackInfo {
  url: string;
  apiUrl: string;
  cognito: string;
  clientId: string;
  admin: { email: string; password: string };
  staff: Array<{ email: string; password: string }>;
}

function startStack(dataDir: string, staff: number): Promise<{ proc: ChildProcess; info: StackInfo }> {
  const proc = spawn(process.execPath, ['--import', 'tsx', self, '--child', dataDir, String(staff)], {
    cwd: root,
    env: { ...process.env, NODE_OPTIONS: '--no-warnings' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`the stack did not start: ${err.slice(-2000)}`)), 120_000);
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
      reject(new Error(`the stack exited (${code}): ${err.slice(-2000)}`));
    });
  });
}

// ---- HTTP -------------------------------------------------------------------------------

async function signIn(info: StackInfo, email: string, password: string): Promise<string> {
  const res = await fetch(info.cognito, {
    method: 'POST',
    headers: {
      'content-type': 'application/x-amz-json-1.1',
      'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
    },
    body: JSON.stringify({
      AuthFlow: 'USER_PASSWORD_AUTH',
      ClientId: info.clientId,
      AuthParameters: { USERNAME: email, PASSWORD: password },
    }),
  });
  const body = (await res.json()) as { AuthenticationResult?: { AccessToken: string } };
  if (!body.AuthenticationResult) throw new Error(`sign-in failed for ${email}: ${JSON.stringify(body)}`);
  return body.AuthenticationResult.AccessToken;
}

interface Res {
  status: number;
  body: any;
  ms: number;
}

async function request(
  info: StackInfo,
  method: string,
  p: string,
  token?: string,
  body?: unknown,
  share?: string,
): Promise<Res> {
  const started = performance.now();
  try {
    const res = await fetch(`${info.apiUrl}${p}`, {
      method,
      headers: {
        ...(token ? { authorization: `Bearer ${token}` } : {}),
        ...(share ? { 'x-share-token': share } : {}),
        ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
      },
      body: body !== undefined ? JSON.stringify(body) : undefined,
      signal: AbortSignal.timeout(30_000),
    });
    const text = await res.text();
    let parsed: any = text;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      /* not JSON */
    }
    return { status: res.status, body: parsed, ms: performance.now() - started };
  } catch (err) {
    // A connection that failed counts as a server error: the stack did not answer.
    return { status: 599, body: String(err), ms: performance.now() - started };
  }
}

async function uploadPost(upload: any, bytes: Uint8Array, contentType: string): Promise<void> {
  const form = new FormData();
  for (const [k, v] of Object.entries(upload.fields as Record<string, string>)) form.append(k, v);
  form.append('file', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: contentType }), 'upload.bin');
  const res = await fetch(upload.url, { method: 'POST', body: form });
  if (res.status >= 300) throw new Error(`upload failed: ${res.status}`);
}

function percentile(sorted: number[], p: number): number {
  if (!sorted.length) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

// ---- the load -----------------------------------------------------------------------------

export async function runLoad(opts: LoadOptions): Promise<LoadReport> {
  const log = opts.log ?? ((l: string) => console.log(l));
  const dataDir = mkdtempSync(path.join(tmpdir(), 'carpeta-load-'));
  const { proc, info } = await startStack(dataDir, opts.staff);
  try {
    return await drive(info, opts, log);
  } finally {
    proc.kill('SIGTERM');
    await new Promise((r) => proc.once('exit', r));
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function drive(info: StackInfo, opts: LoadOptions, log: (l: string) => void): Promise<LoadReport> {
  const setupStarted = Date.now();
  const admin = await signIn(info, info.admin.email, info.admin.password);
  const must = async (method: string, p: string, body: unknown, status: number) => {
    const r = await request(info, method, p, admin, body);
    if (r.status !== status) throw new Error(`setup ${method} ${p}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const uploadFile = async (token: string, folderId: string, name: string, bytes: Uint8Array) => {
    const s = await request(info, 'POST', `/folders/${folderId}/files`, token, {
      name,
      size: bytes.length,
      contentType: 'application/pdf',
    });
    if (s.status !== 201) return { start: s };
    await uploadPost(s.body.upload, bytes, 'application/pdf');
    const c = await request(info, 'POST', `/files/${s.body.file.id}/versions/${s.body.versionId}/complete`, token, {});
    return { start: s, complete: c, id: s.body.file.id as string };
  };

  // Each client has a folder with a few documents and a share link to it; each staff member an
  // upload folder and a "churn" folder they grant and revoke on.
  const top = await must('POST', '/folders', { parentId: 'root', name: 'Carga' }, 201);
  const clients: Array<{ id: string; email: string; token: string; folderId: string; files: string[]; link: string }> =
    [];
  for (let i = 0; i < opts.clients; i++) {
    const folder = await must('POST', '/folders', { parentId: top.id, name: `Cliente ${i}` }, 201);
    const files: string[] = [];
    for (let k = 0; k < 3; k++) {
      const up = await uploadFile(admin, folder.id, `doc-${k}.pdf`, randomBytes(2000 + k));
      if (up.complete?.status !== 200) throw new Error('setup upload failed');
      files.push(up.id!);
    }
    const email = `load-client-${i}@example.com`;
    const wu = await must('POST', '/webusers', { email, name: `Cliente ${i}`, folderIds: [folder.id] }, 201);
    await must('POST', `/folders/${folder.id}/send`, { email: `load-link-${i}@example.com` }, 201);
    clients.push({ id: wu.id, email, token: '', folderId: folder.id, files, link: '' });
  }
  const mails = (await (await fetch(`${info.url}/_local/mail`)).json()) as Array<{ to: string[]; text: string }>;
  for (const [i, c] of clients.entries()) {
    const invite = mails.find((m) => m.to.includes(c.email) && /\/invite#/.test(m.text))!;
    const token = /\/invite#([A-Za-z0-9_-]+)/.exec(invite.text)![1];
    const password = `Load-Client-${randomBytes(6).toString('hex')}-1A!`;
    const accepted = await request(info, 'POST', '/auth/invitations/accept', undefined, { token, password });
    if (accepted.status !== 200) throw new Error(`accept: ${accepted.status}`);
    c.token = await signIn(info, c.email, password);
    const linkMail = mails.find((m) => m.to.includes(`load-link-${i}@example.com`))!;
    c.link = /\/s#([A-Za-z0-9_-]+)/.exec(linkMail.text)![1];
  }
  const staff: Array<{
    token: string;
    uploadFolder: string;
    churnFolder: string;
    uploaded: string[];
    granted: Map<string, boolean>;
  }> = [];
  for (const [j, s] of info.staff.entries()) {
    const token = await signIn(info, s.email, s.password);
    const uploadFolder = await must('POST', '/folders', { parentId: top.id, name: `Subidas ${j}` }, 201);
    const churnFolder = await must('POST', '/folders', { parentId: top.id, name: `Compartida ${j}` }, 201);
    staff.push({ token, uploadFolder: uploadFolder.id, churnFolder: churnFolder.id, uploaded: [], granted: new Map() });
  }
  log(
    `setup: ${opts.clients} clients, ${opts.staff} staff, ${opts.clients * 3} documents in ` +
      `${((Date.now() - setupStarted) / 1000).toFixed(1)} s`,
  );

  // ---- the timed run ----
  const latencies = new Map<string, number[]>();
  const statuses: Record<string, number> = {};
  const unexpected: LoadReport['unexpected'] = [];
  const writes = { uploads: 0, grants: 0, revokes: 0, downloads: 0 };
  let requests = 0;
  const endAt = Date.now() + opts.seconds * 1000;
  const running = () => Date.now() < endAt && requests < opts.maxRequests;
  const record = (op: string, r: Res, ok: number[]) => {
    requests++;
    statuses[r.status] = (statuses[r.status] ?? 0) + 1;
    if (!latencies.has(op)) latencies.set(op, []);
    latencies.get(op)!.push(r.ms);
    if (!ok.includes(r.status) && unexpected.length < 50)
      unexpected.push({ op, status: r.status, body: JSON.stringify(r.body).slice(0, 300) });
    return ok.includes(r.status);
  };
  const pick = <T>(xs: T[]) => xs[Math.floor(Math.random() * xs.length)];
  const churnFolders = staff.map((s) => s.churnFolder);

  const clientLoop = async (c: (typeof clients)[number]) => {
    while (running()) {
      const x = Math.random();
      if (x < 0.35)
        record('client: list folder', await request(info, 'GET', `/portal/folders/${c.folderId}`, c.token), [200]);
      else if (x < 0.6) {
        const r = await request(info, 'GET', `/portal/files/${pick(c.files)}/download`, c.token);
        if (record('client: download URL', r, [200])) writes.downloads++;
        if (r.status === 200 && Math.random() < 0.1) {
          const bytes = await fetch(r.body.url);
          await bytes.arrayBuffer();
        }
      } else if (x < 0.7) record('client: my folders', await request(info, 'GET', '/portal/folders', c.token), [200]);
      else if (x < 0.75)
        record(
          'client: a shared folder (grant churn)',
          await request(info, 'GET', `/portal/folders/${pick(churnFolders)}`, c.token),
          [200, 404],
        );
      else if (x < 0.8) record('client: me', await request(info, 'GET', '/portal/me', c.token), [200]);
      else if (x < 0.9) record('link: open', await request(info, 'GET', '/share', undefined, undefined, c.link), [200]);
      else {
        const r = await request(info, 'GET', `/share/files/${pick(c.files)}/download`, undefined, undefined, c.link);
        if (record('link: download URL', r, [200])) writes.downloads++;
      }
    }
  };
  const staffLoop = async (s: (typeof staff)[number], j: number) => {
    let n = 0;
    while (running()) {
      const x = Math.random();
      if (x < 0.3) {
        const bytes = randomBytes(1000 + Math.floor(Math.random() * 30_000));
        const up = await uploadFile(s.token, s.uploadFolder, `subida-${j}-${n++}.pdf`, bytes);
        if (!record('staff: start upload', up.start, [201])) continue;
        if (up.complete && record('staff: complete upload', up.complete, [200])) {
          s.uploaded.push(up.id!);
          writes.uploads++;
        }
      } else if (x < 0.5) {
        const c = pick(clients);
        if (
          record(
            'staff: grant',
            await request(info, 'PUT', `/folders/${s.churnFolder}/grants/${c.id}`, s.token, {}),
            [200],
          )
        ) {
          s.granted.set(c.id, true);
          writes.grants++;
        }
      } else if (x < 0.65) {
        const c = pick(clients);
        if (
          record(
            'staff: revoke',
            await request(info, 'DELETE', `/folders/${s.churnFolder}/grants/${c.id}`, s.token),
            [204],
          )
        ) {
          s.granted.set(c.id, false);
          writes.revokes++;
        }
      } else if (x < 0.85)
        record('staff: list folder', await request(info, 'GET', `/folders/${s.uploadFolder}?limit=50`, s.token), [200]);
      else {
        const target = s.uploaded.length ? pick(s.uploaded) : pick(clients).files[0];
        const r = await request(info, 'GET', `/files/${target}/download`, s.token);
        if (record('staff: download URL', r, [200])) writes.downloads++;
      }
    }
  };
  const started = performance.now();
  await Promise.all([...clients.map(clientLoop), ...staff.map(staffLoop)]);
  const seconds = (performance.now() - started) / 1000;

  // ---- what the load did, against what the API holds ----
  const lostWrites: string[] = [];
  const all = async (p: string, key: string) => {
    const out: any[] = [];
    let cursor: string | undefined;
    do {
      const sep = p.includes('?') ? '&' : '?';
      const r = await request(
        info,
        'GET',
        `${p}${sep}limit=500${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`,
        admin,
      );
      if (r.status !== 200) throw new Error(`verify ${p}: ${r.status}`);
      out.push(...r.body[key]);
      cursor = r.body.nextCursor;
    } while (cursor);
    return out;
  };
  for (const [j, s] of staff.entries()) {
    const listed = new Set((await all(`/folders/${s.uploadFolder}`, 'files')).map((f) => f.id));
    for (const id of s.uploaded) if (!listed.has(id)) lostWrites.push(`staff ${j}: uploaded file ${id} is not listed`);
    if (listed.size !== s.uploaded.length)
      lostWrites.push(`staff ${j}: ${listed.size} files listed, ${s.uploaded.length} uploads completed`);
    const grants = await request(info, 'GET', `/folders/${s.churnFolder}/grants`, admin);
    const holders = new Set(JSON.stringify(grants.body).match(/[0-9a-f-]{36}/g) ?? []);
    for (const [userId, granted] of s.granted) {
      if (granted && !holders.has(userId)) lostWrites.push(`staff ${j}: grant to ${userId} lost`);
      if (!granted && holders.has(userId)) lostWrites.push(`staff ${j}: revoked grant to ${userId} still there`);
    }
  }
  for (const c of clients) {
    const expected = 1 + staff.filter((s) => s.granted.get(c.id)).length;
    const u = await request(info, 'GET', `/webusers/${c.id}`, admin);
    if (u.body.user.grantCount !== expected)
      lostWrites.push(`client ${c.email}: grantCount ${u.body.user.grantCount}, expected ${expected}`);
  }
  const downloads = (await all('/activity?type=download', 'events')).length;
  if (downloads !== writes.downloads)
    lostWrites.push(`${writes.downloads} download URLs issued, ${downloads} download events stored`);
  const uploads = (await all('/activity?type=file.uploaded', 'events')).length;
  if (uploads !== writes.uploads + opts.clients * 3)
    lostWrites.push(`${writes.uploads + opts.clients * 3} uploads completed, ${uploads} file.uploaded events`);

  const ops: LoadReport['ops'] = {};
  const everything: number[] = [];
  for (const [op, ms] of [...latencies].sort(([a], [b]) => a.localeCompare(b))) {
    const sorted = [...ms].sort((a, b) => a - b);
    everything.push(...sorted);
    ops[op] = {
      count: sorted.length,
      p50: percentile(sorted, 50),
      p95: percentile(sorted, 95),
      p99: percentile(sorted, 99),
      max: sorted[sorted.length - 1],
    };
  }
  everything.sort((a, b) => a - b);
  const serverErrors = Object.entries(statuses)
    .filter(([s]) => Number(s) >= 500)
    .reduce((n, [, c]) => n + c, 0);
  return {
    requests,
    seconds,
    statuses,
    serverErrors,
    unexpected,
    lostWrites,
    ops,
    p99: percentile(everything, 99),
    writes,
  };
}

export function printReport(r: LoadReport, log: (l: string) => void = (l) => console.log(l)): void {
  const f = (n: number) => n.toFixed(1).padStart(8);
  log('');
  log(
    `${'operation'.padEnd(40)} ${'count'.padStart(7)} ${'p50 ms'.padStart(8)} ${'p95 ms'.padStart(8)} ` +
      `${'p99 ms'.padStart(8)} ${'max ms'.padStart(8)}`,
  );
  for (const [op, s] of Object.entries(r.ops))
    log(`${op.padEnd(40)} ${String(s.count).padStart(7)} ${f(s.p50)} ${f(s.p95)} ${f(s.p99)} ${f(s.max)}`);
  log('');
  log(
    `requests ${r.requests} in ${r.seconds.toFixed(1)} s (${(r.requests / r.seconds).toFixed(0)}/s); statuses ` +
      `${JSON.stringify(r.statuses)}`,
  );
  log(
    `writes: ${r.writes.uploads} uploads, ${r.writes.grants} grants, ${r.writes.revokes} revokes, ` +
      `${r.writes.downloads} download URLs (each with its event)`,
  );
  log(
    `p99 ${r.p99.toFixed(1)} ms · 5xx: ${r.serverErrors} · unexpected answers: ${r.unexpected.length} · lost ` +
      `writes: ${r.lostWrites.length}`,
  );
  for (const u of r.unexpected.slice(0, 10)) log(`  unexpected: ${u.op} -> ${u.status} ${u.body}`);
  for (const l of r.lostWrites.slice(0, 20)) log(`  lost: ${l}`);
}

// ---- CLI ------------------------------------------------------------------------------------

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  const v = i >= 0 ? Number(process.argv[i + 1]) : fallback;
  if (!Number.isFinite(v) || v < 0) throw new Error(`--${name} must be a number`);
  return v;
}

if (process.argv[1] && path.resolve(process.argv[1]) === self) {
  if (process.argv[2] === '--child') {
    await childMain(process.argv[3], Number(process.argv[4] ?? 0));
  } else {
    const opts: LoadOptions = {
      seconds: arg('seconds', 60),
      clients: arg('clients', 50),
      staff: arg('staff', 10),
      maxRequests: arg('max-requests', 500_000),
    };
    console.log(
      `load: ${opts.clients} clients + ${opts.staff} staff for ${opts.seconds} s (at most ${opts.maxRequests} ` +
        `requests), loopback only`,
    );
    const report = await runLoad(opts);
    printReport(report);
    const ok = report.serverErrors === 0 && report.lostWrites.length === 0 && report.unexpected.length === 0;
    console.log(ok ? '\nOK: zero 5xx, zero lost writes.' : '\nFAILED');
    process.exit(ok ? 0 : 1);
  }
}
