/**
 * Big folders, search and "download all" (issue 16), in real Chromium against the local stack, from the
 * user's side: a client opens a folder of 1,000 files and scrolls to the last one; sorting by size,
 * largest first, puts the largest of the whole folder on top (the server sorts, not the loaded page);
 * "nomina" finds "Nómina octubre 2026.pdf" in a subfolder, with its path, and never another client's
 * file; three files picked with a click and a shift-click come back as one ZIP whose entries are
 * byte-identical to the uploads (the test unpacks it). A link holder does the same on a 375 px phone.
 *
 * Headless Chromium cannot answer a save dialog, so the pages here have no showSaveFilePicker and the
 * ZIP takes the in-memory path (a Blob saved through <a download>) that browsers without it take.
 */

import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, test } from '@jest/globals';
import type { BrowserContext, Page } from 'playwright-core';
import { uploadWith } from '../support/upload.ts';
import { horizontalOverflow, newContext, screenshot, type Watched, watchedPage } from './browser.ts';
import { downloadBytes, type E2E, samplePdf, signInAs, startE2E } from './support.ts';

const STUDY = 'Estudio 2026';
const PAYSLIPS = 'Nóminas';
const PAYSLIP = 'Nómina octubre 2026.pdf';
const OTHERS_PAYSLIP = 'Nómina octubre 2026 de otro cliente.pdf';
const FILES = 1000;
/** Its name sorts in the middle, far from the first page; its size is the largest of all. */
const LARGEST = 'informe-0777.txt';
const CLIENT_EMAIL = 'clinica.sur@example.com';
const CLIENT_PASSWORD = 'Clinica-Sur-2026!';
const LINK_EMAIL = 'radiologo.externo@example.com';

let e: E2E;
let adminToken = '';
let studyId = '';
const uploaded = new Map<string, Buffer>();
const watched: Watched[] = [];

const fileName = (i: number) => `informe-${String(i).padStart(4, '0')}.txt`;
/** Small and all different; the largest is LARGEST. */
const contentOf = (i: number) =>
  fileName(i) === LARGEST
    ? Buffer.from('la más grande\n'.repeat(300))
    : Buffer.from(`informe ${i}\n`.repeat(1 + (i % 40)));

async function api(method: string, path: string, body?: unknown) {
  const r = await e.t.api(method, path, { token: adminToken, body });
  assert.ok(r.status < 300, `${method} ${path}: ${r.status} ${JSON.stringify(r.body)}`);
  return r.body;
}

async function putFile(folderId: string, name: string, bytes: Buffer, contentType: string): Promise<void> {
  const sha256 = createHash('sha256').update(bytes).digest('hex');
  const start = await api('POST', `/folders/${folderId}/files`, { name, size: bytes.length, contentType, sha256 });
  const parts = await uploadWith(start.upload, bytes, contentType);
  await api('POST', `/files/${start.file.id}/versions/${start.versionId}/complete`, parts ? { parts } : {});
}

async function mailTo(address: string, pattern: RegExp): Promise<string> {
  for (let i = 0; i < 50; i++) {
    const m = (await e.t.mail()).filter((x) => x.to.includes(address) && pattern.test(x.text)).at(-1);
    if (m) return pattern.exec(m.text)![0];
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`no mail to ${address} matching ${pattern}`);
}

/** The entries of a ZIP, read from its central directory (stored entries, as client-zip writes them). */
function unzip(zip: Buffer): Map<string, Buffer> {
  let end = zip.length - 22;
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--;
  assert.ok(end >= 0, 'a ZIP has an end-of-central-directory record');
  const count = zip.readUInt16LE(end + 10);
  let at = zip.readUInt32LE(end + 16);
  const entries = new Map<string, Buffer>();
  for (let n = 0; n < count; n++) {
    assert.equal(zip.readUInt32LE(at), 0x02014b50, 'a central directory entry');
    const method = zip.readUInt16LE(at + 10);
    const size = zip.readUInt32LE(at + 20);
    const nameLength = zip.readUInt16LE(at + 28);
    const extraLength = zip.readUInt16LE(at + 30);
    const commentLength = zip.readUInt16LE(at + 32);
    const local = zip.readUInt32LE(at + 42);
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8');
    assert.equal(method, 0, `${name} is stored`);
    assert.equal(zip.readUInt32LE(local), 0x04034b50, 'a local file header');
    const data = local + 30 + zip.readUInt16LE(local + 26) + zip.readUInt16LE(local + 28);
    entries.set(name, zip.subarray(data, data + size));
    at += 46 + nameLength + extraLength + commentLength;
  }
  return entries;
}

