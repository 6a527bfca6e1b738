/**
 * Issue 6's whole story in real Chromium against the local stack:
 * staff creates a client folder and uploads two files (progress shown), uses
 * "Send by email"; the mail's link opens the folder in a fresh browser with no
 * account and the download is byte-identical. Staff creates a web user; the
 * client accepts the invitation, signs in at phone size (375x812), sees only
 * their folder, previews the PDF and downloads it; "view as" shows the same.
 * A name with <img src=x onerror=alert(1)> is text everywhere. Revoking the
 * link and the grant takes effect on the next request.
 */

import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, test } from '@jest/globals';
import type { BrowserContext, Page } from 'playwright-core';
import { horizontalOverflow, newContext, screenshot, type Watched, watchedPage } from './browser.ts';
import { downloadBytes, type E2E, failedResource, samplePdf, signInAs, startE2E } from './support.ts';

const CLIENT = 'Clínica Ruiz — Radiología';
const OTHER = 'Otro cliente';
const XSS = '<img src=x onerror=alert(1)>';
const CLIENT_EMAIL = 'paciente.ruiz@example.com';
const CLIENT_PASSWORD = 'Radiografía-2026!';
const pdf = samplePdf('Informe RX');
const text = Buffer.from('Resultados: todo correcto. ñ á é í ó ú\n', 'utf8');

let e: E2E;
let staffCtx: BrowserContext;
let staff: Watched;
let page: Page;
let alerts = 0;
const watched: Watched[] = [];
const allow = [
  failedResource(404, '/api/share'),
  failedResource(404, '/api/portal/'),
  failedResource(401, '/api/'),
  // A disabled web user's refresh token is revoked (AdminDisableUser does that in Cognito): the refresh is refused.
  failedResource(400, '/_local/cognito'),
];

async function watch(ctx: BrowserContext): Promise<Watched> {
  const w = await watchedPage(ctx, allow);
  w.page.on('dialog', (d) => {
    alerts++;
    void d.dismiss();
  });
  watched.push(w);
  return w;
}

