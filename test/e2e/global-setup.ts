/**
 * Once per run, before the e2e files start in parallel: find (and, for the
 * Chromium inside @sparticuz/chromium, unpack) the browser, so two workers
 * never unpack it at the same time (a half-written binary is ETXTBSY), and
 * hand its path to every worker through CHROMIUM_PATH.
 */
import { chromiumExecutable } from './browser.ts';

export default async function globalSetup(): Promise<void> {
  const exe = await chromiumExecutable();
  if (exe.source === 'sparticuz') process.env.CARPETA_SPARTICUZ_PATH = exe.path;
}