async function watch(ctx: BrowserContext, saveDialog: 'none' | 'answered' = 'none'): Promise<Page> {
  // Headless Chromium cannot show its save dialog: without one the page takes the path of browsers that
  // have none; or the dialog is answered as a person would (answerSaveDialogs).
  if (saveDialog === 'answered') await answerSaveDialogs(ctx);
  else
    await ctx.addInitScript(() => {
      delete (window as { showSaveFilePicker?: unknown }).showSaveFilePicker;
    });
  const w = await watchedPage(ctx, []);
  watched.push(w);
  return w.page;
}

const fileNames = (page: Page) => page.getByTestId('items').locator('.item-file .item-name').allTextContents();

/** What a client and a link holder both do with the study: the end, the largest first, search, a ZIP. */
/**
 * Where the browser has a save dialog (showSaveFilePicker), the ZIP streams straight into the file the
 * person chose. Headless Chromium shows no dialog: this answers it as a person would, with a real file
 * (in the origin's private file system), so the streamed path writes through a real WritableStream.
 */
async function answerSaveDialogs(ctx: BrowserContext) {
  await ctx.addInitScript(() => {
    const w = window as unknown as { showSaveFilePicker: unknown; savedAs?: string };
    w.showSaveFilePicker = async (o: { suggestedName: string }) => {
      w.savedAs = o.suggestedName;
      return (await navigator.storage.getDirectory()).getFileHandle(o.suggestedName, { create: true });
    };
  });
}

/** The bytes of the file saved through the dialog. */
async function savedFile(page: Page, name: string): Promise<Buffer> {
  const bytes = await page.evaluate(async (n) => {
    const file = await (await (await navigator.storage.getDirectory()).getFileHandle(n)).getFile();
    return Array.from(new Uint8Array(await file.arrayBuffer()));
  }, name);
  return Buffer.from(bytes);
}

