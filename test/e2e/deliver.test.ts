/**
 * "Deliver to many clients at once" (issue 17) in real Chromium against the local stack, as staff use
 * it: a client folder gets its tax id (a wrong check character and an id another folder holds are
 * explained next to the field); "Repartir a clientes" plans a batch of payslips by the tax ids in their
 * names, one row is left out and one unmatched row is given a folder by hand, and "Enviar" puts each
 * file under the sub-path it asked for; a file and a folder are marked as requiring acknowledgement and
 * the listings show it; "Pendientes" lists what a client has not opened, linking to the file.
 */

import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from '@jest/globals';
import type { BrowserContext, Page } from 'playwright-core';
import { horizontalOverflow, newContext, screenshot, type Watched, watchedPage } from './browser.ts';
import { type E2E, failedResource, samplePdf, signInAs, startE2E } from './support.ts';

const ANA = 'Cliente Ana García';
const LUIS = 'Cliente Luis Pérez';
const NORTE = 'Cliente Sociedad Norte SL';
const MARTA = 'Cliente Marta Ruiz';
const BY_HAND = 'Cliente Sin NIF';
const LUIS_EMAIL = 'luis.perez@example.com';
const SUB_PATH = 'Nóminas/{yyyy}/{mm}';

/** The batch: three clients found by NIF, CIF and NIE, one to leave out, one unknown, one invalid, one ambiguous. */
const FILES = {
  ana: 'Nomina_12345678Z_2026-11.pdf',
  luis: 'Nomina_00000000T_2026-11.pdf',
  norte: 'Modelo 303 B12345674 2026-10.pdf',
  marta: 'Nomina_X1234567L_2026-11.pdf',
  unknown: 'Nomina_11111111H_2026-11.pdf',
  invalid: 'Nomina_12345678A_2026-11.pdf',
  ambiguous: 'Contrato 12345678Z y 00000000T.pdf',
};

let e: E2E;
let ctx: BrowserContext;
let page: Page;
let watched: Watched;
let staff = '';
const folders: Record<string, string> = {};

beforeAll(async () => {
  e = await startE2E();
  // The client folders and a client of Luis's folder, made through the API by a colleague.
  staff = (await e.t.user('staff', 'reparto.staff@example.com')).token;
  const call = async (method: string, path: string, body?: unknown) => {
    const r = await e.t.api(method, path, { token: staff, body });
    assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
  };
  for (const name of [ANA, LUIS, NORTE, MARTA, BY_HAND])
    folders[name] = (await call('POST', '/folders', { parentId: 'root', name })).id;
  for (const [name, taxId] of [
    [LUIS, '00000000T'],
    [NORTE, 'B12345674'],
    [MARTA, 'X1234567L'],
  ] as const) {
    const folder = (await call('GET', `/folders/${folders[name]}`)).folder;
    await call('PATCH', `/folders/${folder.id}`, { taxId, version: folder.version });
  }
  await call('POST', '/webusers', {
    email: LUIS_EMAIL,
    name: 'Luis Pérez',
    language: 'es',
    folderIds: [folders[LUIS]],
  });

  ctx = await newContext(e.browser, { locale: 'es-ES' });
  // 400 and 409 on PATCH /api/folders/…: the wrong check character and the taken tax id, on purpose;
  // 400 on /api/routing/plan: a sub-path template with "..".
  watched = await watchedPage(ctx, [
    failedResource(400, '/api/folders/'),
    failedResource(409, '/api/folders/'),
    failedResource(400, '/api/routing/plan'),
    // 409 on POST /api/folders/…/files: the corrected payslip's name is taken, offered as a new version.
    failedResource(409, '/files'),
  ]);
  page = watched.page;
  page.on('dialog', (d) => void d.dismiss());
  await signInAs(page, e.url, e.t.stack.admin.email, e.t.stack.admin.password);
  await page.waitForURL(/\/admin\/folders$/);
});

afterAll(async () => {
  await ctx?.close().catch(() => undefined);
  await e?.stop();
});

const nav = (name: string) =>
  page.getByRole('navigation', { name: 'Menú principal' }).getByRole('link', { name, exact: true }).click();
const openFolder = async (name: string) => {
  await page.getByTestId('listing').getByRole('link', { name, exact: true }).click();
  await page.getByRole('heading', { level: 1, name, exact: true }).waitFor();
};
const fileRow = (name: string) =>
  page.getByTestId('file-row').filter({ has: page.getByRole('link', { name, exact: true }) });
