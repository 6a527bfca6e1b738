/**
 * The four AWS emulators, in this process, on loopback, on ports the OS picks.
 * Each keeps its data under the data directory so it survives a restart.
 */
import { createRequire } from 'node:module';
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import type { Server } from 'node:http';
import path from 'node:path';

const require = createRequire(import.meta.url);
const HOST = '127.0.0.1';

export type EmulatorName = 'dynamodb' | 's3' | 'cognito' | 'ses';

export interface Emulators {
  dynamodb: string;
  s3: string;
  cognito: string;
  ses: string;
  stop(): Promise<void>;
  /**
   * For fault tests: one emulator stops answering (its port refuses connections, open
   * connections are cut) until `resume`, which listens again on the same port with the same data.
   */
  pause(name: EmulatorName): Promise<void>;
  resume(name: EmulatorName): Promise<void>;
}

function listen(server: Server, port = 0): Promise<string> {
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

async function startDynamo(dir: string): Promise<{ url: string; server: Server }> {
  const dynalite = require('dynalite');
  mkdirSync(dir, { recursive: true });
  const server: Server = dynalite({ path: dir, createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  return { url: await listen(server), server };
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
  const app = createServer(Router(svc), logger, { ...config.ServerConfig, hostname: HOST, port: 0 }, svc).application;
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
  const [dynamo, s3, cognito, ses] = await Promise.all([
    startDynamo(path.join(dataDir, 'dynamodb')),
    startS3(path.join(dataDir, 's3')),
    startCognito(path.join(dataDir, 'cognito')),
    startSes(),
  ]);
  const servers: Record<EmulatorName, { server: () => Server; url: string }> = {
    dynamodb: { server: () => dynamo.server, url: dynamo.url },
    s3: { server: s3.server, url: s3.url },
    cognito: { server: () => cognito.server, url: cognito.url },
    ses: { server: () => ses.server, url: ses.url },
  };
  const paused = new Set<EmulatorName>();
  return {
    dynamodb: dynamo.url,
    s3: s3.url,
    cognito: cognito.url,
    ses: ses.url,
    async stop() {
      await Promise.all([
        paused.has('dynamodb') ? undefined : close(dynamo.server),
        paused.has('s3') ? undefined : s3.close(),
        paused.has('cognito') ? undefined : close(cognito.server),
        paused.has('ses') ? undefined : close(ses.server),
      ]);
    },
    async pause(name) {
      if (paused.has(name)) return;
      paused.add(name);
      // Only the socket closes: the emulator's own 'close' handlers (s3rver closes its logger) are for the real stop.
      const server = servers[name].server();
      const onClose = server.listeners('close');
      server.removeAllListeners('close');
      await close(server);
      for (const l of onClose) server.on('close', l as () => void);
    },
    async resume(name) {
      if (!paused.delete(name)) return;
      await listen(servers[name].server(), Number(new URL(servers[name].url).port));
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