async function takeTheStudy(page: Page, shot: string, zipTo: 'download' | 'save-dialog' = 'download') {
  const items = page.getByTestId('items');
  await items.getByText(fileName(1), { exact: true }).waitFor();
  await page.getByText(/Elementos mostrados: \d+\. Hay más\./).waitFor();

  // Scrolling to the end loads the next page each time, until the last file and "no more".
  const last = items.getByText(fileName(FILES), { exact: true });
  for (let shown = await items.locator('.item').count(); shown < FILES + 1; ) {
    await page.getByTestId('page-end').scrollIntoViewIfNeeded();
    await page.waitForFunction((n) => document.querySelectorAll('[data-testid=items] .item').length > n, shown);
    shown = await items.locator('.item').count();
  }
  await last.scrollIntoViewIfNeeded();
  await page.getByText(`Elementos: ${FILES + 1} en total. No hay más.`).waitFor();
  assert.equal((await fileNames(page)).length, FILES);
  await screenshot(page, `${shot}-1-end-of-1000`);

  // Largest first: the largest of the whole folder, although its name is far beyond the first page.
  await page.getByLabel('Ordenar por').selectOption({ label: 'Tamaño' });
  await page.getByRole('button', { name: 'Ascendente' }).click();
  await page.getByRole('button', { name: 'Descendente' }).waitFor();
  await page.getByText(/Elementos mostrados: \d+\. Hay más\./).waitFor();
  await items.locator('.item-file .item-name').first().getByText(LARGEST, { exact: true }).waitFor();
  await page.evaluate(() => window.scrollTo(0, 0));
  await screenshot(page, `${shot}-2-largest-first`);

  // Search: an accented name in a subfolder, with its path; another client's file never.
  await page.getByRole('searchbox', { name: 'Buscar' }).fill('nomina');
  const results = page.getByTestId('search-results');
  const hit = results.getByRole('link', { name: PAYSLIP });
  await hit.waitFor();
  await results
    .getByText(new RegExp(`${PAYSLIPS}$`))
    .first()
    .waitFor();
  assert.equal(await hit.locator('mark').first().textContent(), 'Nómina');
  await results.getByText(/Resultados: \d+\. No hay más\./).waitFor();
  assert.equal(await page.getByText(OTHERS_PAYSLIP).count(), 0);
  await screenshot(page, `${shot}-3-search-nomina`);
  await page.getByRole('searchbox', { name: 'Buscar' }).fill('');

  // Three files: a click on the first, a shift-click on the third; one ZIP with exactly those bytes.
  const picked = (await fileNames(page)).slice(0, 3);
  await page.getByRole('checkbox', { name: `Seleccionar «${picked[0]}»` }).click();
  await page.getByRole('checkbox', { name: `Seleccionar «${picked[2]}»` }).click({ modifiers: ['Shift'] });
  for (const name of picked) assert.ok(await page.getByRole('checkbox', { name: `Seleccionar «${name}»` }).isChecked());
  let zipBytes: Buffer;
  if (zipTo === 'download') {
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Descargar selección (3)' }).click(),
    ]);
    assert.equal(download.suggestedFilename(), `${STUDY}.zip`);
    zipBytes = await downloadBytes(download);
  } else {
    await page.getByRole('button', { name: 'Descargar selección (3)' }).click();
    await page.getByText('ZIP listo. Archivos: 3.').waitFor();
    assert.equal(await page.evaluate(() => (window as { savedAs?: string }).savedAs), `${STUDY}.zip`);
    zipBytes = await savedFile(page, `${STUDY}.zip`);
  }
  const entries = unzip(zipBytes);
  assert.deepEqual([...entries.keys()].sort(), [...picked].sort());
  for (const name of picked) assert.ok(entries.get(name)!.equals(uploaded.get(name)!), `${name} is byte-identical`);
  await page.getByText('ZIP listo. Archivos: 3.').waitFor();
  await screenshot(page, `${shot}-4-zip-of-three`);
}

beforeAll(async () => {
  e = await startE2E();
  adminToken = await e.t.adminToken();
  studyId = (await api('POST', '/folders', { parentId: 'root', name: STUDY })).id;
  const payslipsId = (await api('POST', '/folders', { parentId: studyId, name: PAYSLIPS })).id;
  await putFile(payslipsId, PAYSLIP, samplePdf('Nómina'), 'application/pdf');
  const otherId = (await api('POST', '/folders', { parentId: 'root', name: 'Otro cliente' })).id;
  await putFile(otherId, OTHERS_PAYSLIP, samplePdf('Otra'), 'application/pdf');

  // 1,000 small files through the API, the way the site uploads them, ten at a time.
  let next = 1;
  const worker = async () => {
    for (let i = next++; i <= FILES; i = next++) {
      const bytes = contentOf(i);
      uploaded.set(fileName(i), bytes);
      await putFile(studyId, fileName(i), bytes, 'text/plain');
    }
  };
  await Promise.all(Array.from({ length: 10 }, worker));

  const client = await e.t.user('webuser', CLIENT_EMAIL);
  await api('PUT', `/folders/${studyId}/grants/${client.id}`, {});
  const { setPassword } = await import('../../functions/aws/cognito.ts');
  await setPassword(CLIENT_EMAIL, CLIENT_PASSWORD);
}, 600_000);

afterAll(async () => {
  await e?.stop();
});

