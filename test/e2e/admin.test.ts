/**
 * The staff admin site in real Chromium against the local stack: folders
 * (create, rename, move by menu and by drag and drop, trash, restore), uploads
 * with progress (presigned POST and multipart), a name clash resolved as a new
 * version, downloads compared byte for byte, a hostile name rendered as text,
 * the company settings (after the admin turns on two-step verification, which
 * admin routes require), the phone-sized listing.
 */

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, test } from '@jest/globals';
import type { BrowserContext, Page } from 'playwright-core';
import { allEvents } from '../support/security.ts';
import { horizontalOverflow, newContext, screenshot, type Watched, watchedPage } from './browser.ts';
import { downloadBytes, type E2E, enrolHere, failedResource, samplePdf, signInAs, startE2E } from './support.ts';

const MiB = 1024 * 1024;
let e: E2E;
let ctx: BrowserContext;
let w: Watched;
let page: Page;
let alerts = 0;

const XSS = '<img src=x onerror=alert(1)>';
const CLIENT = 'Cliente García & Hijos';
const text = Buffer.from('Declaración de la renta 2026 — ñandú ✓\n'.repeat(50), 'utf8');
const pdf = samplePdf('Factura 001');
const big = randomBytes(5 * MiB + 1234);

beforeAll(async () => {
  e = await startE2E({ MULTIPART_THRESHOLD: String(5 * MiB), MULTIPART_PART_SIZE: String(5 * MiB) });
  ctx = await newContext(e.browser, { locale: 'es-ES' });
  // 403 /api/settings: mfa_required until the admin turns on two-step verification.
  w = await watchedPage(ctx, [
    failedResource(409, '/api/folders/'),
    failedResource(500, 'partNumber=2'),
    failedResource(403, '/api/settings'),
    // Signing out after turning on two-step verification revokes a refresh token Cognito already revoked.
    failedResource(400, '/_local/cognito'),
  ]);
  page = w.page;
  page.on('dialog', (d) => {
    alerts++;
    void d.dismiss();
  });
  await signInAs(page, e.url, e.t.stack.admin.email, e.t.stack.admin.password);
  await page.waitForURL(/\/admin\/folders$/);
});

afterAll(async () => {
  await ctx?.close().catch(() => undefined);
  await e?.stop();
});

async function newFolder(name: string) {
  await page.getByRole('button', { name: 'Nueva carpeta' }).click();
  const dlg = page.getByRole('dialog');
  await dlg.getByLabel('Nombre').fill(name);
  await dlg.getByRole('button', { name: 'Nueva carpeta' }).click();
  await dlg.waitFor({ state: 'detached' });
  await page.getByTestId('listing').getByRole('link', { name, exact: true }).waitFor();
}

async function uploadsDone(count: number) {
  await page.getByTestId('uploads').getByText(`${count} de ${count} archivos subidos`).waitFor();
}

async function clearUploads() {
  await page.getByRole('button', { name: 'Limpiar la lista' }).click();
  await page.getByTestId('uploads').waitFor({ state: 'detached' });
}

function fileRow(name: string) {
  return page.getByTestId('file-row').filter({ has: page.getByRole('link', { name, exact: true }) });
}

async function download(name: string): Promise<Buffer> {
  const [dl] = await Promise.all([
    page.waitForEvent('download'),
    fileRow(name)
      .getByRole('button', { name: `Descargar: ${name}` })
      .click(),
  ]);
  return downloadBytes(dl);
}

async function menuOf(name: string, how: 'button' | 'right-click' = 'button') {
  const row = page.getByTestId('folder-row').filter({ has: page.getByRole('link', { name, exact: true }) });
  if (how === 'button') await row.getByRole('button', { name: `Más acciones para «${name}»` }).click();
  else await row.getByRole('link', { name, exact: true }).click({ button: 'right' });
  const menu = page.getByRole('menu');
  await menu.waitFor();
  return menu;
}

