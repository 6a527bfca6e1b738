/**
 * "Forgot password" in real Chromium: the code arrives in the local mailbox,
 * the client types it with a new password, and the new password signs in.
 */

import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from '@jest/globals';
import { makeClient, makeFolder } from '../support/story.ts';
import { newContext, screenshot, watchedPage } from './browser.ts';
import { type E2E, signInAs, startE2E } from './support.ts';

let e: E2E;
beforeAll(async () => {
  e = await startE2E();
});
afterAll(async () => {
  await e?.stop();
});

describe('forgot password', () => {
  test('a client resets their password with the emailed code and signs in with the new one', async () => {
    const staff = await e.t.adminToken();
    const folder = await makeFolder(e.t, staff, 'Recuperación');
    const client = await makeClient(e.t, staff, [folder.id], 'Cliente olvidadiza');
    const ctx = await newContext(e.browser, { locale: 'es-ES' });
    const { page, errors } = await watchedPage(ctx, []);
    await page.goto(`${e.url}/`);
    await page.getByRole('link', { name: '¿Ha olvidado su contraseña?' }).click();
    await page.getByRole('heading', { name: 'Recuperar la contraseña' }).waitFor();
    await page.getByLabel('Email').fill(client.email);
    await page.getByRole('button', { name: 'Enviar el código' }).click();
    await page.getByLabel('Código recibido por email').waitFor();
    const mail = (await e.t.mail()).find(
      (m) => m.to.includes(client.email) && /\d{6}/.test(m.text) && !/\/invite#/.test(m.text),
    );
    assert.ok(mail, 'the code arrived in the local mailbox');
    await page.getByLabel('Código recibido por email').fill(/(\d{6})/.exec(mail.text)![1]);
    await page.getByLabel('Contraseña nueva').fill('Recuperada-2026!');
    await page.getByLabel('Repita la contraseña').fill('Recuperada-2026!');
    await screenshot(page, '50-forgot-password');
    await page.getByRole('button', { name: 'Cambiar la contraseña' }).click();
    await page.getByText('Contraseña cambiada. Ya puede entrar.').waitFor();
    await ctx.close();

    const ctx2 = await newContext(e.browser, { locale: 'es-ES' });
    const signedIn = await watchedPage(ctx2, []);
    await signInAs(signedIn.page, e.url, client.email, 'Recuperada-2026!');
    await signedIn.page.getByText('Recuperación').first().waitFor();
    assert.deepEqual([...errors, ...signedIn.errors], []);
    await ctx2.close();
  });
});