describe('big folders, search and one ZIP', () => {
  test('a client reaches the 1,000th file, sees the largest first, finds "nomina", zips 3 files', async () => {
    const ctx = await newContext(e.browser, { locale: 'es-ES', viewport: { width: 1280, height: 900 } });
    try {
      const page = await watch(ctx);
      await signInAs(page, e.url, CLIENT_EMAIL, CLIENT_PASSWORD);
      await page.waitForURL(`${e.url}/portal`);
      await page.goto(`${e.url}/portal/f/${studyId}`);
      await page.getByRole('heading', { level: 1, name: STUDY }).waitFor();
      await takeTheStudy(page, 'big-client');
    } finally {
      await ctx.close();
    }
  }, 300_000);

  test('a link holder on a 375 px phone does the same', async () => {
    await api('POST', `/folders/${studyId}/send`, { email: LINK_EMAIL, language: 'es' });
    const link = await mailTo(LINK_EMAIL, /https?:\/\/\S+\/s#\S+/);
    const ctx = await newContext(e.browser, { locale: 'es-ES', viewport: { width: 375, height: 812 } });
    try {
      const page = await watch(ctx, 'answered');
      await page.goto(link);
      await page.getByRole('heading', { level: 1, name: STUDY }).waitFor();
      // The phone's browser has a save dialog here: the ZIP streams into the chosen file.
      await takeTheStudy(page, 'big-link-phone', 'save-dialog');
      assert.ok((await horizontalOverflow(page)) <= 0, 'no sideways scroll at 375 px');
    } finally {
      await ctx.close();
    }
  }, 300_000);

  test('staff: largest first from the server, search over the tree, two files moved, one trashed', async () => {
    const s = await e.t.user('staff');
    const ctx = await newContext(e.browser, { locale: 'es-ES', viewport: { width: 1366, height: 900 } });
    try {
      const page = await watch(ctx);
      await signInAs(page, e.url, s.email, s.password);
      await page.waitForURL(/\/admin\/folders$/);
      await page.goto(`${e.url}/admin/folders/${studyId}`);
      await page.getByRole('heading', { level: 1, name: STUDY }).waitFor();
      const rows = page.getByTestId('listing').getByTestId('file-row');
      await rows.first().waitFor();

      // Size, then size again: largest first, of the whole folder.
      await page.getByRole('button', { name: 'Ordenar por Tamaño' }).click();
      await page.getByRole('button', { name: 'Ordenar por Tamaño' }).click();
      await page.locator('th[aria-sort="descending"]').waitFor();
      await rows.first().getByText(LARGEST, { exact: true }).waitFor();
      await page.getByText(/Elementos mostrados: \d+\. Hay más\./).waitFor();

      // Staff search the whole tree: both payslips, each with its path.
      await page.getByRole('searchbox', { name: 'Buscar' }).fill('nomina oct');
      const results = page.getByTestId('search-results');
      await results.getByRole('link', { name: PAYSLIP, exact: true }).waitFor();
      await results.getByRole('link', { name: OTHERS_PAYSLIP }).waitFor();
      await results.getByText(/Otro cliente$/).waitFor();
      await screenshot(page, 'big-staff-1-sorted-and-search');
      await page.getByRole('searchbox', { name: 'Buscar' }).fill('');

      // Two files picked (a click and a shift-click) move into the subfolder together.
      const names = await rows.locator('.name-text').allTextContents();
      await page.getByRole('checkbox', { name: `Seleccionar «${names[1]}»` }).click();
      await page.getByRole('checkbox', { name: `Seleccionar «${names[2]}»` }).click({ modifiers: ['Shift'] });
      await page.getByRole('button', { name: 'Mover selección (2)' }).click();
      const dlg = page.getByRole('dialog');
      await dlg.getByRole('button', { name: `Abrir «${STUDY}»` }).click();
      await dlg.getByRole('button', { name: PAYSLIPS, exact: true }).click();
      await dlg.getByRole('button', { name: 'Mover aquí' }).click();
      await page.getByText('Elementos movidos: 2.').waitFor();
      await rows.getByText(names[1], { exact: true }).waitFor({ state: 'detached' });

      // The largest, picked alone, goes to the trash after a confirmation.
      await page.getByRole('checkbox', { name: `Seleccionar «${LARGEST}»` }).click();
      await page.getByRole('button', { name: 'Papelera (1)' }).click();
      await page.getByRole('dialog').getByRole('button', { name: 'Enviar a la papelera' }).click();
      await page.getByText('Elementos enviados a la papelera: 1.').waitFor();
      await rows.getByText(LARGEST, { exact: true }).waitFor({ state: 'detached' });
      await screenshot(page, 'big-staff-2-after-bulk-move-and-trash');
    } finally {
      await ctx.close();
    }
  }, 300_000);

  test('no page logged an error', () => {
    for (const w of watched) assert.deepEqual(w.errors, []);
  });
});
