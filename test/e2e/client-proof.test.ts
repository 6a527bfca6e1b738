/**
 * Issue 17's proof of receipt in real Chromium against the local stack, as the people involved see it:
 * a web user is offered "Confirmar recepción" only on the file staff asked it for, confirms, and sees it
 * confirmed; staff then read the confirmation on that file's receipts (and a SHA-256 that is either the
 * bytes' own or "no registrado", never made up). Staff send the folder by email from the dialog with a
 * password and a limit of one download; the mail carries no password; the link holder is asked for it,
 * a wrong one is refused in words, the right one opens the folder and its subfolder (kept in memory
 * only: in a header, never in an address, not in storage), they confirm receipt too and download once;
 * the sender is told the link was opened; the link, its download used, no longer opens; and once past its
 * expiry staff extend it from the folder's panel, which mails a new link.
 */

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, test } from '@jest/globals';
import type { BrowserContext, Page } from 'playwright-core';
import { makeClient, makeFile, makeFolder } from '../support/story.ts';
import { newContext, screenshot, type Watched, watchedPage } from './browser.ts';
import { downloadBytes, type E2E, failedResource, samplePdf, signInAs, startE2E } from './support.ts';

const FOLDER = 'Pólizas Martínez';
const ASKS = 'Póliza hogar 2026.pdf';
const PLAIN = 'Condiciones generales.pdf';
const SUB = 'Recibos 2026';
const STAFF_EMAIL = 'gestora.acuses@example.com';
const HOLDER_EMAIL = 'titular.enlace@example.com';
const LINK_PASSWORD = 'Girasol-Azul-42';

let e: E2E;
let staff: { email: string; password: string; token: string };
let client: { email: string; password: string };
let folderId = '';
let asks: { id: string; bytes: Uint8Array };
let plain: { id: string; bytes: Uint8Array };
const contexts: BrowserContext[] = [];
const watched: Watched[] = [];

async function open(allow: Array<(text: string, url: string) => boolean> = []): Promise<Page> {
  const ctx = await newContext(e.browser, { locale: 'es-ES' });
  contexts.push(ctx);
  const w = await watchedPage(ctx, allow);
  watched.push(w);
  return w.page;
}