const planRow = (file: string) => page.locator(`[data-testid="plan-row"][data-file="${file}"]`);
const api = async (method: string, path: string, body?: unknown) =>
  (await e.t.api(method, path, { token: staff, body })).body;

describe('deliver to many clients at once', () => {
  test("a folder's tax id: a wrong check character and a taken id explained at the field; then saved", async () => {
    await openFolder(ANA);
    const panel = page.getByTestId('client-identity');
    await panel.getByTestId('client-taxid').getByText('—').waitFor();
    await panel.getByRole('button', { name: `Cambiar los datos de cliente de «${ANA}»` }).click();
    const field = panel.getByLabel('NIF, NIE o CIF');
    await field.fill('12345678A');
    await panel.getByRole('button', { name: 'Guardar' }).click();
    const fieldError = panel.getByTestId('client-taxId-error');
    await fieldError
      .getByText('Revise «NIF, NIE o CIF»: la letra o el dígito de control no corresponde al número: revíselo.')
      .waitFor();
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.equal(await field.getAttribute('aria-describedby'), 'client-taxId-error');

    await field.fill('00000000-t');
    await panel.getByRole('button', { name: 'Guardar' }).click();
    await fieldError.getByText('Ese NIF, NIE o CIF ya es de otra carpeta de cliente.').waitFor();

    await field.fill('12.345.678-z');
    // Her folder reminds on its own terms, whatever the company's settings say.
    await panel.getByLabel('Recordatorios a quien no abre').selectOption('own');
    await panel.getByLabel('Cuántos como máximo').fill('3');
    await panel.getByLabel('Tras cuántos días sin abrir').fill('4');
    await panel.getByRole('button', { name: 'Guardar' }).click();
    await page.getByText(`Datos de cliente de «${ANA}» guardados.`).waitFor();
    await panel.getByTestId('client-taxid').getByText('12345678Z', { exact: true }).waitFor();
    assert.equal((await api('GET', `/folders/${folders[ANA]}`)).folder.taxId, '12345678Z', 'stored normalised');
    await panel.getByTestId('client-reminders').getByText('Hasta 3, tras 4 días sin abrir').waitFor();
    assert.deepEqual((await api('GET', `/folders/${folders[ANA]}`)).folder.reminders, { afterDays: 4, max: 3 });
    await screenshot(page, '50-deliver-client-identity');
  });

  test('"Repartir a clientes": planned by tax id, one left out, one by hand, sent under the sub-path', async () => {
    await nav('Repartir');
    await page.getByRole('heading', { level: 1, name: 'Repartir a clientes' }).waitFor();
    await page
      .getByTestId('deliver-input')
      .setInputFiles(
        Object.values(FILES).map((name) => ({ name, mimeType: 'application/pdf', buffer: samplePdf(name) })),
      );
    await page.getByText('Archivos elegidos: 7.', { exact: false }).waitFor();
    // A sub-path that cannot be folder names is explained at its field, and nothing is planned.
    const subPath = page.getByLabel('Subcarpetas dentro de cada cliente');
    await subPath.fill('Nóminas/../{mm}');
    await page.getByRole('button', { name: 'Ver el reparto' }).click();
    await page.getByRole('alert').getByText('Revise «Subcarpetas»: «.» y «..» no sirven como nombre.').waitFor();
    assert.equal(await subPath.getAttribute('aria-invalid'), 'true');
    assert.equal(await page.getByTestId('plan').count(), 0);
    await subPath.fill(SUB_PATH);
    await page.getByRole('button', { name: 'Ver el reparto' }).click();
    await page.getByTestId('plan-summary').getByText('4 de 7 archivos tienen cliente; 3 sin cliente.').waitFor();
    // In English too.
    await page.getByRole('group', { name: 'Idioma' }).getByRole('button', { name: 'EN' }).click();
    await page.getByTestId('plan-summary').getByText('4 of 7 files have a client; 3 without one.').waitFor();
    await planRow(FILES.invalid).getByText('The NIF in the name is not valid').waitFor();
    await page.getByRole('group', { name: 'Language' }).getByRole('button', { name: 'ES' }).click();
    await page.getByRole('heading', { level: 1, name: 'Repartir a clientes' }).waitFor();

    // Each file and where it goes (the year and month from its name), or why it goes nowhere.
    const expected: Array<[string, string, string, string]> = [
      [FILES.ana, 'match', `${ANA} / Nóminas / 2026 / 11`, '12345678Z'],
      [FILES.luis, 'match', `${LUIS} / Nóminas / 2026 / 11`, '00000000T'],
      [FILES.norte, 'match', `${NORTE} / Nóminas / 2026 / 10`, 'B12345674'],
      [FILES.marta, 'match', `${MARTA} / Nóminas / 2026 / 11`, 'X1234567L'],
      [FILES.unknown, 'no-match', '', ''],
      [FILES.invalid, 'invalid', '', ''],
      [FILES.ambiguous, 'ambiguous', '', ''],
    ];
    const rows = page.getByTestId('plan-row');
    assert.deepEqual(
      await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-file'))),
      Object.values(FILES),
      'in the order dropped',
    );
    for (const [file, reason, destination, taxId] of expected) {
      const row = planRow(file);
      assert.equal(await row.getAttribute('data-reason'), reason, file);
      assert.equal(await row.getByRole('checkbox').isChecked(), reason === 'match', `${file}: sent unless unmatched`);
      if (reason === 'match') {
        assert.equal((await row.getByTestId('plan-destination').textContent())?.trim(), destination, file);
        assert.equal((await row.getByTestId('plan-taxid').textContent())?.trim(), taxId, file);
      }
    }
    await planRow(FILES.unknown).getByText('Ningún cliente con ese NIF o código').waitFor();
    await planRow(FILES.invalid).getByText('El NIF del nombre no es válido').waitFor();
    await planRow(FILES.ambiguous).getByText('Nombra a más de un cliente').waitFor();

    // Marta's payslip stays out of this batch; the unknown one goes to a folder picked by hand.
    await planRow(FILES.marta)
      .getByRole('checkbox', { name: `Enviar «${FILES.marta}»` })
      .uncheck();
    await planRow(FILES.unknown).getByLabel(`Carpeta para «${FILES.unknown}»`).fill('sin nif');
    await planRow(FILES.unknown).getByRole('option', { name: BY_HAND }).click();
    await planRow(FILES.unknown)
      .getByTestId('plan-destination')
      .getByText(`${BY_HAND} / Nóminas / 2026 / 11`)
      .waitFor();
    assert.equal(await planRow(FILES.unknown).getByRole('checkbox').isChecked(), true, 'assigned: now sent');
    await screenshot(page, '51-deliver-plan');
    // On a phone the table scrolls inside its box; the page does not scroll sideways.
    await page.setViewportSize({ width: 375, height: 800 });
    assert.equal(await horizontalOverflow(page), 0);
    await screenshot(page, '51-deliver-plan-phone');
    await page.setViewportSize({ width: 1280, height: 800 });

    await page.getByRole('button', { name: 'Enviar los archivos marcados (4)' }).click();
    await page.getByTestId('delivery-summary').getByText('4 de 4 entregados').waitFor();
    for (const file of [FILES.ana, FILES.luis, FILES.norte, FILES.unknown])
      await planRow(file).getByTestId('plan-state').getByText('Entregado').waitFor();
    await planRow(FILES.marta).getByTestId('plan-state').getByText('Se queda fuera').waitFor();
    await screenshot(page, '52-deliver-sent');

    // The delivered row links to where the file landed: the sub-path made under Ana's folder.
    await planRow(FILES.ana)
      .getByRole('link', { name: `${ANA} / Nóminas / 2026 / 11` })
      .click();
    await page.getByRole('heading', { level: 1, name: '11', exact: true }).waitFor();
    const crumbs = await page.getByRole('navigation', { name: 'Ruta' }).getByRole('listitem').allTextContents();
    assert.deepEqual(crumbs.slice(-4), [ANA, 'Nóminas', '2026', '11']);
    await fileRow(FILES.ana).waitFor();
    assert.equal(await page.getByTestId('file-row').count(), 1);

    // Every other file is in its client's folder, under a sub-path that already existed (made once).
    for (const [client, file, month] of [
      [LUIS, FILES.luis, '11'],
      [NORTE, FILES.norte, '10'],
      [BY_HAND, FILES.unknown, '11'],
    ]) {
      const where = await api('POST', `/folders/${folders[client]}/path`, { path: `Nóminas/2026/${month}` });
      assert.deepEqual(where.created, [], `${client}: the sub-path was made by the delivery`);
      const listed = await api('GET', `/folders/${where.folderId}`);
      assert.deepEqual(
        listed.files.map((f: { name: string }) => f.name),
        [file],
      );
    }
    const marta = await api('GET', `/folders/${folders[MARTA]}`);
    assert.deepEqual([...marta.folders, ...marta.files], [], 'the row left out sent nothing');
  });

  test('requires acknowledgement: marked on a file and on a folder; the listings show it, inherited too', async () => {
    // On the file (we are in Ana's Nóminas/2026/11).
    assert.equal(await fileRow(FILES.ana).getByTestId('ack-marker').count(), 0);
    await fileRow(FILES.ana).getByRole('link', { name: FILES.ana }).click();
    await page.getByRole('heading', { level: 1, name: FILES.ana }).waitFor();
    await page.getByLabel('Acuse de recibo').selectOption({ label: 'Pedir a los clientes que confirmen la recepción' });
    await page.getByText('Se pedirá a los clientes que confirmen la recepción de este archivo.').waitFor();
    await page.getByTestId('ack-marker').getByText('Acuse de recibo').waitFor();
    await page.getByRole('navigation', { name: 'Ruta' }).getByRole('link', { name: '11' }).click();
    await fileRow(FILES.ana).getByTestId('ack-marker').waitFor();

    // On Norte's folder: every file beneath asks, shown on the file two levels down.
    await nav('Carpetas');
    await openFolder(NORTE);
    const panel = page.getByTestId('client-identity');
    await panel.getByRole('button', { name: `Cambiar los datos de cliente de «${NORTE}»` }).click();
    await panel.getByLabel('Acuse de recibo').selectOption({ label: 'Se pide a los clientes para todo lo de dentro' });
    await panel.getByRole('button', { name: 'Guardar' }).click();
    await panel.getByTestId('client-ack').getByText('Se pide a los clientes para todo lo de dentro').waitFor();
    await panel.getByTestId('client-taxid').getByText('B12345674').waitFor();
    for (const name of ['Nóminas', '2026', '10']) await openFolder(name);
    await fileRow(FILES.norte).getByTestId('ack-marker').getByText('Acuse de recibo').waitFor();
    await screenshot(page, '53-deliver-ack-marker');
  });

  test('"Pendientes": the client who has not opened a delivered document, linking to its page', async () => {
    // Deliveries are recorded by the notifications job (as its timer would).
    await e.t.runJobs();
    await nav('Pendientes');
    await page.getByRole('heading', { level: 1, name: 'Pendientes' }).waitFor();
    const luis = page.locator(`[data-testid="pending-client"][data-client="${LUIS_EMAIL}"]`);
    await luis.getByRole('heading', { level: 2, name: `Luis Pérez (${LUIS_EMAIL})` }).waitFor();
    const docs = await luis.getByTestId('pending-row').getByRole('link').allTextContents();
    assert.deepEqual(docs, [FILES.luis]);
    assert.equal(await page.getByTestId('pending-client').count(), 1, 'only Luis has a client who can see it');
    const summary = page.getByTestId('pending-summary');
    await summary.getByText('Documentos sin abrir: 1. Clientes que los esperan: 1.').waitFor();
    await screenshot(page, '54-deliver-pending');
    await luis.getByRole('link', { name: FILES.luis }).click();
    await page.getByRole('heading', { level: 1, name: FILES.luis }).waitFor();
  });

  test('delivered again (a corrected payslip): the name clash offers a new version of the file there', async () => {
    await nav('Repartir');
    await page.getByRole('heading', { level: 1, name: 'Repartir a clientes' }).waitFor();
    const corrected = samplePdf('corregida');
    await page
      .getByTestId('deliver-input')
      .setInputFiles([{ name: FILES.luis, mimeType: 'application/pdf', buffer: corrected }]);
    await page.getByLabel('Subcarpetas dentro de cada cliente').fill(SUB_PATH);
    await page.getByRole('button', { name: 'Ver el reparto' }).click();
    await page.getByRole('button', { name: 'Enviar los archivos marcados (1)' }).click();
    const failures = page.getByTestId('delivery-failures');
    await failures.getByText(`Ya hay un archivo llamado «${FILES.luis}» aquí.`).waitFor();
    await failures.getByRole('button', { name: 'Subir como nueva versión' }).click();
    await page.getByTestId('delivery-summary').getByText('1 de 1 entregados').waitFor();
    const where = await api('POST', `/folders/${folders[LUIS]}/path`, { path: 'Nóminas/2026/11' });
    const [file, ...others] = (await api('GET', `/folders/${where.folderId}`)).files;
    assert.equal(others.length, 0, 'still one file');
    const details = await api('GET', `/files/${file.id}`);
    assert.equal(details.versions.length, 2);
    assert.equal(details.versions[0].size, corrected.length, 'the new version is the corrected one');
  });

  test('no console errors', () => {
    assert.deepEqual(watched.errors, []);
  });
});
