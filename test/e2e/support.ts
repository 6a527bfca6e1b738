/** Shared pieces for the e2e files: one local stack + one Chromium per file, console-error filters. */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import type { Browser } from 'playwright-core';
import { startTestStack, type TestStack } from '../support/stack.ts';
import { ensureSiteBuilt, launchChromium } from './browser.ts';

export interface E2E {
  t: TestStack;
  browser: Browser & { source: string };
  url: string;
  stop(): Promise<void>;
}

export async function startE2E(env: Record<string, string> = {}): Promise<E2E> {
  ensureSiteBuilt();
  // The browser suite runs on the engine `npm start` uses (dynalite); CI runs the API suites on DynamoDB Local.
  const t = await startTestStack(env, { dynamodb: 'dynalite' });
  let browser: E2E['browser'];
  try {
    browser = await launchChromium();
  } catch (err) {
    await t.stop();
    throw err;
  }
  return {
    t,
    browser,
    url: t.stack.url,
    async stop() {
      await browser.close().catch(() => undefined);
      await t.stop();
      // The emulators' data and the handlers' log: kept with CARPETA_KEEP_TMP=1 for a post-mortem.
      if (process.env.CARPETA_KEEP_TMP !== '1') rmSync(t.dir, { recursive: true, force: true });
      else console.log(`e2e data and log kept in ${t.dir}`);
    },
  };
}

export const failedResource = (status: number, urlPart: string) => (text: string, url: string) =>
  text.includes(`status of ${status}`) && url.includes(urlPart);

import type { Page } from 'playwright-core';
import { totp } from '../support/totp.ts';

/**
 * Sign in through the form (Spanish labels) and wait for the signed-in
 * header. With `totpSecret`, answer the two-step verification prompt too.
 */
export async function signInAs(
  page: Page,
  url: string,
  email: string,
  password: string,
  totpSecret?: string,
): Promise<void> {
  await page.goto(`${url}/`);
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Contraseña').fill(password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  if (totpSecret) await answerCodePrompt(page, totpSecret);
  await page.getByTestId('user-email').getByText(email).waitFor();
}

/** The sign-in's "Verificación en dos pasos" step: type the app's current code. */
export async function answerCodePrompt(page: Page, secret: string): Promise<void> {
  const field = page.getByLabel('Código de 6 dígitos');
  await field.waitFor();
  await field.fill(await freshTotp(secret));
  await page.getByRole('button', { name: 'Verificar' }).click();
}

const lastCode = new Map<string, string>();

/**
 * The authenticator app's code now, as a person would type it. Cognito in
 * AWS refuses a code it has already accepted (within its 30 s window) and
 * cognito-local may not: so never type the same code twice, whatever the
 * emulator does — wait for the next window instead — and never one about to
 * go stale.
 */
export async function freshTotp(secret: string): Promise<string> {
  for (;;) {
    const left = 30_000 - (Date.now() % 30_000);
    const code = totp(secret);
    if (code !== lastCode.get(secret) && left > 2_000) {
      lastCode.set(secret, code);
      return code;
    }
    await new Promise((r) => setTimeout(r, left + 250));
  }
}

/** A code that is wrong now and in the neighbouring windows Cognito tolerates. */
export function wrongTotp(secret: string): string {
  const near = new Set([-2, -1, 0, 1, 2].map((k) => totp(secret, Date.now() + k * 30_000)));
  for (let n = 123456; ; n = (n + 111111) % 1_000_000) {
    const c = String(n).padStart(6, '0');
    if (!near.has(c)) return c;
  }
}

/**
 * The enrolment steps on screen (the account page or an admin page that
 * answered mfa_required): read the key from the page, type the app's code,
 * switch it on. Returns the secret (base32, no spaces).
 */
export async function finishEnrolment(page: Page): Promise<string> {
  const shown = (await page.getByTestId('totp-secret').textContent()) ?? '';
  assert.match(shown.trim(), /^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/, 'the key in groups of 4');
  const secret = shown.replace(/\s+/g, '');
  const href = await page.getByTestId('otpauth-link').getAttribute('href');
  assert.match(href ?? '', new RegExp(`^otpauth://totp/Carpeta:[^?]+\\?secret=${secret}&issuer=Carpeta$`));
  await page
    .getByLabel('Escriba el código de 6 dígitos que muestra ahora la aplicación.')
    .fill(await freshTotp(secret));
  await page.getByRole('button', { name: 'Activar', exact: true }).click();
  return secret;
}

