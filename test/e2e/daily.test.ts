/**
 * The site a gestoría uses every day (issue 15), in real Chromium against the local stack, from the
 * user's side: the site opened at 127.0.0.1 as well as localhost; a subfolder's "Compartida con" shows
 * access inherited from its parent; a client's look is recorded as a view, not a download; revoking a
 * link is confirmed, said and shown; the activity log speaks in names, with type-ahead filters and a
 * Spanish CSV; the trash says where each item was; errors are explained in Spanish; the small things
 * (accent-blind search, the email prefilled after an invitation, no "API ok" for clients, one PDF button
 * on a phone); uploads with speed and time left, a big batch as a summary, offline and cancel said
 * plainly; an older version made current again; a type icon per file and a thumbnail for images.
 */

import assert from 'node:assert/strict';
import { deflateSync } from 'node:zlib';
import { afterAll, beforeAll, describe, test } from '@jest/globals';
import type { BrowserContext, Page } from 'playwright-core';
import { uploadWith } from '../support/upload.ts';
import { horizontalOverflow, newContext, screenshot, type Watched, watchedPage } from './browser.ts';
import { downloadBytes, type E2E, failedResource, samplePdf, signInAs, startE2E } from './support.ts';

const PARENT = 'Cliente Martínez & Asociados';
const CHILD = 'Renta 2026';
const LONG = `Escrituras-${'notaría-compraventa-'.repeat(10)}final.pdf`;
const CLIENT_EMAIL = 'maria.nunez@example.com';
const CLIENT_NAME = 'María Núñez';
const CLIENT_PASSWORD = 'Cliente-Maria-2026!';
const LINK_EMAIL = 'asesor.externo@example.com';
const INVITED_EMAIL = 'jose.perez@example.com';
const INVITED_PASSWORD = 'Jose-Perez-2026-Clave!';
const pdf = samplePdf('Modelo 100');

let e: E2E;
let staffCtx: BrowserContext;
let staff: Page;
let staffEmail = '';
let adminToken = '';
let parentId = '';
let childId = '';
let clientId = '';
const fileIds: Record<string, string> = {};
const watched: Watched[] = [];
let alerts = 0;

// Expected failures, each one a test below causes on purpose.
const allow = [
  failedResource(400, '/api/folders'), // a name with "/"
  failedResource(404, '/api/share'), // a revoked link opened
  failedResource(400, '/_local/cognito'), // signing out revokes a refresh token
  failedResource(409, '/files'), // names already taken in a batch
  (text: string) => text.includes('ERR_INTERNET_DISCONNECTED'), // the line dropped during an upload
];

async function watch(ctx: BrowserContext, more: typeof allow = []): Promise<Page> {
  const w = await watchedPage(ctx, [...allow, ...more]);
  w.page.on('dialog', (d) => {
    alerts++;
    void d.dismiss();
  });
  watched.push(w);
  return w.page;
}

