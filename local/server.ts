/**
 * The one local HTTP server: the API under /api, the site at /, /config.json,
 * the sent mail at /_local/mail (JSON) and /_local/mailbox (a page), and a
 * pass-through to the Cognito emulator at /_local/cognito for the browser.
 */

import { existsSync, readFileSync, statSync } from 'node:fs';
import http, { type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { sentMail } from './emulators.ts';
import { isLoopbackHost, keepIdleConnections } from './hosts.ts';

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.webmanifest': 'application/manifest+json',
};

const PLACEHOLDER = [
  '<!doctype html><html lang="es"><head><meta charset="utf-8">',
  '<meta name="viewport" content="width=device-width,initial-scale=1"><title>Carpeta</title></head>',
  '<body><main><h1>Carpeta</h1><p>The web app has not been built yet: run <code>npm run build:web</code>.</p>',
  '</main></body></html>',
].join('\n');

export interface SiteOptions {
  webDir: string;
  config: () => Record<string, unknown>;
  api: (req: IncomingMessage, res: ServerResponse) => Promise<void>;
  cognitoUrl: () => string;
  /** The headers CloudFront's response headers policy adds in AWS (CSP, framing, referrer...). */
  siteHeaders: () => Record<string, string>;
  /**
   * One line per request, as CloudFront's and API Gateway's access logs record them (method, path and
   * query string, status): whatever is in a URL ends up in a log, which is why no token may be.
   */
  accessLog?: (line: string) => void;
  /** Runs the scheduled jobs now (POST /_local/jobs/run?now=<ISO date>). */
  runJobs: (now?: Date) => Promise<unknown>;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function mailboxPage(): string {
  const mails = sentMail();
  const items = mails
    .map(
      (m, i) =>
        `<article><h2>${escapeHtml(m.subject)}</h2>` +
        `<p><b>To:</b> ${escapeHtml(m.to.join(', '))} · <b>At:</b> ${escapeHtml(m.at)}</p>\n` +
        `<iframe sandbox title="mail ${i}" srcdoc="${escapeHtml(m.html || `<pre>${escapeHtml(m.text)}</pre>`)}">` +
        '</iframe></article>',
    )
    .join('\n');
  return `<!doctype html><html><head><meta charset="utf-8"><title>Local mailbox</title>
<style>body{font:16px system-ui;margin:2rem;max-width:60rem}
iframe{width:100%;height:24rem;border:1px solid #ccc}article{margin-bottom:2rem}</style></head>
<body><h1>Local mailbox (${mails.length})</h1>${items || '<p>No mail sent yet.</p>'}</body></html>`;
}

async function proxy(target: string, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(req.headers))
    if (typeof v === 'string' && !['host', 'connection', 'content-length'].includes(k)) headers[k] = v;
  const upstream = await fetch(target, {
    method: req.method,
    headers,
    body: chunks.length ? Buffer.concat(chunks) : undefined,
  });
  const out: Record<string, string> = {};
  upstream.headers.forEach((v, k) => {
    if (!['content-encoding', 'transfer-encoding', 'connection', 'content-length'].includes(k)) out[k] = v;
  });
  res.writeHead(upstream.status, out);
  res.end(Buffer.from(await upstream.arrayBuffer()));
}

/**
 * What the site calls on Cognito from the browser: the operations AWS serves to anyone without
 * credentials (sign-in, a user's own tokens and settings) and the pool's keys. Through the pass-through
 * these answer on any Host, so the site works from whatever name serves it; everything else there
 * (the emulator's admin calls, which it does not authenticate) stays loopback-only.
 */
const PUBLIC_COGNITO = new Set([
  'InitiateAuth',
  'RespondToAuthChallenge',
  'ForgotPassword',
  'ConfirmForgotPassword',
  'GetUser',
  'AssociateSoftwareToken',
  'VerifySoftwareToken',
  'SetUserMFAPreference',
  'ChangePassword',
  'RevokeToken',
  'GlobalSignOut',
]);
function isPublicCognitoCall(p: string, req: IncomingMessage): boolean {
  if (!p.startsWith('/_local/cognito')) return false;
  if (req.method === 'GET') return p.endsWith('/.well-known/jwks.json');
  const target = String(req.headers['x-amz-target'] ?? '');
  return req.method === 'POST' && PUBLIC_COGNITO.has(target.replace(/^AWSCognitoIdentityProviderService\./, ''));
}

export function createSiteServer(opts: SiteOptions): http.Server {
  return http.createServer(async (req, res) => {
    if (opts.accessLog) {
      const started = Date.now();
      res.once('finish', () =>
        opts.accessLog!(
          JSON.stringify({
            time: new Date().toISOString(),
            method: req.method,
            url: req.url,
            status: res.statusCode,
            ms: Date.now() - started,
          }),
        ),
      );
    }
    try {
      const url = new URL(req.url ?? '/', 'http://local');
      const p = url.pathname;
      if (p === '/api' || p.startsWith('/api/')) return await opts.api(req, res);
      if (p === '/config.json') {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
        return res.end(JSON.stringify(opts.config()));
      }
      if (p.startsWith('/_local/') && !isLoopbackHost(req.headers.host) && !isPublicCognitoCall(p, req)) {
        res.writeHead(403, { 'content-type': 'application/json; charset=utf-8' });
        return res.end(JSON.stringify({ error: 'the local endpoints answer localhost and 127.0.0.1 only' }));
      }
      if (p === '/_local/mail') {
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store' });
        return res.end(JSON.stringify(sentMail()));
      }
      if (p === '/_local/mailbox') {
        res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
        return res.end(mailboxPage());
      }
      if (p === '/_local/jobs/run' && req.method === 'POST') {
        const at = url.searchParams.get('now');
        const result = await opts.runJobs(at ? new Date(at) : undefined);
        res.writeHead(200, { 'content-type': 'application/json; charset=utf-8' });
        return res.end(JSON.stringify(result));
      }
      if (p.startsWith('/_local/cognito'))
        return await proxy(opts.cognitoUrl() + (p.slice('/_local/cognito'.length) || '/') + url.search, req, res);

      const siteHeaders = opts.siteHeaders();
      const file = path.normalize(path.join(opts.webDir, decodeURIComponent(p)));
      if (file.startsWith(opts.webDir) && existsSync(file) && statSync(file).isFile()) {
        const immutable = p.startsWith('/assets/');
        res.writeHead(200, {
          ...siteHeaders,
          'content-type': TYPES[path.extname(file)] ?? 'application/octet-stream',
          'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
        });
        return res.end(readFileSync(file));
      }
      // Single-page app: every other path is the app (as CloudFront's error response does).
      const index = path.join(opts.webDir, 'index.html');
      res.writeHead(200, { ...siteHeaders, 'content-type': TYPES['.html'], 'cache-control': 'no-cache' });
      return res.end(existsSync(index) ? readFileSync(index) : PLACEHOLDER);
    } catch (err) {
      process.stderr.write(`local server error: ${(err as Error).stack}\n`);
      if (!res.headersSent) res.writeHead(500, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'internal', message: 'Something went wrong on our side.' } }));
    }
  });
}

export function listenOn(server: http.Server, port: number, host = '127.0.0.1'): Promise<number> {
  keepIdleConnections(server);
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve((server.address() as AddressInfo).port));
  });
}