/** `sha256sum` of the bytes, as an auditor would check them. */
function sha256sum(bytes: Buffer): string {
  const dir = mkdtempSync(path.join(tmpdir(), 'carpeta-sum-'));
  try {
    writeFileSync(path.join(dir, 'f'), bytes);
    return execFileSync('sha256sum', [path.join(dir, 'f')], { encoding: 'utf8' }).split(' ')[0];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** The file named `name` in the client folder, as the API has it (its versions with their SHA-256s). */
let auditor: string | undefined;
async function fileInClientFolder(name: string) {
  // Another staff member (the admin's own sessions are this page's: the settings test enrols them in the browser).
  auditor ??= (await e.t.user('staff')).token;
  const token = auditor;
  const root = await e.t.api('GET', '/folders/root', { token });
  const folder = root.body.folders.find((f: { name: string }) => f.name === CLIENT);
  const listing = await e.t.api('GET', `/folders/${folder.id}`, { token });
  const file = listing.body.files.find((f: { name: string }) => f.name === name);
  return { token, ...(await e.t.api('GET', `/files/${file.id}`, { token })).body };
}

describe('the staff admin site', () => {
  test('creates a client folder; a hostile name is shown as text', async () => {
    await page.getByRole('heading', { level: 1 }).waitFor();
    await newFolder(CLIENT);
    await newFolder(XSS);
    assert.equal(await page.locator('img[src="x"]').count(), 0);
    assert.equal(alerts, 0);
    // The tree shows both too.
    await page.getByRole('list', { name: 'Árbol de carpetas' }).getByRole('link', { name: CLIENT }).waitFor();
    await screenshot(page, '10-admin-folders');
  });

  test('uploads two files with progress, then downloads identical bytes', async () => {
    await page.getByTestId('listing').getByRole('link', { name: CLIENT, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: CLIENT }).waitFor();
    await page.getByRole('navigation', { name: 'Ruta' }).getByText(CLIENT).waitFor();
    await page.getByTestId('file-input').setInputFiles([
      { name: 'renta-2026.txt', mimeType: 'text/plain', buffer: text },
      { name: 'Factura 001.pdf', mimeType: 'application/pdf', buffer: pdf },
    ]);
    await page.getByTestId('uploads').waitFor();
    await uploadsDone(2);
    const bars = page.getByTestId('uploads').locator('progress');
    assert.equal(await bars.count(), 3, 'one bar overall and one per file');
    for (const bar of await bars.all()) assert.equal(await bar.getAttribute('value'), await bar.getAttribute('max'));
    await fileRow('renta-2026.txt').waitFor();
    await fileRow('Factura 001.pdf').waitFor();
    await screenshot(page, '11-admin-uploaded');
    assert.deepEqual(await download('renta-2026.txt'), text);
    assert.deepEqual(await download('Factura 001.pdf'), pdf);
    await clearUploads();
    // The browser declared each file's SHA-256 and S3 checked it: the version records sha256sum's answer,
    // and the receipt of the download just made shows it.
    const invoice = await fileInClientFolder('Factura 001.pdf');
    assert.equal(invoice.versions[0].sha256, sha256sum(pdf));
    assert.equal(invoice.versions[0].verifiedBy, 's3');
    const [downloaded] = (await allEvents(e.t, invoice.token, `fileId=${invoice.file.id}`)).filter(
      (ev) => ev.type === 'download',
    );
    const receipt = await fetch(`${e.t.stack.apiUrl}/receipts/${downloaded.id}?format=pdf`, {
      headers: { authorization: `Bearer ${invoice.token}` },
    });
    assert.equal(receipt.status, 200);
    const receiptText = Buffer.from(await receipt.arrayBuffer()).toString('latin1');
    assert.ok(receiptText.includes(`SHA-256: ${sha256sum(pdf)}`), 'the receipt PDF shows the checked hash');
    assert.equal((await fileInClientFolder('renta-2026.txt')).versions[0].sha256, sha256sum(text));
    // On a desk a PDF previews inside the page, served inline.
    await fileRow('Factura 001.pdf').getByRole('button', { name: 'Más acciones para «Factura 001.pdf»' }).click();
    await page.getByRole('menuitem', { name: 'Ver', exact: true }).click();
    const frame = page.getByTestId('preview').locator('iframe');
    await frame.waitFor();
    const r = await fetch((await frame.getAttribute('src'))!);
    assert.match(r.headers.get('content-disposition') ?? '', /^inline/);
    assert.deepEqual(Buffer.from(await r.arrayBuffer()), pdf);
    await page.getByRole('dialog').getByRole('button', { name: 'Cerrar' }).click();
  });

  test('a file over the multipart threshold goes up in parts and comes back identical', async () => {
    await page
      .getByTestId('file-input')
      .setInputFiles([{ name: 'escaneo.bin', mimeType: 'application/octet-stream', buffer: big }]);
    await uploadsDone(1);
    await fileRow('escaneo.bin').waitFor();
    assert.deepEqual(await download('escaneo.bin'), big);
    await clearUploads();
    // S3 checked each part against the SHA-256 the browser signed into its URL; the whole file's is the browser's.
    const scan = await fileInClientFolder('escaneo.bin');
    assert.equal(scan.versions[0].sha256, sha256sum(big));
    assert.equal(scan.versions[0].verifiedBy, 's3-parts');
  });

  test('a part that keeps failing is retried, then stops; "Retry" resumes and keeps the finished parts', async () => {
    const data = randomBytes(5 * MiB + 4321);
    let failures = 0;
    const failPart2 = (route: import('playwright-core').Route) => {
      failures++;
      return route.fulfill({ status: 500, body: 'boom', headers: { 'access-control-allow-origin': '*' } });
    };
    await page.route(/partNumber=2/, failPart2);
    await page
      .getByTestId('file-input')
      .setInputFiles([{ name: 'partes.bin', mimeType: 'application/octet-stream', buffer: data }]);
    const row = page.locator('[data-testid="upload-row"][data-state="failed"]').filter({ hasText: 'partes.bin' });
    await row.waitFor();
    assert.equal(failures, 3, 'each part is tried three times before the file is marked failed');
    await row.getByText('El almacenamiento ha rechazado la subida. Vuelva a intentarlo.').waitFor();
    await screenshot(page, '12a-admin-upload-failed');
    await page.unroute(/partNumber=2/, failPart2);
    const puts: string[] = [];
    page.on('request', (r) => {
      if (r.method() === 'PUT') puts.push(r.url());
    });
    await row.getByRole('button', { name: 'Reintentar: partes.bin' }).click();
    await uploadsDone(1);
    assert.equal(puts.filter((u) => /partNumber=1/.test(u)).length, 0, 'the finished part is not sent again');
    assert.equal(puts.filter((u) => /partNumber=2/.test(u)).length, 1);
    assert.deepEqual(await download('partes.bin'), data);
    await clearUploads();
  });

  test('an upload can be cancelled, and tried again', async () => {
    // Hold the bytes' POST to storage so the upload is still running when cancelled.
    const held: import('playwright-core').Route[] = [];
    const hold = (route: import('playwright-core').Route) => {
      if (route.request().method() !== 'POST') return route.continue();
      held.push(route);
    };
    await page.route(/carpeta-documents\/?$/, hold);
    await page.getByTestId('file-input').setInputFiles([{ name: 'lento.txt', mimeType: 'text/plain', buffer: text }]);
    const row = page.getByTestId('upload-row').filter({ hasText: 'lento.txt' });
    await page.waitForFunction(() => document.querySelector('[data-testid="upload-row"][data-state="uploading"]'));
    await row.getByRole('button', { name: 'Cancelar: lento.txt' }).click();
    await page.locator('[data-testid="upload-row"][data-state="cancelled"]').waitFor();
    await page.unroute(/carpeta-documents\/?$/, hold);
    for (const r of held) await r.abort().catch(() => undefined);
    await row.getByRole('button', { name: 'Reintentar: lento.txt' }).click();
    await uploadsDone(1);
    assert.deepEqual(await download('lento.txt'), text);
    await clearUploads();
  });

  test('a whole folder goes up with its sub-folders', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'carpeta-upload-'));
    mkdirSync(path.join(dir, 'Expediente', '2026'), { recursive: true });
    writeFileSync(path.join(dir, 'Expediente', 'indice.txt'), 'índice\n');
    writeFileSync(path.join(dir, 'Expediente', '2026', 'modelo-303.txt'), 'IVA T1\n');
    try {
      await page.getByTestId('folder-input').setInputFiles(path.join(dir, 'Expediente'));
      await uploadsDone(2);
      await clearUploads();
      await page.getByTestId('listing').getByRole('link', { name: 'Expediente', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Expediente' }).waitFor();
      await fileRow('indice.txt').waitFor();
      await page.getByTestId('listing').getByRole('link', { name: '2026', exact: true }).click();
      await fileRow('modelo-303.txt').waitFor();
      await page.getByRole('navigation', { name: 'Ruta' }).getByRole('link', { name: CLIENT }).click();
      await page.getByRole('heading', { level: 1, name: CLIENT }).waitFor();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  test('a name clash offers "new version"; the file page then lists two versions', async () => {
    const v2 = Buffer.from('segunda versión\n', 'utf8');
    await page
      .getByTestId('file-input')
      .setInputFiles([{ name: 'renta-2026.txt', mimeType: 'text/plain', buffer: v2 }]);
    const row = page.getByTestId('upload-row').filter({ hasText: 'renta-2026.txt' });
    await row.getByText('Ya hay un archivo llamado «renta-2026.txt» aquí.').waitFor();
    await screenshot(page, '12-admin-name-clash');
    await row.getByRole('button', { name: 'Subir como nueva versión' }).click();
    await uploadsDone(1);
    assert.deepEqual(await download('renta-2026.txt'), v2);
    await clearUploads();
    await fileRow('renta-2026.txt').getByRole('link').click();
    await page.getByTestId('versions').locator('tbody tr').nth(1).waitFor();
    assert.equal(await page.getByTestId('versions').locator('tbody tr').count(), 2);
    await page.getByTestId('versions').getByText('Actual', { exact: true }).waitFor();
    await screenshot(page, '13-admin-file-versions');
    await page.goBack();
    await page.getByRole('heading', { level: 1, name: CLIENT }).waitFor();
  });

  test('the context menu renames, moves and trashes; the trash restores', async () => {
    await newFolder('2025');
    await newFolder('Archivo');
    // Right-click opens the same menu as the "…" button, with every action.
    const menu = await menuOf('2025', 'right-click');
    const items = await menu.getByRole('menuitem').allTextContents();
    assert.deepEqual(items, [
      'Enviar por email',
      'Compartir con usuario web…',
      'Ver como cliente…',
      'Actividad',
      'Quién ve qué',
      'Cambiar nombre',
      'Mover',
      'Enviar a la papelera',
    ]);
    await screenshot(page, '14-admin-context-menu');
    await page.keyboard.press('Escape');
    await menu.waitFor({ state: 'detached' });

    // Rename
    await (await menuOf('2025')).getByRole('menuitem', { name: 'Cambiar nombre' }).click();
    let dlg = page.getByRole('dialog');
    await dlg.getByLabel('Nombre').fill('Renta 2025');
    await dlg.getByRole('button', { name: 'Guardar' }).click();
    await page.getByTestId('listing').getByRole('link', { name: 'Renta 2025', exact: true }).waitFor();

    // Move into "Archivo" with the dialog
    await (await menuOf('Renta 2025')).getByRole('menuitem', { name: 'Mover' }).click();
    dlg = page.getByRole('dialog');
    await dlg.getByRole('button', { name: 'Abrir «' }).first().waitFor();
    // Expand the root's child that holds "Archivo": the client folder.
    const expandClient = dlg.getByRole('button', { name: `Abrir «${CLIENT}»` });
    await expandClient.click();
    await dlg.getByRole('button', { name: 'Archivo', exact: true }).click();
    await dlg.getByRole('button', { name: 'Mover aquí' }).click();
    await dlg.waitFor({ state: 'detached' });
    await page
      .getByTestId('listing')
      .getByRole('link', { name: 'Renta 2025', exact: true })
      .waitFor({ state: 'detached' });

    // Drag and drop a file onto a folder moves it.
    await fileRow('escaneo.bin').dragTo(page.getByTestId('folder-row').filter({ hasText: 'Archivo' }));
    await fileRow('escaneo.bin').waitFor({ state: 'detached' });
    await page.getByTestId('listing').getByRole('link', { name: 'Archivo', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Archivo' }).waitFor();
    await page.getByTestId('listing').getByRole('link', { name: 'Renta 2025', exact: true }).waitFor();
    await fileRow('escaneo.bin').waitFor();

    // Trash "Renta 2025", then restore it from the trash page.
    await (await menuOf('Renta 2025')).getByRole('menuitem', { name: 'Enviar a la papelera' }).click();
    dlg = page.getByRole('dialog');
    await dlg.getByRole('button', { name: 'Enviar a la papelera' }).click();
    await page
      .getByTestId('listing')
      .getByRole('link', { name: 'Renta 2025', exact: true })
      .waitFor({ state: 'detached' });
    await page.getByRole('navigation', { name: 'Menú principal' }).getByRole('link', { name: 'Papelera' }).click();
    await page.getByTestId('trash').getByText('Renta 2025').waitFor();
    await screenshot(page, '15-admin-trash');
    await page.getByRole('button', { name: 'Recuperar: Renta 2025' }).click();
    await page.getByText('«Renta 2025» se ha recuperado.').waitFor();
    await page.goBack();
    await page.getByTestId('listing').getByRole('link', { name: 'Renta 2025', exact: true }).waitFor();
  });

  test('"Send by email" says who gets what, then that it was sent', async () => {
    await page.getByRole('navigation', { name: 'Ruta' }).getByRole('link', { name: CLIENT }).click();
    await page.getByRole('heading', { level: 1, name: CLIENT }).waitFor();
    await page.getByRole('button', { name: `Más acciones para «${CLIENT}»` }).click();
    await page.getByRole('menuitem', { name: 'Enviar por email' }).click();
    const dlg = page.getByRole('dialog');
    await dlg.getByLabel('Email del destinatario').fill('ana@example.com');
    await dlg
      .getByTestId('send-preview')
      .getByText(/ana@example\.com recibirá un enlace a «Cliente García & Hijos»/)
      .waitFor();
    await dlg.getByRole('button', { name: 'Enviar' }).click();
    await dlg
      .getByTestId('send-done')
      .getByText('Enviado. ana@example.com ha recibido un enlace', { exact: false })
      .waitFor();
    await screenshot(page, '16-admin-send-by-email');
    await dlg
      .getByRole('button', { name: /Cerrar|Cancelar/ })
      .first()
      .click();
  });

  test(
    'settings: the admin turns on two-step verification first; the company name, colour and logo change what ' +
      'everyone sees',
    async () => {
      await page.getByRole('navigation', { name: 'Menú principal' }).getByRole('link', { name: 'Ajustes' }).click();
      await page.getByRole('heading', { level: 1, name: 'Ajustes' }).waitFor();
      // Admin routes need two-step verification (issue 8): enrol right there, then the page loads.
      await page.getByTestId('mfa-required').waitFor();
      // Turning it on ends every session: signed in again, the admin is back on the settings.
      await enrolHere(page, e.t, e.t.stack.admin);
      await page.getByRole('heading', { level: 1, name: 'Ajustes' }).waitFor();
      await page.getByTestId('mfa-required').waitFor({ state: 'detached' });
      await page.getByLabel('Nombre de la empresa').fill('Asesoría Pérez & <Asociados>');
      await page.getByLabel('Color principal').fill('#2e5e3e');
      // A 1x1 PNG.
      const png = Buffer.from(
        'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==',
        'base64',
      );
      await page.getByLabel('Logotipo').setInputFiles({ name: 'logo.png', mimeType: 'image/png', buffer: png });
      await page.getByTestId('logo-preview').waitFor();
      // Reminders to clients who have not opened a document: twice at most, after five days.
      await page.getByLabel('Recordatorios a quien no abre un documento (como máximo; 0 = ninguno)').fill('2');
      await page.getByLabel('Recordar tras (días sin abrirlo)').fill('5');
      await page.getByRole('button', { name: 'Guardar' }).click();
      await page.getByText('Ajustes guardados.').waitFor();
      await page.getByTestId('company-name').getByText('Asesoría Pérez & <Asociados>').waitFor();
      await screenshot(page, '18-admin-settings');
      // A visitor's sign-in page is branded too.
      const visitor = await newContext(e.browser, { locale: 'es-ES' });
      const v = await watchedPage(visitor, []);
      await v.page.goto(`${e.url}/`);
      await v.page.getByTestId('company-name').getByText('Asesoría Pérez & <Asociados>').waitFor();
      await v.page.locator('img.brand-logo').waitFor();
      const brand = await v.page.evaluate(() =>
        getComputedStyle(document.documentElement).getPropertyValue('--brand').trim(),
      );
      assert.equal(brand, '#2e5e3e');
      assert.deepEqual(v.errors, []);
      await visitor.close();

      // A colour that does not read on white: said before saving and after, with the colour used instead.
      await page.getByLabel('Color principal').fill('#ffe066');
      await page.getByTestId('contrast-warning').waitFor();
      await page.getByRole('button', { name: 'Guardar' }).click();
      const said = page.getByText('Ajustes guardados. El color principal no se lee bien sobre blanco', {
        exact: false,
      });
      await said.waitFor();
      assert.match((await said.textContent()) ?? '', /azul de Carpeta \(#0b5cad\)/);
      assert.equal(
        await page.evaluate(() => getComputedStyle(document.documentElement).getPropertyValue('--brand').trim()),
        '#0b5cad',
        'what the notice says is what is shown',
      );
      await screenshot(page, '18b-admin-settings-low-contrast');
      // What was saved is what the page shows on a fresh load.
      await page.reload();
      const max = page.getByLabel('Recordatorios a quien no abre un documento (como máximo; 0 = ninguno)');
      await max.waitFor();
      assert.equal(await max.inputValue(), '2');
      assert.equal(await page.getByLabel('Recordar tras (días sin abrirlo)').inputValue(), '5');
    },
  );

  test('at phone size the admin listing does not scroll sideways', async () => {
    await page.setViewportSize({ width: 375, height: 812 });
    await page.goto(`${e.url}/admin/folders`);
    await page.getByTestId('listing').getByRole('link', { name: CLIENT, exact: true }).click();
    await page.getByRole('heading', { level: 1, name: CLIENT }).waitFor();
    assert.ok((await horizontalOverflow(page)) <= 0, 'no horizontal scroll');
    await screenshot(page, '17-admin-phone');
    await page.setViewportSize({ width: 1280, height: 800 });
  });

  test('no console errors and no script ran from data', () => {
    assert.equal(alerts, 0);
    assert.deepEqual(w.errors, []);
  });
});