/** A valid PNG of `size`×`size` pixels in one colour (what a scanned ID or a photo would be). */
function png(size: number, rgb: [number, number, number]): Buffer {
  const crcTable = Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  const crc = (b: Buffer) => {
    let c = 0xffffffff;
    for (const x of b) c = crcTable[(c ^ x) & 0xff] ^ (c >>> 8);
    return (c ^ 0xffffffff) >>> 0;
  };
  const chunk = (type: string, data: Buffer) => {
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const sum = Buffer.alloc(4);
    sum.writeUInt32BE(crc(body));
    return Buffer.concat([len, body, sum]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(size, 0);
  ihdr.writeUInt32BE(size, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  const row = Buffer.concat([Buffer.from([0]), Buffer.alloc(size * 3).map((_, i) => rgb[i % 3])]);
  const raw = Buffer.concat(Array.from({ length: size }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(raw)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

async function api(method: string, path: string, body?: unknown) {
  const r = await e.t.api(method, path, { token: adminToken, body });
  assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

async function putFile(folderId: string, name: string, bytes: Buffer, contentType: string): Promise<string> {
  const start = await api('POST', `/folders/${folderId}/files`, { name, size: bytes.length, contentType });
  const parts = await uploadWith(start.upload, bytes, contentType);
  await api('POST', `/files/${start.file.id}/versions/${start.versionId}/complete`, parts ? { parts } : {});
  return start.file.id;
}

async function newVersion(fileId: string, bytes: Buffer, contentType: string) {
  const start = await api('POST', `/files/${fileId}/versions`, { size: bytes.length, contentType });
  await uploadWith(start.upload, bytes, contentType);
  await api('POST', `/files/${fileId}/versions/${start.versionId}/complete`, {});
}

async function mailTo(address: string, pattern: RegExp): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const m = (await e.t.mail()).filter((x) => x.to.includes(address) && pattern.test(x.text)).at(-1);
    if (m) return pattern.exec(m.text)![0];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${address} matching ${pattern}`);
}

/** The same site, opened by IP address instead of by name. */
const byIp = (url: string) => url.replace('//localhost:', '//127.0.0.1:');

beforeAll(async () => {
  e = await startE2E({ MULTIPART_THRESHOLD: String(5 * 1024 * 1024), MULTIPART_PART_SIZE: String(5 * 1024 * 1024) });
  assert.match(e.url, /\/\/localhost:\d+$/, 'the suite opens the site by name, and by IP below');
  adminToken = await e.t.adminToken();
  parentId = (await api('POST', '/folders', { parentId: 'root', name: PARENT })).id;
  childId = (await api('POST', '/folders', { parentId, name: CHILD })).id;
  fileIds.pdf = await putFile(childId, 'Modelo 100.pdf', pdf, 'application/pdf');
  fileIds.png = await putFile(childId, 'DNI escaneado.png', png(64, [200, 30, 30]), 'image/png');
  fileIds.xlsx = await putFile(childId, 'Balance.xlsx', Buffer.from('PK sheet'), 'application/vnd.ms-excel');
  fileIds.txt = await putFile(childId, 'Notas.txt', Buffer.from('notas\n'), 'text/plain');
  fileIds.zip = await putFile(childId, 'Facturas.zip', Buffer.from('PK zip'), 'application/zip');
  fileIds.dcm = await putFile(childId, 'Radiografía.dcm', Buffer.from('DICM'), 'application/dicom');
  fileIds.bin = await putFile(childId, 'Datos.bin', Buffer.from('bin'), 'application/octet-stream');
  fileIds.long = await putFile(childId, LONG, pdf, 'application/pdf');
  fileIds.old = await putFile(childId, 'Contrato.txt', Buffer.from('primera versión\n'), 'text/plain');
  await newVersion(fileIds.old, Buffer.from('segunda versión, la buena\n'), 'text/plain');

  // The client: a web user with a grant on the parent folder only (the subfolder is reached through it).
  const client = await e.t.user('webuser', CLIENT_EMAIL);
  clientId = client.id;
  await e.t.api('PATCH', `/webusers/${clientId}`, { token: adminToken, body: { name: CLIENT_NAME } });
  await api('PUT', `/folders/${parentId}/grants/${clientId}`, {});
  const { setPassword } = await import('../../functions/aws/cognito.ts');
  await setPassword(CLIENT_EMAIL, CLIENT_PASSWORD);

  const s = await e.t.user('staff');
  staffEmail = s.email;
  staffCtx = await newContext(e.browser, { locale: 'es-ES', viewport: { width: 1366, height: 800 } });
  staff = await watch(staffCtx);
  await signInAs(staff, e.url, s.email, s.password);
  await staff.waitForURL(/\/admin\/folders$/);
});

afterAll(async () => {
  await staffCtx?.close().catch(() => undefined);
  await e?.stop();
});

describe('the site a gestoría uses every day', () => {
  test('1. opened at 127.0.0.1 instead of localhost, sign-in, the portal and a share link all work', async () => {
    const ctx = await newContext(e.browser, { locale: 'es-ES' });
    try {
      const page = await watch(ctx);
      const ip = byIp(e.url);
      await signInAs(page, ip, CLIENT_EMAIL, CLIENT_PASSWORD);
      await page.waitForURL(`${ip}/portal`);
      await page.getByTestId('items').getByRole('link', { name: PARENT }).click();
      await page.getByRole('heading', { level: 1, name: PARENT }).waitFor();
      await page.getByTestId('items').getByRole('link', { name: CHILD }).click();
      await page.getByText('Modelo 100.pdf', { exact: true }).waitFor();
      assert.equal(await page.getByText('No hay conexión con el servidor', { exact: false }).count(), 0);
      await screenshot(page, 'daily-01-portal-at-127.0.0.1');

      // A share link, opened by IP on a phone-sized screen.
      await api('POST', `/folders/${childId}/send`, { email: 'visita.ip@example.com', language: 'es' });
      const link = await mailTo('visita.ip@example.com', /https?:\/\/\S+\/s#\S+/);
      const phone = await newContext(e.browser, { locale: 'es-ES', viewport: { width: 375, height: 812 } });
      try {
        const shared = await watch(phone);
        await shared.goto(byIp(link));
        await shared.getByRole('heading', { level: 1, name: CHILD }).waitFor();
        await shared.getByText('Modelo 100.pdf', { exact: true }).waitFor();
        assert.ok((await horizontalOverflow(shared)) <= 0, 'no sideways scroll at 375 px');
        await screenshot(shared, 'daily-01-share-link-at-127.0.0.1-phone');
      } finally {
        await phone.close();
      }
    } finally {
      await ctx.close();
    }
  });

  test('3. a subfolder\'s "Compartida con" shows the access its parent gives, and from which folder', async () => {
    await staff.goto(`${e.url}/admin/folders/${childId}`);
    await staff.getByRole('heading', { level: 1, name: CHILD }).waitFor();
    const panel = staff.getByTestId('shared-with');
    const grant = panel.getByTestId('grant').filter({ hasText: CLIENT_EMAIL });
    await grant.waitFor();
    assert.equal(await grant.getAttribute('data-inherited'), 'yes');
    await grant.getByText(`heredado de «${PARENT}»`).waitFor();
    assert.equal(await panel.getByText('No está compartida con nadie.').count(), 0);
    await screenshot(staff, 'daily-03-shared-with-inherited');
  });

  test('4. a client\'s "Ver" is recorded as a view ("Vista"), not a download, in receipts and the log', async () => {
    const ctx = await newContext(e.browser, { locale: 'es-ES' });
    try {
      const client = await watch(ctx);
      await signInAs(client, e.url, CLIENT_EMAIL, CLIENT_PASSWORD);
      await client.goto(`${e.url}/portal/f/${childId}`);
      await client.getByRole('button', { name: 'Ver: Modelo 100.pdf' }).click();
      await client.getByTestId('preview-target').waitFor();
      await client.getByRole('dialog').getByRole('button', { name: 'Cerrar' }).click();
    } finally {
      await ctx.close();
    }
    await staff.goto(`${e.url}/admin/files/${fileIds.pdf}`);
    const receipt = staff.getByTestId('receipt').filter({ hasText: CLIENT_EMAIL });
    await receipt.getByText('visto 1 veces', { exact: false }).waitFor();
    await receipt.getByText('no lo ha descargado', { exact: false }).waitFor();
    await screenshot(staff, 'daily-04-receipts-viewed-not-downloaded');

    await staff.goto(`${e.url}/admin/activity?fileId=${fileIds.pdf}`);
    const log = staff.getByTestId('activity');
    await log.getByRole('cell', { name: 'Vista', exact: true }).first().waitFor();
    assert.equal(await log.getByRole('cell', { name: 'Descarga', exact: true }).count(), 0);
    await screenshot(staff, 'daily-04-activity-viewed');
  });

  test('5. revoking a link asks first, says it is done, and every list shows it revoked at once', async () => {
    await api('POST', `/folders/${parentId}/send`, { email: CLIENT_EMAIL, language: 'es' });
    await api('POST', `/folders/${childId}/send`, { email: LINK_EMAIL, language: 'es' });
    const link = await mailTo(LINK_EMAIL, /https?:\/\/\S+\/s#\S+/);

    // From the folder's panel.
    await staff.goto(`${e.url}/admin/folders/${childId}`);
    const panel = staff.getByTestId('shared-with');
    const row = panel.getByTestId('link').filter({ hasText: LINK_EMAIL });
    await row.getByRole('button', { name: `Revocar: ${LINK_EMAIL}` }).click();
    const dlg = staff.getByRole('dialog');
    await dlg.getByRole('heading', { name: 'Revocar el enlace' }).waitFor();
    await screenshot(staff, 'daily-05-revoke-confirm');
    await dlg.getByRole('button', { name: 'Revocar', exact: true }).click();
    await staff.getByText(`Enlace a ${LINK_EMAIL} revocado: ya no abre nada.`).waitFor();
    await row.waitFor({ state: 'detached' });
    await screenshot(staff, 'daily-05-revoked-notice');
    const ctx = await newContext(e.browser, { locale: 'es-ES' });
    try {
      const holder = await watch(ctx);
      await holder.goto(link);
      await holder.getByRole('heading', { level: 1 }).waitFor();
      assert.equal(await holder.getByText('Modelo 100.pdf').count(), 0, 'the revoked link opens nothing');
    } finally {
      await ctx.close();
    }

    // From the web user's page: the row turns "Revocado" in place, without a reload.
    await staff.goto(`${e.url}/admin/webusers/${clientId}`);
    const mine = staff.getByTestId('user-link').filter({ hasText: CLIENT_EMAIL });
    await mine.getByRole('button', { name: /Revocar/ }).click();
    await staff.getByRole('dialog').getByRole('button', { name: 'Revocar', exact: true }).click();
    await staff.getByText(`Enlace a ${CLIENT_EMAIL} revocado: ya no abre nada.`).waitFor();
    await staff.locator('[data-testid="user-link"][data-status="revoked"]').first().waitFor();
    await mine.getByText('Revocado', { exact: false }).waitFor();
    assert.equal(await mine.getByRole('button', { name: /Revocar/ }).count(), 0);
    await screenshot(staff, 'daily-05-webuser-link-revoked');
  });

  test('6. the activity log names people and the unknown, filters with pickers, exports a Spanish CSV', async () => {
    // A visit with a link that does not exist: logged, and shown in Spanish.
    const ctx = await newContext(e.browser, { locale: 'es-ES' });
    try {
      const stranger = await watch(ctx);
      await stranger.goto(`${e.url}/s#not-a-real-token-0000000000000000000000`);
      await stranger.getByRole('heading', { level: 1 }).waitFor();
    } finally {
      await ctx.close();
    }
    await staff.goto(`${e.url}/admin/activity`);
    const log = staff.getByTestId('activity');
    await log.waitFor();
    const text = (await log.textContent()) ?? '';
    assert.doesNotMatch(text, /[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-/, 'no raw ids');
    assert.doesNotMatch(text, /anonymous|unknown/i, 'no English words for the unknown');
    await log.getByText('Visitante sin identificar').first().waitFor();
    await log.getByText(staffEmail, { exact: false }).first().waitFor();
    await screenshot(staff, 'daily-06-activity-names');

    // People by name without accents; folders by name, shown with their path.
    await staff.getByTestId('pick-person').locator('input').fill('maria');
    await staff.getByRole('option', { name: new RegExp(CLIENT_NAME) }).click();
    await staff.getByTestId('pick-folder').locator('input').fill('renta');
    const folderOption = staff.getByRole('option', { name: new RegExp(CHILD) });
    assert.ok(((await folderOption.textContent()) ?? '').includes(PARENT), 'the folder with its path');
    await folderOption.click();
    await screenshot(staff, 'daily-06-activity-pickers');
    await staff.getByRole('button', { name: 'Filtrar' }).click();
    await staff.waitForURL(
      new RegExp(`actorId=${clientId}.*folderId=${childId}|folderId=${childId}.*actorId=${clientId}`),
    );
    await log.getByRole('cell', { name: 'Vista', exact: true }).first().waitFor();

    const [dl] = await Promise.all([
      staff.waitForEvent('download'),
      staff.getByRole('button', { name: 'Exportar (CSV)' }).click(),
    ]);
    const csv = (await downloadBytes(dl)).toString('utf8');
    assert.ok(csv.startsWith('\uFEFF'), 'a BOM, so Excel reads UTF-8');
    const [header, ...rows] = csv.slice(1).split('\r\n').filter(Boolean);
    assert.ok(header.includes(';'), `Spanish Excel splits at ";": ${header}`);
    assert.match(header, /Fecha|Cuándo/);
    assert.ok(
      rows.some((r) => r.includes('Vista') && r.includes(CLIENT_EMAIL)),
      rows.join('\n'),
    );
  });

  test('7. the trash says which folder each item was in, with its whole path', async () => {
    await api('DELETE', `/files/${fileIds.bin}`);
    await staff.goto(`${e.url}/admin/trash`);
    const row = staff.getByTestId('trash-row').filter({ hasText: 'Datos.bin' });
    const from = row.getByTestId('trash-from');
    await from.waitFor();
    assert.match((await from.textContent()) ?? '', new RegExp(`${PARENT} / ${CHILD}$`));
    await screenshot(staff, 'daily-07-trash-paths');
  });

  test('8. a name with "/" is explained in Spanish, from the rule; long names stay in their boxes', async () => {
    await staff.goto(`${e.url}/admin/folders/${childId}`);
    await staff.getByRole('button', { name: 'Nueva carpeta' }).click();
    const dlg = staff.getByRole('dialog');
    await dlg.getByLabel('Nombre').fill('2026/Renta');
    await dlg.getByRole('button', { name: 'Nueva carpeta' }).click();
    const alert = dlg.getByRole('alert');
    await alert.waitFor();
    const said = (await alert.textContent()) ?? '';
    assert.match(said, /no puede contener «\/»/);
    assert.doesNotMatch(said, /name:|cannot|Revisa/);
    await screenshot(staff, 'daily-08-slash-in-name');
    await dlg.getByRole('button', { name: 'Cancelar' }).click();

    const fileRow = staff.getByTestId('file-row').filter({ hasText: 'notaría-compraventa' });
    const inside = await fileRow.evaluate((tr) => {
      const table = tr.closest('table')!.getBoundingClientRect();
      return [...tr.querySelectorAll('td')].every((td) => td.getBoundingClientRect().right <= table.right + 1);
    });
    assert.ok(inside, 'the long name wraps inside the table');
    await staff.setViewportSize({ width: 375, height: 812 });
    try {
      assert.ok((await horizontalOverflow(staff)) <= 0, 'no sideways scroll at 375 px with a long name');
      await screenshot(staff, 'daily-08-long-name-phone');
    } finally {
      await staff.setViewportSize({ width: 1366, height: 800 });
    }
  });

  test('9. accent-blind user search, the email filled in after an invitation, no "API ok" for clients', async () => {
    await staff.goto(`${e.url}/admin/webusers`);
    await staff.getByLabel('Buscar por nombre o email').fill('maria nunez');
    await staff.getByTestId('webusers').getByText(CLIENT_NAME).waitFor();
    await screenshot(staff, 'daily-09-search-without-accents');

    await api('POST', '/webusers', { email: INVITED_EMAIL, name: 'José Pérez', language: 'es', folderIds: [childId] });
    const invite = await mailTo(INVITED_EMAIL, /https?:\/\/\S+\/invite#\S+/);
    const ctx = await newContext(e.browser, { locale: 'es-ES' });
    try {
      const page = await watch(ctx);
      await page.goto(invite);
      await page.getByLabel('Contraseña nueva').fill(INVITED_PASSWORD);
      await page.getByLabel('Repita la contraseña').fill(INVITED_PASSWORD);
      await page.getByRole('button', { name: 'Crear la contraseña' }).click();
      await page.getByRole('link', { name: 'Ir a entrar' }).click();
      const email = page.getByLabel('Email');
      await email.waitFor();
      assert.equal(await email.inputValue(), INVITED_EMAIL);
      await screenshot(page, 'daily-09-signin-prefilled');
      await page.getByLabel('Contraseña').fill(INVITED_PASSWORD);
      await page.getByRole('button', { name: 'Entrar' }).click();
      await page.waitForURL(/\/portal$/);
      await page.getByTestId('items').getByRole('link', { name: CHILD }).waitFor();
      assert.equal(await page.getByText('API ok').count(), 0, 'clients see no "API ok"');
    } finally {
      await ctx.close();
    }
  });

  test('9. on a phone, a PDF preview offers one button to open it, not two that do the same', async () => {
    const ctx = await newContext(e.browser, {
      locale: 'es-ES',
      viewport: { width: 375, height: 812 },
      isMobile: true,
      hasTouch: true,
    });
    try {
      const client = await watch(ctx);
      await signInAs(client, e.url, CLIENT_EMAIL, CLIENT_PASSWORD);
      await client.goto(`${e.url}/portal/f/${childId}`);
      await client.getByRole('button', { name: 'Ver: Modelo 100.pdf' }).click();
      const dlg = client.getByRole('dialog');
      await dlg.getByRole('link', { name: 'Abrir el PDF' }).waitFor();
      assert.equal(await dlg.getByRole('link', { name: 'Abrir en otra pestaña' }).count(), 0);
      assert.equal(await dlg.getByRole('link').count(), 1);
      await screenshot(client, 'daily-09-pdf-preview-phone');
    } finally {
      await ctx.close();
    }
  });

  test('10. an older version is made current again (recorded); the client sees only the current one', async () => {
    await staff.goto(`${e.url}/admin/files/${fileIds.old}`);
    const versions = staff.getByTestId('versions');
    await versions.locator('tbody tr').nth(1).waitFor();
    const older = versions.locator('[data-testid="version-row"][data-current="no"]');
    await older.getByRole('button', { name: /Hacer actual la versión del/ }).click();
    await staff.getByRole('dialog').getByRole('button', { name: 'Hacer actual' }).click();
    await staff.getByText('vuelve a ser la actual', { exact: false }).waitFor();
    await versions.locator('tbody tr').nth(2).waitFor();
    assert.equal(await versions.locator('tbody tr').count(), 3, 'a new version item, the old ones kept');
    await screenshot(staff, 'daily-10-version-made-current');

    await staff.goto(`${e.url}/admin/activity?fileId=${fileIds.old}`);
    await staff.getByTestId('activity').getByText('Versión anterior recuperada').first().waitFor();

    const ctx = await newContext(e.browser, { locale: 'es-ES' });
    try {
      const client = await watch(ctx);
      await signInAs(client, e.url, CLIENT_EMAIL, CLIENT_PASSWORD);
      await client.goto(`${e.url}/portal/f/${childId}`);
      const [dl] = await Promise.all([
        client.waitForEvent('download'),
        client.getByRole('button', { name: 'Descargar: Contrato.txt' }).click(),
      ]);
      assert.equal((await downloadBytes(dl)).toString('utf8'), 'primera versión\n');
      assert.equal(await client.getByText('Contrato.txt', { exact: true }).count(), 1, 'one file, no versions');
    } finally {
      await ctx.close();
    }
  });

  test('10. uploads show speed and time left; offline and cancel say what happened', async () => {
    await staff.goto(`${e.url}/admin/folders/${childId}`);
    await staff.getByRole('heading', { level: 1, name: CHILD }).waitFor();
    const cdp = await staffCtx.newCDPSession(staff);
    // A slow line (about 1 MB/s up), so that a 4 MB upload takes a few seconds.
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 20,
      downloadThroughput: -1,
      uploadThroughput: 1024 * 1024,
    });
    try {
      const big = Buffer.alloc(4 * 1024 * 1024, 7);
      await staff
        .getByTestId('file-input')
        .setInputFiles([{ name: 'Escaneo.pdf', mimeType: 'application/pdf', buffer: big }]);
      const speed = staff.getByTestId('upload-speed');
      await speed.getByText(/\/s · quedan \d+/).waitFor();
      await screenshot(staff, 'daily-10-upload-speed');

      await staff.locator('[data-testid="upload-row"][data-state="done"]').waitFor();
      await staff.getByRole('button', { name: 'Limpiar la lista' }).click();
    } finally {
      await cdp.send('Network.emulateNetworkConditions', {
        offline: false,
        latency: 0,
        downloadThroughput: -1,
        uploadThroughput: -1,
      });
      await cdp.detach();
    }

    // The line drops while the file goes up: the browser had handed over every byte, none arrived.
    const offline = (url: URL) => !url.href.startsWith(e.url);
    await staff.route(offline, (route) => route.abort('internetdisconnected'));
    try {
      await staff
        .getByTestId('file-input')
        .setInputFiles([
          { name: 'Sin línea.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(2 * 1024 * 1024, 3) },
        ]);
      const row = staff.locator('[data-testid="upload-row"][data-state="failed"]');
      await row.waitFor();
      const said = (await row.textContent()) ?? '';
      assert.match(said, /no se ha subido \(llegaron 0 B de 2(,0)? MB\)/);
      assert.doesNotMatch(said, /2(,0)? MB \/ 2(,0)? MB/, 'no full bar for what did not arrive');
      await screenshot(staff, 'daily-10-upload-offline');
      await staff.getByRole('button', { name: 'Limpiar la lista' }).click();
    } finally {
      await staff.unroute(offline);
    }

    // Cancelled: said as cancelled, not "0 de 0".
    await staff
      .getByTestId('file-input')
      .setInputFiles([
        { name: 'Cancelado.pdf', mimeType: 'application/pdf', buffer: Buffer.alloc(6 * 1024 * 1024, 1) },
      ]);
    await staff.getByRole('button', { name: 'Cancelar: Cancelado.pdf' }).click();
    const summary = staff.getByTestId('upload-summary');
    await summary.getByText('1 cancelados', { exact: false }).waitFor();
    assert.doesNotMatch((await summary.textContent()) ?? '', /0 de 0/);
    await screenshot(staff, 'daily-10-upload-cancelled');
    await staff.getByRole('button', { name: 'Limpiar la lista' }).click();
  });

  test('10. a big batch is a summary with the failures listed, not a panel as long as the list', async () => {
    await staff.goto(`${e.url}/admin/folders/${childId}`);
    const files = Array.from({ length: 60 }, (_, i) => ({
      name: `Factura ${String(i + 1).padStart(3, '0')}.txt`,
      mimeType: 'text/plain',
      buffer: Buffer.from(`factura ${i + 1}\n`),
    }));
    // Two names already taken here: those two need the user, and are the ones listed.
    files.push({ name: 'Notas.txt', mimeType: 'text/plain', buffer: Buffer.from('otra\n') });
    files.push({ name: 'Balance.xlsx', mimeType: 'application/vnd.ms-excel', buffer: Buffer.from('otra') });
    await staff.getByTestId('file-input').setInputFiles(files);
    const summary = staff.getByTestId('upload-summary');
    await summary.getByText('60 de 62 archivos subidos · 2 con error').waitFor({ timeout: 60_000 });
    const problems = staff.getByTestId('upload-problems').getByTestId('upload-row');
    assert.deepEqual((await problems.locator('.upload-name').allTextContents()).sort(), ['Balance.xlsx', 'Notas.txt']);
    const height = await staff.getByTestId('uploads').evaluate((el) => el.getBoundingClientRect().height);
    assert.ok(height < 900, `the panel stays short (${height} px for 62 files)`);
    await screenshot(staff, 'daily-10-upload-batch-summary');
    await staff.getByRole('button', { name: 'Ver los 62 archivos' }).click();
    assert.equal(await staff.getByTestId('upload-all').getByTestId('upload-row').count(), 62);
    for (const name of ['Notas.txt', 'Balance.xlsx'])
      await staff
        .getByRole('button', { name: `Cancelar: ${name}` })
        .first()
        .click();
    await staff.getByRole('button', { name: 'Limpiar la lista' }).click();
  });

  test('11. each file has its type icon, and images a small thumbnail loaded lazily', async () => {
    await staff.goto(`${e.url}/admin/folders/${childId}`);
    const kindOf = async (name: string) =>
      staff
        .getByTestId('file-row')
        .filter({ has: staff.getByRole('link', { name, exact: true }) })
        .locator('.ficon')
        .getAttribute('data-kind');
    assert.equal(await kindOf('Modelo 100.pdf'), 'pdf');
    assert.equal(await kindOf('Balance.xlsx'), 'sheet');
    assert.equal(await kindOf('Notas.txt'), 'text');
    assert.equal(await kindOf('Facturas.zip'), 'archive');
    assert.equal(await kindOf('Radiografía.dcm'), 'dicom');
    const thumb = staff
      .getByTestId('file-row')
      .filter({ has: staff.getByRole('link', { name: 'DNI escaneado.png', exact: true }) })
      .getByTestId('thumb');
    await thumb.waitFor();
    assert.equal(await thumb.getAttribute('loading'), 'lazy');
    await staff.waitForFunction(
      (el) => (el as HTMLImageElement).complete && (el as HTMLImageElement).naturalWidth === 64,
      await thumb.elementHandle(),
    );
    await screenshot(staff, 'daily-11-file-icons-staff');

    const ctx = await newContext(e.browser, { locale: 'es-ES', viewport: { width: 375, height: 812 } });
    try {
      const client = await watch(ctx);
      await signInAs(client, e.url, CLIENT_EMAIL, CLIENT_PASSWORD);
      await client.goto(`${e.url}/portal/f/${childId}`);
      await client.getByTestId('thumb').waitFor();
      assert.ok((await client.locator('.ficon[data-kind="pdf"]').count()) >= 1);
      assert.ok((await horizontalOverflow(client)) <= 0, 'no sideways scroll at 375 px');
      await screenshot(client, 'daily-11-file-icons-portal-phone');
    } finally {
      await ctx.close();
    }
  });

  test('no console errors anywhere, and no alert() ran', () => {
    assert.deepEqual(
      watched.flatMap((w) => w.errors),
      [],
    );
    assert.equal(alerts, 0);
  });
});