/** The 6-digit code Carpeta last mailed to `email` for turning on two-step verification. */
export async function mailedTwoStepCode(t: TestStack, email: string): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const mail = (await t.mail()).filter((m) => m.to.includes(email) && /dos pasos|two-step/.test(m.subject)).at(-1);
    const code = /\b(\d{6})\b/.exec(mail?.subject ?? '')?.[1];
    if (code) return code;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no two-step code mailed to ${email}`);
}

/** The enrolment's first step on screen: type the code mailed to the account; the QR step appears. */
export async function proveMailbox(page: Page, t: TestStack, email: string): Promise<void> {
  await page.getByTestId('mfa-email-step').waitFor();
  await page.getByLabel('Código del email').fill(await mailedTwoStepCode(t, email));
  await page.getByRole('button', { name: 'Continuar', exact: true }).click();
  await page.getByTestId('totp-secret').waitFor();
}

/**
 * Turning it on ended every session: the sign-in page says so; signing in again (password and the app's
 * code) brings the user back to the page they were on.
 */
export async function signInAfterEnrolment(page: Page, email: string, password: string, secret: string) {
  await page
    .getByTestId('signin-notice')
    .getByText('La verificación en dos pasos está activada', { exact: false })
    .waitFor();
  await page.getByLabel('Email').fill(email);
  await page.getByLabel('Contraseña').fill(password);
  await page.getByRole('button', { name: 'Entrar' }).click();
  await answerCodePrompt(page, secret);
  await page.getByTestId('user-email').getByText(email).waitFor();
}

/**
 * Turn on two-step verification from where the button "Activar la verificación en dos pasos" is shown
 * (the account page, or an admin page that answered mfa_required), all the way through signing in again.
 * Returns the secret.
 */
export async function enrolHere(page: Page, t: TestStack, who: { email: string; password: string }) {
  await page.getByRole('button', { name: 'Activar la verificación en dos pasos' }).click();
  await proveMailbox(page, t, who.email);
  const secret = await finishEnrolment(page);
  await signInAfterEnrolment(page, who.email, who.password, secret);
  return secret;
}

/** Turn on two-step verification from "Su cuenta" (the email in the header). Returns the secret. */
export async function enrolFromAccount(page: Page, t: TestStack, who: { email: string; password: string }) {
  await page.getByTestId('user-email').click();
  await page.getByRole('heading', { level: 1, name: 'Su cuenta' }).waitFor();
  const secret = await enrolHere(page, t, who);
  await page.getByRole('heading', { level: 1, name: 'Su cuenta' }).waitFor();
  await page.getByTestId('mfa-status').getByText('Activada.', { exact: false }).waitFor();
  return secret;
}

/** A tiny valid one-page PDF with some text. */
export function samplePdf(text = 'Carpeta'): Buffer {
  const objs = [
    '<< /Type /Catalog /Pages 2 0 R >>',
    '<< /Type /Pages /Kids [3 0 R] /Count 1 >>',
    '<< /Type /Page /Parent 2 0 R /MediaBox [0 0 300 144] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>',
    null,
    '<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>',
  ];
  const stream = `BT /F1 24 Tf 40 70 Td (${text.replace(/[()\\]/g, '')}) Tj ET`;
  objs[3] = `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`;
  let out = '%PDF-1.4\n';
  const offsets: number[] = [];
  objs.forEach((o, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${o}\nendobj\n`;
  });
  const xref = out.length;
  const entries = offsets.map((o) => `${String(o).padStart(10, '0')} 00000 n \n`).join('');
  out += `xref\n0 ${objs.length + 1}\n0000000000 65535 f \n${entries}`;
  out += `trailer\n<< /Size ${objs.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, 'latin1');
}

/** Bytes of a Playwright download. */
export async function downloadBytes(dl: import('playwright-core').Download): Promise<Buffer> {
  const stream = await dl.createReadStream();
  const chunks: Buffer[] = [];
  for await (const c of stream) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
}
