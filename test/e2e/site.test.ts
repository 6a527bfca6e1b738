/**
 * The site skeleton in real Chromium against the local stack: the sign-in
 * page in Spanish and English, a wrong password, the seeded admin signing in
 * (email, company name, "API ok", no console errors), the language switch
 * kept across a reload, sign out, and the phone-sized layout.
 */
import { after, before, describe, test } from 'node:test';
import assert from 'node:assert/strict';
import { horizontalOverflow, newContext, screenshot, watchedPage } from './browser.ts';
import { failedResource, routeNotLanded, startE2E, type E2E } from './support.ts';

let e: E2E;

before(async () => {
  e = await startE2E();
});

after(async () => {
  await e?.stop();
});

describe('the site', () => {
  test('the landing page is the sign-in form, in Spanish for a Spanish browser', async () => {
    const ctx = await newContext(e.browser, { locale: 'es-ES' });
    const { page, errors } = await watchedPage(ctx, [routeNotLanded]);
    await page.goto(e.url + '/');
    await page.getByRole('heading', { level: 1, name: 'Entrar' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'es');
    await page.getByLabel('Email').waitFor();
    await page.getByLabel('Contraseña').waitFor();
    await page.getByRole('button', { name: 'Entrar' }).waitFor();
    await page.getByText('API ok').waitFor();
    await screenshot(page, '01-signin-es');
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  test('an English browser gets English', async () => {
    const ctx = await newContext(e.browser, { locale: 'en-US' });
    const { page, errors } = await watchedPage(ctx, [routeNotLanded]);
    await page.goto(e.url + '/');
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.getByLabel('Password').waitFor();
    await page.getByRole('link', { name: 'Forgot your password?' }).waitFor();
    await screenshot(page, '02-signin-en');
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  test('a wrong password is explained in the user’s language', async () => {
    const ctx = await newContext(e.browser, { locale: 'es-ES' });
    const { page, errors } = await watchedPage(ctx, [routeNotLanded, failedResource(400, '/_local/cognito')]);
    await page.goto(e.url + '/');
    await page.getByLabel('Email').fill(e.t.stack.admin.email);
    await page.getByLabel('Contraseña').fill('not-the-password');
    await page.getByRole('button', { name: 'Entrar' }).click();
    const alert = page.getByRole('alert');
    await alert.waitFor();
    assert.equal((await alert.textContent())?.trim(), 'El email o la contraseña no son correctos.');
    // An empty form is refused before any request.
    await page.getByLabel('Contraseña').fill('');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByText('Escriba su email y su contraseña.').waitFor();
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  test('the seeded admin signs in and sees their email, the company and "API ok"; the language switch sticks; sign out', async () => {
    const ctx = await newContext(e.browser, { locale: 'es-ES' });
    const { page, errors } = await watchedPage(ctx, [routeNotLanded]);
    await page.goto(e.url + '/');
    await page.getByLabel('Email').fill(e.t.stack.admin.email);
    await page.getByLabel('Contraseña').fill(e.t.stack.admin.password);
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByTestId('user-email').getByText(e.t.stack.admin.email).waitFor();
    await page.getByText('API ok').waitFor();
    assert.ok(((await page.getByTestId('company-name').textContent()) ?? '').trim().length > 0);
    await page.waitForURL(/\/admin\//);
    await page.getByRole('button', { name: 'Salir' }).waitFor();
    await screenshot(page, '03-admin-signed-in');

    // Switch to English; a reload keeps both the session and the language.
    await page.getByRole('button', { name: 'EN' }).click();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'en');
    await page.reload();
    await page.getByRole('button', { name: 'Sign out' }).waitFor();
    await page.getByTestId('user-email').getByText(e.t.stack.admin.email).waitFor();

    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    await page.reload();
    await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  test('a first sign-in with a temporary password asks for a new one, then signs in', async () => {
    const email = 'nueva.gestora@example.com';
    const cognito = async (target: string, body: Record<string, unknown>) => {
      const r = await fetch(`${e.t.stack.emulators.cognito}/`, {
        method: 'POST',
        headers: { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': `AWSCognitoIdentityProviderService.${target}` },
        body: JSON.stringify(body),
      });
      assert.equal(r.status, 200, await r.text());
    };
    const pool = e.t.stack.config.cognito.userPoolId;
    await cognito('AdminCreateUser', { UserPoolId: pool, Username: email, TemporaryPassword: 'Temporal-2026!', MessageAction: 'SUPPRESS', UserAttributes: [{ Name: 'email', Value: email }, { Name: 'email_verified', Value: 'true' }] });
    await cognito('AdminAddUserToGroup', { UserPoolId: pool, Username: email, GroupName: 'staff' });

    const ctx = await newContext(e.browser, { locale: 'es-ES' });
    const { page, errors } = await watchedPage(ctx, [routeNotLanded]);
    await page.goto(e.url + '/');
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Contraseña').fill('Temporal-2026!');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('heading', { level: 1, name: 'Cree su contraseña' }).waitFor();
    await page.getByLabel('Contraseña nueva').fill('Definitiva-2026!');
    await page.getByLabel('Repita la contraseña').fill('Otra-cosa-2026!');
    await page.getByRole('button', { name: 'Guardar' }).click();
    await page.getByText('Las dos contraseñas no coinciden.').waitFor();
    await page.getByLabel('Repita la contraseña').fill('Definitiva-2026!');
    await page.getByRole('button', { name: 'Guardar' }).click();
    await page.waitForURL(/\/admin\/folders$/);
    await page.getByTestId('user-email').getByText(email).waitFor();
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  test('at phone size (375x812) nothing scrolls sideways and controls are at least 44 px', async () => {
    const ctx = await newContext(e.browser, { locale: 'es-ES', viewport: { width: 375, height: 812 }, isMobile: true, hasTouch: true });
    const { page, errors } = await watchedPage(ctx, [routeNotLanded]);
    await page.goto(e.url + '/');
    await page.getByRole('heading', { level: 1, name: 'Entrar' }).waitFor();
    assert.ok((await horizontalOverflow(page)) <= 0, 'no horizontal scroll on the sign-in page');
    const small = await page.evaluate(() =>
      [...document.querySelectorAll<HTMLElement>('button, input, a')]
        .filter((el) => !el.classList.contains('skip'))
        .map((el) => ({ what: el.outerHTML.slice(0, 80), ...el.getBoundingClientRect().toJSON() }))
        .filter((r) => r.height < 44 || r.width < 44),
    );
    assert.deepEqual(small, []);
    await screenshot(page, '04-signin-phone');
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  test('an unknown address is a friendly page, not a blank one', async () => {
    const ctx = await newContext(e.browser, { locale: 'en-GB' });
    const { page, errors } = await watchedPage(ctx, [routeNotLanded]);
    await page.goto(e.url + '/no/such/page');
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    assert.deepEqual(errors, []);
    await ctx.close();
  });
});
