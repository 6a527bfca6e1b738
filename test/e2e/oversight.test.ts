/**
 * Oversight screens in real Chromium against the local stack: staff accounts
 * in Settings (the admin turns on two-step verification first, invites a
 * colleague, who accepts the invitation from the mail, signs in and sees the
 * folder browser but no Settings; the admin cannot demote themselves, and
 * disabling the colleague puts them out on their next request), the access
 * report of a shared folder ("Quién ve qué": a live grant and a revoked link,
 * marked, dates in the user's locale), and a web user's GDPR export.
 */

import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from '@jest/globals';
import type { BrowserContext, Page } from 'playwright-core';
import { newContext, screenshot, type Watched, watchedPage } from './browser.ts';
import { downloadBytes, type E2E, enrolHere, failedResource, signInAs, startE2E } from './support.ts';

const FOLDER = 'Cliente Supervisión & <Cía>';
const CLIENT_EMAIL = 'cliente.rgpd@example.com';
const CLIENT_NAME = 'Cliente RGPD';
const REVOKED_EMAIL = 'revocado@example.com';
const COLLEAGUE_EMAIL = 'colaboradora@example.com';
const COLLEAGUE_NAME = 'Colaboradora Nueva';
const COLLEAGUE_PASSWORD = 'Despacho-2026-Segura!';

let e: E2E;
let ctx: BrowserContext;
let page: Page;
let alerts = 0;
const watched: Watched[] = [];
let folderId = '';
let revokedLinkExpiresAt = '';

async function watch(c: BrowserContext, allow: Array<(text: string, url: string) => boolean>): Promise<Watched> {
  const w = await watchedPage(c, [...allow]);
  w.page.on('dialog', (d) => {
    alerts++;
    void d.dismiss();
  });
  watched.push(w);
  return w;
}