async function mailTo(address: string, pattern: RegExp): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const m = (await e.t.mail()).find((x) => x.to.includes(address) && pattern.test(x.text));
    if (m) return pattern.exec(m.text)![0];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${address} matching ${pattern}`);
}

async function fetchBytes(url: string): Promise<{ bytes: Buffer; headers: Headers }> {
  const r = await fetch(url);
  assert.equal(r.status, 200);
  return { bytes: Buffer.from(await r.arrayBuffer()), headers: r.headers };
}

beforeAll(async () => {
  e = await startE2E();
  staffCtx = await newContext(e.browser, { locale: 'es-ES' });
  staff = await watch(staffCtx);
  page = staff.page;
  await signInAs(page, e.url, e.t.stack.admin.email, e.t.stack.admin.password);
  await page.waitForURL(/\/admin\/folders$/);
});

afterAll(async () => {
  await staffCtx?.close().catch(() => undefined);
  await e?.stop();
});

async function newFolder(p: Page, name: string) {
  await p.getByRole('button', { name: 'Nueva carpeta' }).click();
  const dlg = p.getByRole('dialog');
  await dlg.getByLabel('Nombre').fill(name);
  await dlg.getByRole('button', { name: 'Nueva carpeta' }).click();
  await dlg.waitFor({ state: 'detached' });
  await p.getByTestId('listing').getByRole('link', { name, exact: true }).waitFor();
}

describe('the whole story, in the browser', () => {
  test('staff creates a client folder and uploads two files with progress shown', async () => {
    await newFolder(page, OTHER);
    await newFolder(page, CLIENT);
    await page.getByTestId('listing').getByRole('link', { name: CLIENT, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: CLIENT }).waitFor();
    await newFolder(page, XSS);
    await page.getByTestId('file-input').setInputFiles([
      { name: 'Informe RX.pdf', mimeType: 'application/pdf', buffer: pdf },
      { name: 'resultados.txt', mimeType: 'text/plain', buffer: text },
    ]);
    const panel = page.getByTestId('uploads');
    await panel.getByTestId('upload-overall').waitFor();
    await panel.getByText('2 de 2 archivos subidos').waitFor();
    assert.equal(await panel.getByTestId('upload-row').count(), 2);
    await page.getByTestId('file-row').nth(1).waitFor();
    await screenshot(page, '20-story-uploaded');
  });

  let linkUrl = '';
  test('"Send by email": the dialog says who gets what, the mail arrives, the folder shows the link', async () => {
    await page.getByRole('button', { name: `Más acciones para «${CLIENT}»` }).click();
    await page.getByRole('menuitem', { name: 'Enviar por email' }).click();
    const dlg = page.getByRole('dialog');
    await dlg.getByLabel('Email del destinatario').fill('ana@example.com');
    await dlg.getByLabel('Nombre del destinatario').fill('Ana');
    await dlg.getByLabel('Mensaje').fill('Aquí tiene sus resultados.');
    await dlg
      .getByTestId('send-preview')
      .getByText(`ana@example.com recibirá un enlace a «${CLIENT}»`, { exact: false })
      .waitFor();
    await screenshot(page, '21-story-send-dialog');
    await dlg.getByRole('button', { name: 'Enviar' }).click();
    await dlg
      .getByTestId('send-done')
      .getByText(`ana@example.com ha recibido un enlace a «${CLIENT}»`, { exact: false })
      .waitFor();
    await dlg.getByRole('button', { name: 'Cerrar' }).first().click();
    await page.getByTestId('shared-with').getByText('Enlace por email a ana@example.com').waitFor();
    linkUrl = await mailTo('ana@example.com', /https?:\/\/\S+\/s#[A-Za-z0-9_-]+/);
  });

  test('the link opens the folder in a fresh browser with no account; the download is byte-identical', async () => {
    const ctx = await newContext(e.browser, { locale: 'es-ES' });
    const { page: p } = await watch(ctx);
    await p.goto(linkUrl);
    await p.getByRole('heading', { level: 1, name: CLIENT }).waitFor();
    await p.getByRole('link', { name: XSS, exact: true }).waitFor();
    assert.equal(await p.locator('img[src="x"]').count(), 0);
    const [dl] = await Promise.all([
      p.waitForEvent('download'),
      p.getByRole('button', { name: 'Descargar: resultados.txt' }).click(),
    ]);
    assert.deepEqual(await downloadBytes(dl), text);
    await screenshot(p, '22-story-share-link');
    // A subfolder opens inside the link, breadcrumbs start at the linked folder.
    await p.getByRole('link', { name: XSS, exact: true }).click();
    await p.getByRole('heading', { level: 1, name: XSS }).waitFor();
    await p.getByRole('navigation', { name: 'Ruta' }).getByRole('link', { name: CLIENT }).click();
    await p.getByRole('heading', { level: 1, name: CLIENT }).waitFor();
    await ctx.close();
    // The same link on a phone: the token after "#" still opens it, nothing scrolls sideways.
    const phone = await newContext(e.browser, {
      locale: 'es-ES',
      viewport: { width: 375, height: 812 },
      isMobile: true,
      hasTouch: true,
    });
    const { page: m } = await watch(phone);
    await m.goto(linkUrl);
    await m.getByRole('heading', { level: 1, name: CLIENT }).waitFor();
    await m.getByRole('button', { name: 'Descargar: resultados.txt' }).waitFor();
    assert.ok((await horizontalOverflow(m)) <= 0, 'no horizontal scroll on the share page at 375 px');
    await screenshot(m, '22b-story-share-link-phone');
    await phone.close();
  });

  let inviteUrl = '';
  test('staff creates a web user with the client folder; the invitation arrives', async () => {
    await page.getByRole('navigation', { name: 'Menú principal' }).getByRole('link', { name: 'Usuarios web' }).click();
    await page.getByRole('heading', { level: 1, name: 'Usuarios web' }).waitFor();
    await page.getByRole('button', { name: 'Nuevo usuario web' }).click();
    const dlg = page.getByRole('dialog');
    await dlg.getByLabel('Email').fill(CLIENT_EMAIL);
    await dlg.getByLabel('Nombre', { exact: true }).fill('Paciente Ruiz');
    await dlg.getByRole('button', { name: CLIENT, exact: true }).click();
    await dlg.getByRole('button', { name: 'Añadir carpeta' }).click();
    await dlg.getByTestId('chosen-folders').getByText(CLIENT).waitFor();
    await screenshot(page, '23-story-new-webuser');
    await dlg.getByRole('button', { name: 'Dar de alta' }).click();
    await page.getByText(`${CLIENT_EMAIL} dado de alta.`, { exact: false }).waitFor();
    await page.getByTestId('webusers').getByRole('link', { name: 'Paciente Ruiz' }).waitFor();
    inviteUrl = await mailTo(CLIENT_EMAIL, /https?:\/\/\S+\/invite#[A-Za-z0-9_-]+/);
  });

  let client: Page;
  test(
    'the client accepts the invitation and signs in on a ' + 'phone; sees only their folder; previews and downloads',
    async () => {
      const ctx = await newContext(e.browser, {
        locale: 'es-ES',
        viewport: { width: 375, height: 812 },
        isMobile: true,
        hasTouch: true,
      });
      client = (await watch(ctx)).page;
      await client.goto(inviteUrl);
      await client.getByRole('heading', { level: 1, name: 'Cree su contraseña' }).waitFor();
      await client.getByLabel('Contraseña nueva').fill(CLIENT_PASSWORD);
      await client.getByLabel('Repita la contraseña').fill(CLIENT_PASSWORD);
      await client.getByRole('button', { name: 'Crear la contraseña' }).click();
      await client.getByTestId('invite-done').waitFor();
      await client.getByRole('link', { name: 'Ir a entrar' }).click();
      await signInAs(client, e.url, CLIENT_EMAIL, CLIENT_PASSWORD);
      await client.waitForURL(/\/portal$/);
      await client.getByRole('heading', { level: 1, name: 'Mis carpetas' }).waitFor();
      const folders = client.getByTestId('items').getByRole('link');
      await folders.first().waitFor();
      assert.deepEqual(await folders.allTextContents(), [CLIENT]);
      assert.ok((await horizontalOverflow(client)) <= 0, 'no horizontal scroll at 375 px');
      await screenshot(client, '24-story-portal-phone');

      await folders.first().click();
      await client.getByRole('heading', { level: 1, name: CLIENT }).waitFor();
      await client.getByText(XSS, { exact: true }).waitFor();
      assert.equal(await client.locator('img[src="x"]').count(), 0);
      assert.ok((await horizontalOverflow(client)) <= 0, 'no horizontal scroll at 375 px');
      const small = await client.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('main button, main a, header button, header a')]
          .map((el) => ({ what: el.textContent, ...el.getBoundingClientRect().toJSON() }))
          .filter((r) => r.height < 44 || r.width < 44),
      );
      assert.deepEqual(small, [], 'touch targets of at least 44 px');
      await screenshot(client, '25-story-portal-folder-phone');

      await client.getByRole('button', { name: 'Ver: Informe RX.pdf' }).click();
      // On a phone the PDF opens in the browser's own viewer (a link); on a desk, in an iframe.
      const target = client.getByTestId('preview-target');
      await target.waitFor();
      const src = ((await target.getAttribute('src')) ?? (await target.getAttribute('href')))!;
      const shown = await fetchBytes(src);
      assert.deepEqual(shown.bytes, pdf);
      assert.match(shown.headers.get('content-disposition') ?? '', /^inline/);
      await screenshot(client, '26-story-portal-preview');
      await client.getByRole('dialog').getByRole('button', { name: 'Cerrar' }).click();

      const [dl] = await Promise.all([
        client.waitForEvent('download'),
        client.getByRole('button', { name: 'Descargar: Informe RX.pdf' }).click(),
      ]);
      assert.deepEqual(await downloadBytes(dl), pdf);
    },
  );

  test('"view as" shows staff exactly what the client sees, marked as a preview', async () => {
    await page.getByTestId('webusers').getByRole('link', { name: 'Paciente Ruiz' }).click();
    await page.getByRole('heading', { level: 1, name: 'Paciente Ruiz' }).waitFor();
    await page.getByTestId('user-grants').getByText(CLIENT).waitFor();
    await page.getByRole('link', { name: 'Ver como este cliente' }).click();
    await page
      .getByTestId('view-as-banner')
      .getByText(`Vista previa: así ve Paciente Ruiz (${CLIENT_EMAIL})`, { exact: false })
      .waitFor();
    const tops = page.getByTestId('items').getByRole('link');
    await tops.first().waitFor();
    assert.deepEqual(await tops.allTextContents(), [CLIENT]);
    await tops.first().click();
    await page.getByRole('heading', { level: 1, name: CLIENT }).waitFor();
    const staffSees = await page.getByTestId('items').locator('.item-name').allTextContents();
    await client.goto(client.url());
    await client.getByRole('heading', { level: 1, name: CLIENT }).waitFor();
    const clientSees = await client.getByTestId('items').locator('.item-name').allTextContents();
    assert.deepEqual(staffSees, clientSees);
    // The preview searches as the client does: their documents, with the path from their folder.
    await page.getByRole('searchbox', { name: 'Buscar' }).fill(clientSees[0].slice(0, 4));
    await page.getByTestId('search-results').getByText(clientSees[0], { exact: true }).waitFor();
    await page.getByRole('searchbox', { name: 'Buscar' }).fill('');
    await screenshot(page, '27-story-view-as');
  });

  test("activity: a folder's events, a type filter, CSV export; a file's receipts", async () => {
    await page.goto(`${e.url}/admin/folders`);
    await page.getByTestId('listing').getByRole('link', { name: CLIENT, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: CLIENT }).waitFor();
    await page.getByRole('button', { name: `Más acciones para «${CLIENT}»` }).click();
    await page.getByRole('menuitem', { name: 'Actividad' }).click();
    await page.getByRole('heading', { level: 1, name: 'Actividad' }).waitFor();
    const table = page.getByTestId('activity');
    await table.getByText('Enlace enviado').first().waitFor();
    await table.getByText('Carpeta compartida').first().waitFor();
    await page.getByLabel('Tipo').selectOption({ label: 'Enlace enviado' });
    await page.getByRole('button', { name: 'Filtrar' }).click();
    await page.waitForURL(/type=link\.sent/);
    // The filtered list replaces the unfiltered one: wait until only "link sent" rows are left.
    await page.waitForFunction(() => {
      const cells = [...document.querySelectorAll('[data-testid="activity"] tbody tr td:nth-child(2)')].map(
        (c) => c.textContent,
      );
      return cells.length > 0 && cells.every((c) => c === 'Enlace enviado');
    });
    const [csv] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Exportar (CSV)' }).click(),
    ]);
    const content = (await downloadBytes(csv)).toString('utf8').replace(/^\ufeff/, '');
    assert.match(content.split('\r\n')[0], /^"Fecha y hora \(UTC\)";"Qué";"Quién"/, 'a Spanish header row');
    assert.match(content, /"Enlace enviado"/);
    await screenshot(page, '31-story-activity');

    // The PDF's page: versions, and its receipts (the client downloaded it).
    await page.goto(`${e.url}/admin/folders`);
    await page.getByTestId('listing').getByRole('link', { name: CLIENT, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: CLIENT }).waitFor();
    await page.getByTestId('file-row').getByRole('link', { name: 'Informe RX.pdf' }).click();
    await page.getByRole('heading', { level: 1, name: 'Informe RX.pdf' }).waitFor();
    const receipts = page.getByTestId('receipts');
    await receipts.getByText(CLIENT_EMAIL, { exact: false }).first().waitFor();
    await screenshot(page, '32-story-file-receipts');
    const [pdfReceipt] = await Promise.all([
      page.waitForEvent('download'),
      receipts.getByRole('button', { name: 'Recibo PDF' }).first().click(),
    ]);
    assert.equal((await downloadBytes(pdfReceipt)).subarray(0, 5).toString('latin1'), '%PDF-');
  });

  test('revoking the link and the grant takes effect on the next request', async () => {
    await page.goto(`${e.url}/admin/folders`);
    await page.getByTestId('listing').getByRole('link', { name: CLIENT, exact: true }).click();
    const shared = page.getByTestId('shared-with');
    await shared.getByTestId('grant').getByText(CLIENT_EMAIL, { exact: false }).waitFor();
    await screenshot(page, '28-story-shared-with');
    await shared.getByRole('button', { name: 'Revocar: ana@example.com' }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revocar', exact: true }).click();
    await shared.getByText('Enlace a ana@example.com revocado: ya no abre nada.').waitFor();
    await shared.getByText('Enlace por email a ana@example.com').waitFor({ state: 'detached' });
    await shared.getByRole('button', { name: `Revocar: ${CLIENT_EMAIL}` }).click();
    await page.getByRole('dialog').getByRole('button', { name: 'Revocar', exact: true }).click();
    await shared.getByText('No está compartida con nadie.').waitFor();

    const ctx = await newContext(e.browser, { locale: 'es-ES' });
    const { page: p } = await watch(ctx);
    await p.goto(linkUrl);
    await p.getByTestId('link-gone').getByRole('heading', { name: 'Este enlace ya no está disponible' }).waitFor();
    await screenshot(p, '29-story-link-gone');
    await ctx.close();

    await client.reload();
    await client.getByText('No encontrado: no existe o ya no está disponible.').waitFor();
    await client.getByRole('link', { name: 'Mis carpetas' }).first().click();
    await client.getByTestId('nothing-shared').waitFor();
    await screenshot(client, '30-story-nothing-shared');
  });

  test('no resend for an accepted invitation; a disabled web user is out on their next request; erase', async () => {
    await page.goto(`${e.url}/admin/webusers`);
    await page.getByTestId('webusers').getByRole('link', { name: 'Paciente Ruiz' }).click();
    await page.getByRole('heading', { level: 1, name: 'Paciente Ruiz' }).waitFor();
    // They accepted the invitation long ago: there is nothing to resend.
    await page.getByRole('button', { name: 'Desactivar' }).waitFor();
    assert.equal(await page.getByRole('button', { name: 'Reenviar invitación' }).count(), 0);

    await page.getByRole('button', { name: 'Desactivar' }).click();
    await page.getByText(`${CLIENT_EMAIL} ya no puede entrar.`).waitFor();
    await page.getByText('Desactivado', { exact: true }).waitFor();
    await client.reload();
    await client.getByRole('heading', { level: 1, name: 'Entrar' }).waitFor();

    await page.getByRole('button', { name: 'Borrar sus datos' }).click();
    const dlg = page.getByRole('dialog');
    await dlg.getByText(`¿Borrar a ${CLIENT_EMAIL}?`, { exact: false }).waitFor();
    await dlg.getByRole('button', { name: 'Borrar sus datos' }).click();
    await page.getByRole('heading', { level: 1, name: 'Usuarios web' }).waitFor();
    await page.getByText('Todavía no hay usuarios web.').waitFor();
  });

  test('no share or invitation token was ever in a path or query string the browser sent', async () => {
    const tokens = (await e.t.mail()).flatMap((m) =>
      [...m.text.matchAll(/\/(?:s|invite)#([A-Za-z0-9_-]{20,})/g)].map((x) => x[1]),
    );
    assert.ok(tokens.length >= 2, 'the story mailed a link and an invitation');
    // The local server's access log records every request the browser made, as CloudFront's would.
    const log = readFileSync(path.join(e.t.dir, 'access.log'), 'utf8');
    assert.ok(log.split('\n').length > 20, 'the requests of the browser are in the log');
    for (const token of tokens) assert.ok(!log.includes(token), `a token in a logged URL: ${token.slice(0, 6)}…`);
  });

  test('no console errors anywhere, and no script ran from data', () => {
    assert.equal(alerts, 0);
    assert.deepEqual(
      watched.flatMap((w) => w.errors),
      [],
    );
  });
});