async function mailTo(address: string, pattern: RegExp): Promise<{ text: string; subject: string; match: string }> {
  for (let i = 0; i < 100; i++) {
    const all = (await e.t.mail()) as Array<{ to: string[]; subject: string; text: string }>;
    const m = all.find((x) => x.to.includes(address) && (pattern.test(x.text) || pattern.test(x.subject)));
    if (m) return { text: m.text, subject: m.subject, match: (pattern.exec(m.text) ?? pattern.exec(m.subject))![0] };
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${address} matching ${pattern}`);
}

const fileItem = (p: Page, name: string) =>
  p.getByTestId('file-item').filter({ has: p.getByText(name, { exact: true }) });

beforeAll(async () => {
  e = await startE2E();
  // The data, made through the API by a staff member: a client folder with two files, one asking for
  // confirmation of receipt, and a web user who has accepted their invitation.
  staff = await e.t.user('staff', STAFF_EMAIL);
  const folder = await makeFolder(e.t, staff.token, FOLDER);
  folderId = folder.id;
  asks = await makeFile(e.t, staff.token, folderId, ASKS, samplePdf('Poliza'));
  plain = await makeFile(e.t, staff.token, folderId, PLAIN, samplePdf('Condiciones'));
  await makeFolder(e.t, staff.token, SUB, folderId);
  const asked = await e.t.api('PATCH', `/files/${asks.id}`, {
    token: staff.token,
    body: { requiresAcknowledgement: true, version: 1 },
  });
  assert.equal(asked.status, 200, JSON.stringify(asked.body));
  client = await makeClient(e.t, staff.token, [folderId], 'Lucía Martínez');
}, 120_000);

afterAll(async () => {
  for (const c of contexts) await c.close().catch(() => undefined);
  await e?.stop();
});

describe('proof of receipt, and protected links', () => {
  test('a web user confirms receipt of the one file that asks for it, and sees it confirmed', async () => {
    const page = await open();
    await signInAs(page, e.url, client.email, client.password);
    await page.waitForURL(`${e.url}/portal`);
    await page.goto(`${e.url}/portal/f/${folderId}`);
    await page.getByRole('heading', { level: 1, name: FOLDER }).waitFor();

    const asking = fileItem(page, ASKS);
    await asking.getByText('Le piden que confirme que lo ha recibido.', { exact: false }).waitFor();
    assert.equal(await page.getByRole('button', { name: /^Confirmar recepción/ }).count(), 1, 'one file asks');
    assert.equal(
      await fileItem(page, PLAIN)
        .getByRole('button', { name: /Confirmar recepción/ })
        .count(),
      0,
    );
    await screenshot(page, '60-proof-portal-asks');

    await asking.getByRole('button', { name: `Confirmar recepción: ${ASKS}` }).click();
    await asking.getByTestId('ack-done').getByText('Recepción confirmada').waitFor();
    assert.equal(await asking.getByRole('button', { name: /Confirmar recepción/ }).count(), 0);
    // Coming back later, the listing says it is confirmed: no button to press again.
    await page.reload();
    await asking.getByTestId('ack-done').getByText('Recepción confirmada').waitFor();
    assert.equal(await page.getByRole('button', { name: /Confirmar recepción/ }).count(), 0);
  });

  let staffPage: Page;
  test("staff see the confirmation on the file's receipts, and a SHA-256 that is the bytes' or none", async () => {
    staffPage = await open();
    await signInAs(staffPage, e.url, staff.email, staff.password);
    await staffPage.waitForURL(/\/admin\/folders$/);
    await staffPage.goto(`${e.url}/admin/files/${asks.id}`);
    await staffPage.getByRole('heading', { level: 1, name: ASKS }).waitFor();
    const row = staffPage.getByTestId('receipt').filter({ hasText: client.email });
    await row.getByText(/recepción confirmada el \d/).waitFor();
    await row.getByText(/abierto el \d/).waitFor();
    await row.getByRole('button', { name: 'Recibo de la confirmación (PDF)' }).waitFor();

    // Files uploaded without a declared hash say so; once uploads record one, it is these very bytes'.
    const shown = ((await staffPage.getByTestId('sha256').textContent()) ?? '').replace(/\s+/g, ' ').trim();
    const own = createHash('sha256').update(asks.bytes).digest('hex');
    assert.ok(
      shown === 'SHA-256: no registrado' || shown.startsWith(`SHA-256: ${own} · `),
      `the SHA-256 line says "${shown}"`,
    );
    await screenshot(staffPage, '61-proof-file-receipts');
  });

  let linkUrl = '';
  test('staff send the folder by email with a password and one download; the mail has no password', async () => {
    await staffPage.goto(`${e.url}/admin/folders/${folderId}`);
    await staffPage.getByRole('heading', { level: 1, name: FOLDER }).waitFor();
    await staffPage.getByRole('button', { name: `Más acciones para «${FOLDER}»` }).click();
    await staffPage.getByRole('menuitem', { name: 'Enviar por email' }).click();
    const dlg = staffPage.getByRole('dialog');
    await dlg.getByLabel('Email del destinatario').fill(HOLDER_EMAIL);
    // Too short a password is said at once, and nothing can be sent with it.
    await dlg.getByLabel('Contraseña del enlace').fill('corta');
    await dlg.getByText('La contraseña necesita al menos 8 caracteres.').waitFor();
    assert.equal(await dlg.getByRole('button', { name: 'Enviar', exact: true }).isDisabled(), true);
    await dlg.getByLabel('Contraseña del enlace').fill(LINK_PASSWORD);
    await dlg.getByText('No va en el email con el enlace', { exact: false }).waitFor();
    await dlg.getByLabel('Máximo de descargas').fill('1');
    await dlg.getByLabel('Avisarme por email cuando lo abran por primera vez').check();
    await dlg
      .getByTestId('send-preview')
      .getByText('Protección: con contraseña · límite de descargas: 1.', { exact: false })
      .waitFor();
    await screenshot(staffPage, '62-proof-send-protected');
    await dlg.getByRole('button', { name: 'Enviar', exact: true }).click();
    await dlg.getByTestId('send-done').getByText('El email no lleva la contraseña', { exact: false }).waitFor();
    await dlg.getByRole('button', { name: 'Cerrar' }).first().click();

    const link = staffPage.getByTestId('shared-with').getByTestId('link').filter({ hasText: HOLDER_EMAIL });
    await link.getByText(/con contraseña · descargas: 0 de 1/).waitFor();

    const mail = await mailTo(HOLDER_EMAIL, /https?:\/\/\S+\/s#[A-Za-z0-9_-]+/);
    linkUrl = mail.match;
    assert.doesNotMatch(`${mail.subject}\n${mail.text}`, new RegExp(LINK_PASSWORD), 'the password is never mailed');
  });

  test(
    'the link asks for its password: a wrong one is refused, the right one opens the folder; ' +
      'receipt confirmed, one download, and then the link no longer opens',
    async () => {
      // On purpose: 401 before and after the wrong password, 404 once the one download is used.
      const page = await open([failedResource(401, '/api/share'), failedResource(404, '/api/share')]);
      const sent: Array<{ url: string; password?: string }> = [];
      page.on('request', (r) => sent.push({ url: r.url(), password: r.headers()['x-share-password'] }));
      await page.goto(linkUrl);
      const gate = page.getByTestId('link-password');
      await gate.getByRole('heading', { level: 1, name: 'Enlace protegido con contraseña' }).waitFor();
      // The company's frame, as on the rest of the share page.
      await page.getByTestId('company-name').waitFor();
      await gate.getByLabel('Contraseña del enlace').fill('no-es-esta-clave');
      await gate.getByRole('button', { name: 'Abrir' }).click();
      await gate.getByRole('alert').getByText('Contraseña incorrecta', { exact: false }).waitFor();
      await screenshot(page, '63-proof-link-wrong-password');
      await gate.getByLabel('Contraseña del enlace').fill(LINK_PASSWORD);
      await gate.getByRole('button', { name: 'Abrir' }).click();
      await page.getByRole('heading', { level: 1, name: FOLDER }).waitFor();

      // Kept in the page's memory only.
      assert.ok(!page.url().includes(LINK_PASSWORD), 'not in the URL');
      const stored = await page.evaluate(() => JSON.stringify({ ...localStorage, ...sessionStorage }));
      assert.ok(!stored.includes('Girasol'), 'not in storage');

      // Into a subfolder and back: the password typed once serves the whole visit.
      await page.getByRole('link', { name: SUB, exact: true }).click();
      await page.getByRole('heading', { level: 1, name: SUB }).waitFor();
      await page.getByRole('navigation', { name: 'Ruta' }).getByRole('link', { name: FOLDER }).click();
      await page.getByRole('heading', { level: 1, name: FOLDER }).waitFor();

      // The link holder confirms receipt of the file that asks for it, like the web user.
      const asking = fileItem(page, ASKS);
      assert.equal(
        await fileItem(page, PLAIN)
          .getByRole('button', { name: /Confirmar recepción/ })
          .count(),
        0,
      );
      await asking.getByRole('button', { name: `Confirmar recepción: ${ASKS}` }).click();
      await asking.getByTestId('ack-done').getByText('Recepción confirmada').waitFor();

      // The one download the link allows: the bytes staff uploaded.
      const [dl] = await Promise.all([
        page.waitForEvent('download'),
        fileItem(page, PLAIN)
          .getByRole('button', { name: `Descargar: ${PLAIN}` })
          .click(),
      ]);
      assert.deepEqual(await downloadBytes(dl), Buffer.from(plain.bytes));
      await screenshot(page, '64-proof-link-opened');

      // The sender asked to be told of the first opening: the jobs mail them once.
      await e.t.runJobs();
      await mailTo(STAFF_EMAIL, new RegExp(`ha abierto el enlace a «${FOLDER}»`));

      // The password went in a header (the confirmation carried it), never in an address the browser asked for.
      assert.equal(sent.find((r) => r.url.endsWith('/acknowledge'))?.password, LINK_PASSWORD);
      assert.deepEqual(
        sent.filter((r) => r.url.includes('Girasol')),
        [],
        'nor in any address the browser asked for',
      );
      // Its download used, the link opens nothing any more, as an expired one.
      await page.reload();
      await page.getByTestId('link-gone').getByRole('heading', { name: 'Este enlace ya no está disponible' }).waitFor();
      await screenshot(page, '65-proof-link-used-up');
    },
  );

  test('past its expiry the link shows "Caducado" with "Ampliar", which mails a new link', async () => {
    const listed = await e.t.api('GET', `/folders/${folderId}/links`, { token: staff.token });
    const old = listed.body.links.find((l: { email: string }) => l.email === HOLDER_EMAIL);
    // The day after it expires, through the local stack's test clock (ignored in AWS).
    const later = new Date(Date.parse(old.expiresAt) + 86_400_000).toISOString();
    await staffPage.route('**/api/**', (route) =>
      route.continue({ headers: { ...route.request().headers(), 'x-carpeta-now': later } }),
    );
    await staffPage.reload();
    const panel = staffPage.getByTestId('shared-with');
    const row = panel.locator('[data-testid="link"][data-status="expired"]').filter({ hasText: HOLDER_EMAIL });
    await row.getByText(/caducó el/).waitFor();
    // The sender sees the one download the link allowed was taken.
    await row.getByText(/con contraseña · descargas: 1 de 1/).waitFor();
    await row.getByRole('button', { name: `Ampliar el enlace a ${HOLDER_EMAIL}` }).click();
    await panel.getByText(`Enlace nuevo enviado por email a ${HOLDER_EMAIL}`, { exact: false }).waitFor();
    // The new link is live and keeps the protection; the old one, replaced, offers no second "Ampliar".
    const live = panel.locator('[data-testid="link"][data-status="active"]').filter({ hasText: HOLDER_EMAIL });
    await live.getByText(/con contraseña · descargas: 0 de 1/).waitFor();
    assert.equal(await panel.getByRole('button', { name: /^Ampliar/ }).count(), 0);
    await screenshot(staffPage, '66-proof-link-extended');

    const mails = ((await e.t.mail()) as Array<{ to: string[]; text: string }>).filter(
      (m) => m.to.includes(HOLDER_EMAIL) && /\/s#/.test(m.text),
    );
    const tokens = new Set(mails.map((m) => /\/s#([A-Za-z0-9_-]+)/.exec(m.text)?.[1]));
    assert.equal(mails.length, 2, 'a second link was mailed');
    assert.equal(tokens.size, 2, 'with a new token');
    assert.ok(tokens.has(/\/s#([A-Za-z0-9_-]+)/.exec(linkUrl)?.[1]), 'besides the first one');
    await staffPage.unroute('**/api/**');
  });

  test('no console errors anywhere', () => {
    assert.deepEqual(
      watched.flatMap((w) => w.errors),
      [],
    );
  });
});