async function mailTo(address: string, pattern: RegExp): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const all = (await (await fetch(`${e.url}/_local/mail`)).json()) as Array<{ to: string[]; text: string }>;
    const m = all.find((x) => x.to.includes(address) && pattern.test(x.text));
    if (m) return pattern.exec(m.text)![0];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${address} matching ${pattern}`);
}

beforeAll(async () => {
  // Disabling staff takes effect within STAFF_STATUS_CACHE_SECONDS: 0 here, so "on the next request".
  e = await startE2E({ STAFF_STATUS_CACHE_SECONDS: '0' });

  // The data the reports show, made through the API by another staff member:
  // a client folder shared with a web user (live grant) and a link sent by email, then revoked.
  const other = await e.t.user('staff', 'seed.staff@example.com');
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await e.t.api(method, path, { token: other.token, body });
    assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  const folder = await call('POST', '/folders', { parentId: 'root', name: FOLDER });
  folderId = folder.id ?? folder.folder?.id;
  await call('POST', '/webusers', { email: CLIENT_EMAIL, name: CLIENT_NAME, language: 'es', folderIds: [folderId] });
  const sent = await call('POST', `/folders/${folderId}/send`, { email: REVOKED_EMAIL, name: 'Ana Revocada' });
  revokedLinkExpiresAt = sent.link.expiresAt;
  await call('DELETE', `/links/${sent.link.id}`);

  ctx = await newContext(e.browser, { locale: 'es-ES' });
  // 403 /api/settings: mfa_required until the admin turns on two-step verification;
  // 409 /api/staff: the address already taken, and the admin trying to demote themselves (both on purpose).
  page = (
    await watch(ctx, [
      failedResource(403, '/api/settings'),
      failedResource(409, '/api/staff'),
      failedResource(400, '/_local/cognito'),
    ])
  ).page;
  await signInAs(page, e.url, e.t.stack.admin.email, e.t.stack.admin.password);
  await page.waitForURL(/\/admin\/folders$/);
});

afterAll(async () => {
  await ctx?.close().catch(() => undefined);
  await e?.stop();
});

const staffRow = (p: Page, email: string) =>
  p.getByTestId('staff-row').filter({ has: p.getByRole('cell', { name: email, exact: true }) });

async function openSettings(p: Page) {
  await p.getByRole('navigation', { name: 'Menú principal' }).getByRole('link', { name: 'Ajustes' }).click();
  await p.getByRole('heading', { level: 1, name: 'Ajustes' }).waitFor();
}

describe('oversight: staff accounts, who can see what, the GDPR export', () => {
  test(
    'settings: after turning on two-step verification, ' + 'the admin invites a colleague, listed as invited',
    async () => {
      await openSettings(page);
      await page.getByTestId('mfa-required').waitFor();
      await enrolHere(page, e.t, e.t.stack.admin);
      await page.getByRole('heading', { level: 1, name: 'Ajustes' }).waitFor();
      await page.getByTestId('mfa-required').waitFor({ state: 'detached' });

      const section = page.getByTestId('staff-accounts');
      await section.getByRole('heading', { level: 2, name: 'Cuentas del personal' }).waitFor();
      await staffRow(page, e.t.stack.admin.email).getByText('(usted)').waitFor();

      const form = page.getByTestId('staff-invite');
      await form.getByLabel('Email').fill(COLLEAGUE_EMAIL);
      await form.getByLabel('Nombre', { exact: true }).fill(COLLEAGUE_NAME);
      await form.getByLabel('Rol').selectOption({ label: 'Personal' });
      await form.getByRole('button', { name: 'Invitar' }).click();
      await section.getByText(`Invitación enviada a ${COLLEAGUE_EMAIL}.`).waitFor();
      const row = staffRow(page, COLLEAGUE_EMAIL);
      await row.getByText('Invitado', { exact: true }).waitFor();
      await row.getByRole('cell', { name: 'Personal', exact: true }).waitFor();
      assert.equal(await form.getByLabel('Email').inputValue(), '', 'the form is ready for the next person');

      // The same address again: 409 email_taken, said in words.
      await form.getByLabel('Email').fill(COLLEAGUE_EMAIL);
      await form.getByLabel('Nombre', { exact: true }).fill('Otra vez');
      await form.getByRole('button', { name: 'Invitar' }).click();
      await form.getByRole('alert').getByText('Ya hay una cuenta con ese email.').waitFor();
      await form.getByLabel('Email').fill('');
      await form.getByLabel('Nombre', { exact: true }).fill('');

      // Nobody can demote or disable themselves: their own row offers neither, and says why.
      const mine = staffRow(page, e.t.stack.admin.email);
      await mine.getByText('Es su cuenta: su rol y su acceso los cambia otro administrador.').waitFor();
      assert.equal(await mine.getByRole('button').count(), 0, 'no "Desactivar" nor "Quitar administrador" on oneself');
      await mine.getByRole('cell', { name: 'Administrador', exact: true }).waitFor();

      // Make and unmake admin, from the keyboard.
      await row.getByRole('button', { name: `Hacer administrador a ${COLLEAGUE_EMAIL}` }).focus();
      await page.keyboard.press('Enter');
      await section.getByText(`${COLLEAGUE_EMAIL} es ahora administrador.`).waitFor();
      await row.getByRole('cell', { name: 'Administrador', exact: true }).waitFor();
      await row.getByRole('button', { name: `Quitar administrador a ${COLLEAGUE_EMAIL}` }).focus();
      await page.keyboard.press('Enter');
      await section.getByText(`${COLLEAGUE_EMAIL} ya no es administrador.`).waitFor();
      await row.getByRole('cell', { name: 'Personal', exact: true }).waitFor();
      await screenshot(page, '40-oversight-staff-accounts');
    },
  );

  let colleague: Page;
  test(
    'the colleague opens the invitation from the mail, ' + 'sets a password, signs in: folders, but no Settings',
    async () => {
      const inviteUrl = await mailTo(COLLEAGUE_EMAIL, /https?:\/\/\S+\/join#[A-Za-z0-9_-]+/);
      const c = await newContext(e.browser, { locale: 'es-ES' });
      // After being disabled (next test): the API answers 401 and Cognito refuses the refresh.
      colleague = (await watch(c, [failedResource(401, '/api/'), failedResource(400, '/_local/cognito')])).page;
      await colleague.goto(inviteUrl);
      await colleague.getByRole('heading', { level: 1, name: 'Cree su contraseña' }).waitFor();
      await colleague.getByLabel('Contraseña nueva').fill(COLLEAGUE_PASSWORD);
      await colleague.getByLabel('Repita la contraseña').fill(COLLEAGUE_PASSWORD);
      await colleague.getByRole('button', { name: 'Crear la contraseña' }).click();
      await colleague.getByTestId('invite-done').waitFor();
      await signInAs(colleague, e.url, COLLEAGUE_EMAIL, COLLEAGUE_PASSWORD);
      await colleague.waitForURL(/\/admin\/folders$/);
      await colleague.getByTestId('listing').getByRole('link', { name: FOLDER, exact: true }).waitFor();
      const nav = await colleague
        .getByRole('navigation', { name: 'Menú principal' })
        .getByRole('link')
        .allTextContents();
      assert.deepEqual(nav, ['Carpetas', 'Usuarios web', 'Repartir', 'Pendientes', 'Actividad', 'Papelera']);
      await screenshot(colleague, '41-oversight-colleague-folders');

      // The admin sees the account active now.
      await page.getByRole('navigation', { name: 'Menú principal' }).getByRole('link', { name: 'Carpetas' }).click();
      await openSettings(page);
      await staffRow(page, COLLEAGUE_EMAIL).getByText('Activo', { exact: true }).waitFor();
    },
  );

  test("disabled from the admin's Settings, the colleague is out on their next request; enabled again", async () => {
    const section = page.getByTestId('staff-accounts');
    const row = staffRow(page, COLLEAGUE_EMAIL);
    await row.getByRole('button', { name: `Desactivar a ${COLLEAGUE_EMAIL}` }).click();
    const dlg = page.getByRole('dialog');
    await dlg.getByText(`¿Desactivar a ${COLLEAGUE_EMAIL}?`, { exact: false }).waitFor();
    await screenshot(page, '42-oversight-disable-confirm');
    await dlg.getByRole('button', { name: 'Desactivar', exact: true }).click();
    await dlg.waitFor({ state: 'detached' });
    await section.getByText(`${COLLEAGUE_EMAIL} ya no puede entrar.`).waitFor();
    await row.getByText('Desactivado', { exact: true }).waitFor();
    assert.match((await row.getByText('Desactivado', { exact: true }).getAttribute('class')) ?? '', /badge-off/);

    await colleague.reload();
    await colleague.getByRole('heading', { level: 1, name: 'Entrar' }).waitFor();
    await colleague.context().close();

    await row.getByRole('button', { name: `Activar a ${COLLEAGUE_EMAIL}` }).click();
    await section.getByText(`${COLLEAGUE_EMAIL} puede volver a entrar.`).waitFor();
    await row.getByText('Activo', { exact: true }).waitFor();
  });

  test('"Quién ve qué" from the folder menu: the live grant and the revoked link, marked; in English too', async () => {
    await page.getByRole('navigation', { name: 'Menú principal' }).getByRole('link', { name: 'Carpetas' }).click();
    const folderRow = page
      .getByTestId('folder-row')
      .filter({ has: page.getByRole('link', { name: FOLDER, exact: true }) });
    await folderRow.getByRole('button', { name: `Más acciones para «${FOLDER}»` }).click();
    await page.getByRole('menu').getByRole('menuitem', { name: 'Quién ve qué' }).click();
    await page.getByRole('heading', { level: 1, name: 'Quién ve qué' }).waitFor();
    await page.getByText(`Quién puede ver «${FOLDER}» y sus subcarpetas`, { exact: false }).waitFor();

    const table = page.getByTestId('access-report');
    const grant = table.locator('[data-testid="access-row"][data-kind="grant"]');
    const link = table.locator('[data-testid="access-row"][data-kind="link"]');
    await grant.waitFor();
    assert.equal(await grant.count(), 1);
    assert.equal(await link.count(), 1);
    assert.equal(await grant.getAttribute('data-status'), 'live');
    assert.match(
      (await grant.textContent()) ?? '',
      new RegExp(`Con acceso.*Usuario web.*${CLIENT_NAME} \\(${CLIENT_EMAIL}\\)`),
    );
    assert.equal(await grant.locator('.badge-off').count(), 0);
    // The revoked link stays in the table, marked.
    assert.equal(await link.getAttribute('data-status'), 'revoked');
    assert.match(
      (await link.textContent()) ?? '',
      new RegExp(`Revocado.*Enlace por email.*Ana Revocada \\(${REVOKED_EMAIL}\\)`),
    );
    await link.locator('.badge-off').getByText('Revocado').waitFor();
    await page.getByTestId('access-summary').getByText('1 con acceso, 1 sin acceso').waitFor();
    // Dates in the user's locale.
    const expected = await page.evaluate(
      (iso) => new Intl.DateTimeFormat('es-ES', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)),
      revokedLinkExpiresAt,
    );
    await link.getByRole('cell', { name: expected, exact: true }).waitFor();
    await screenshot(page, '43-oversight-access-report');

    await page.getByRole('group', { name: 'Idioma' }).getByRole('button', { name: 'EN' }).click();
    await page.getByRole('heading', { level: 1, name: 'Who can see what' }).waitFor();
    await link.getByText('Revoked', { exact: true }).waitFor();
    await grant.getByText('Has access', { exact: true }).waitFor();
    const expectedEn = await page.evaluate(
      (iso) => new Intl.DateTimeFormat('en-GB', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)),
      revokedLinkExpiresAt,
    );
    await link.getByRole('cell', { name: expectedEn, exact: true }).waitFor();
    await screenshot(page, '44-oversight-access-report-en');
    await page.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'ES' }).click();
    await page.getByRole('heading', { level: 1, name: 'Quién ve qué' }).waitFor();

    // The same report from the folder's "Shared with" panel.
    await page.getByRole('link', { name: `← ${FOLDER}` }).click();
    await page.getByRole('heading', { level: 1, name: FOLDER }).waitFor();
    await page
      .getByTestId('shared-with')
      .getByRole('link', { name: /^Quién ve qué: el informe completo/ })
      .click();
    await page.getByRole('heading', { level: 1, name: 'Quién ve qué' }).waitFor();
    await table.locator('[data-testid="access-row"][data-status="revoked"]').waitFor();
  });

  test("a web user's page: who can see what, and the GDPR export saved as a JSON file with their email", async () => {
    await page.getByRole('navigation', { name: 'Menú principal' }).getByRole('link', { name: 'Usuarios web' }).click();
    await page.getByTestId('webusers').getByRole('link', { name: CLIENT_NAME }).click();
    await page.getByRole('heading', { level: 1, name: CLIENT_NAME }).waitFor();
    await page
      .getByText('Descarga un archivo JSON con todo lo que Carpeta guarda de esta persona', { exact: false })
      .waitFor();
    const button = page.getByRole('button', { name: 'Exportar sus datos (RGPD)' });
    assert.match((await button.getAttribute('aria-describedby')) ?? '', /export-explain/);
    await screenshot(page, '45-oversight-webuser');
    const [dl] = await Promise.all([page.waitForEvent('download'), button.click()]);
    assert.match(dl.suggestedFilename(), /^carpeta-export-.+\.json$/);
    const data = JSON.parse((await downloadBytes(dl)).toString('utf8'));
    assert.equal(data.profile.email, CLIENT_EMAIL);
    await page.getByText(`Datos de ${CLIENT_EMAIL} descargados.`).waitFor();

    await page.getByRole('link', { name: 'Quién ve qué', exact: true }).click();
    await page.getByRole('heading', { level: 1, name: 'Quién ve qué' }).waitFor();
    await page.getByText(`Qué puede ver ${CLIENT_NAME} (${CLIENT_EMAIL})`, { exact: false }).waitFor();
    const grant = page
      .getByTestId('access-report')
      .locator('[data-testid="access-row"][data-kind="grant"][data-status="live"]');
    await grant.getByRole('link', { name: FOLDER }).waitFor();
    await screenshot(page, '46-oversight-access-by-user');
  });

  test('no console errors anywhere, and no script ran from data', () => {
    assert.equal(alerts, 0);
    assert.equal(watched.length, 2);
    assert.deepEqual(
      watched.flatMap((w) => w.errors),
      [],
    );
  });
});
