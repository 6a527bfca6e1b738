/**
 * Real headless Chromium for the e2e tests, never a browser download:
 *   1. CHROMIUM_PATH, if set;
 *   2. Debian's /usr/bin/chromium, if it exists (CARPETA_FORCE_SPARTICUZ=1 pretends it does not);
 *   3. the Chromium inside @sparticuz/chromium (143: the last one for Node 20).
 * Always with our own arguments (the package's defaults crashed here and
 * include --disable-web-security, which would hide CORS bugs).
 */

import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import {
  type Browser,
  type BrowserContext,
  type BrowserContextOptions,
  type ConsoleMessage,
  chromium,
  type Page,
} from 'playwright-core';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
export const screenshotDir = path.join(here, 'screenshots');

export const BASE_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const SPARTICUZ_ARGS = ['--headless=new', '--no-zygote'];
const DEBIAN = '/usr/bin/chromium';

export async function chromiumExecutable(): Promise<{ path: string; source: 'env' | 'debian' | 'sparticuz' }> {
  const fromEnv = process.env.CHROMIUM_PATH;
  if (fromEnv) return { path: fromEnv, source: 'env' };
  if (process.env.CARPETA_FORCE_SPARTICUZ !== '1' && existsSync(DEBIAN)) return { path: DEBIAN, source: 'debian' };
  // Unpacked once per run by test/e2e/global-setup.ts.
  const unpacked = process.env.CARPETA_SPARTICUZ_PATH;
  if (unpacked && existsSync(unpacked)) return { path: unpacked, source: 'sparticuz' };
  const { default: sparticuz } = await import('@sparticuz/chromium');
  return { path: await sparticuz.executablePath(), source: 'sparticuz' };
}

export async function launchChromium(): Promise<Browser & { source: string }> {
  const exe = await chromiumExecutable();
  const browser = await chromium.launch({
    executablePath: exe.path,
    headless: true,
    args: exe.source === 'sparticuz' ? [...BASE_ARGS, ...SPARTICUZ_ARGS] : BASE_ARGS,
  });
  return Object.assign(browser, { source: exe.source });
}

/** Build web/dist when it is missing or older than web/src (npm test builds it first anyway). */
export function ensureSiteBuilt(): void {
  const index = path.join(root, 'web/dist/index.html');
  const newest = (dir: string): number =>
    Math.max(
      0,
      ...readdirSync(dir, { recursive: true })
        .map((f) => path.join(dir, String(f)))
        .filter((f) => statSync(f).isFile())
        .map((f) => statSync(f).mtimeMs),
    );
  if (
    existsSync(index) &&
    statSync(index).mtimeMs >=
      Math.max(newest(path.join(root, 'web/src')), statSync(path.join(root, 'web/index.html')).mtimeMs)
  )
    return;
  const r = spawnSync('npx', ['vite', 'build', '--config', 'web/vite.config.ts', '--logLevel', 'warn'], {
    cwd: root,
    stdio: 'inherit',
  });
  if (r.status !== 0) throw new Error('vite build failed');
}

export interface Watched {
  page: Page;
  /** Console errors and uncaught page errors seen so far (minus the allowed ones). */
  errors: string[];
}

/**
 * A page whose console errors are collected. `allow` lists failed-resource
 * messages that are expected (a route that has not landed, a wrong password
 * on purpose): each is a predicate on the message text and its URL.
 */
export async function watchedPage(
  context: BrowserContext,
  allow: Array<(text: string, url: string) => boolean> = [],
): Promise<Watched> {
  const page = await context.newPage();
  const errors: string[] = [];
  page.on('console', (m: ConsoleMessage) => {
    if (m.type() !== 'error') return;
    const url = m.location()?.url ?? '';
    if (allow.some((a) => a(m.text(), url))) return;
    errors.push(`${m.text()} ${url}`.trim());
  });
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  return { page, errors };
}

export async function newContext(browser: Browser, opts: BrowserContextOptions = {}): Promise<BrowserContext> {
  return browser.newContext({
    locale: 'es-ES',
    viewport: { width: 1280, height: 800 },
    acceptDownloads: true,
    ...opts,
  });
}

export async function screenshot(page: Page, name: string): Promise<string> {
  mkdirSync(screenshotDir, { recursive: true });
  const file = path.join(screenshotDir, `${name}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/** The page scrolls sideways when its content is wider than the viewport. */
export async function horizontalOverflow(page: Page): Promise<number> {
  return page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
}
