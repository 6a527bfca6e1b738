/**
 * The site skeleton in real Chromium against the local stack: the sign-in
 * page in Spanish and English, a wrong password, the seeded admin signing in
 * (email, company name, no server notice, no console errors), the language switch
 * kept across a reload, sign out, and the phone-sized layout; two-step
 * verification (issue 8): an admin without it is asked to turn it on by the
 * settings page, then the sign-in asks for the authenticator app's code.
 */

import assert from 'node:assert/strict';
import { afterAll, beforeAll, describe, test } from '@jest/globals';
import { horizontalOverflow, newContext, screenshot, watchedPage } from './browser.ts';
import {
  answerCodePrompt,
  type E2E,
  failedResource,
  finishEnrolment,
  mailedTwoStepCode,
  proveMailbox,
  signInAs,
  startE2E,
  wrongTotp,
} from './support.ts';

let e: E2E;

beforeAll(async () => {
  e = await startE2E();
});

afterAll(async () => {
  await e?.stop();
});

describe('the site', () => {
  test('the landing page is the sign-in form, in Spanish for a Spanish browser', async () => {
    const ctx = await newContext(e.browser, { locale: 'es-ES' });
    const { page, errors } = await watchedPage(ctx, []);
    await page.goto(`${e.url}/`);
    await page.getByRole('heading', { level: 1, name: 'Entrar' }).waitFor();
    assert.equal(await page.getAttribute('html', 'lang'), 'es');
    await page.getByLabel('Email').waitFor();
    await page.getByLabel('Contraseña').waitFor();
    await page.getByRole('button', { name: 'Entrar' }).waitFor();
    // The server answers: no notice about it.
    assert.equal(await page.getByTestId('api-status').count(), 0);
    await screenshot(page, '01-signin-es');
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  test('an English browser gets English', async () => {
    const ctx = await newContext(e.browser, { locale: 'en-US' });
    const { page, errors } = await watchedPage(ctx, []);
    await page.goto(`${e.url}/`);
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
    const { page, errors } = await watchedPage(ctx, [failedResource(400, '/_local/cognito')]);
    await page.goto(`${e.url}/`);
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

  test(
    'the seeded admin signs in and sees their email, the ' +
      'company and no server notice; the language switch sticks; sign out',
    async () => {
      const ctx = await newContext(e.browser, { locale: 'es-ES' });
      const { page, errors } = await watchedPage(ctx, []);
      await page.goto(`${e.url}/`);
      await page.getByLabel('Email').fill(e.t.stack.admin.email);
      await page.getByLabel('Contraseña').fill(e.t.stack.admin.password);
      await page.getByRole('button', { name: 'Entrar' }).click();
      await page.getByTestId('user-email').getByText(e.t.stack.admin.email).waitFor();
      // The server answers: no notice about it.
      assert.equal(await page.getByTestId('api-status').count(), 0);
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

      // Signing out revokes the refresh token at Cognito: a copy of it (from this browser's storage) is worthless.
      const kept = await page.evaluate(() => JSON.parse(localStorage.getItem('carpeta.session') ?? '{}').refreshToken);
      assert.ok(kept, 'the session keeps a refresh token');
      const refreshWith = async () =>
        (
          await fetch(`${e.t.stack.emulators.cognito}/`, {
            method: 'POST',
            headers: {
              'content-type': 'application/x-amz-json-1.1',
              'x-amz-target': 'AWSCognitoIdentityProviderService.InitiateAuth',
            },
            body: JSON.stringify({
              AuthFlow: 'REFRESH_TOKEN_AUTH',
              ClientId: e.t.stack.state.clientId,
              AuthParameters: { REFRESH_TOKEN: kept },
            }),
          })
        ).status;
      assert.equal(await refreshWith(), 200, 'the token works while signed in');
      await page.getByRole('button', { name: 'Sign out' }).click();
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      let status = 200;
      for (let i = 0; i < 50 && status === 200; i++) {
        await new Promise((r) => setTimeout(r, 100));
        status = await refreshWith();
      }
      assert.equal(status, 400, 'the refresh token was revoked');
      await page.reload();
      await page.getByRole('heading', { level: 1, name: 'Sign in' }).waitFor();
      assert.deepEqual(errors, []);
      await ctx.close();
    },
  );

  test('a first sign-in with a temporary password asks for a new one, then signs in', async () => {
    const email = 'nueva.gestora@example.com';
    const cognito = async (target: string, body: Record<string, unknown>) => {
      const r = await fetch(`${e.t.stack.emulators.cognito}/`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `AWSCognitoIdentityProviderService.${target}`,
        },
        body: JSON.stringify(body),
      });
      const text = await r.text();
      assert.equal(r.status, 200, text);
      return (text ? JSON.parse(text) : {}) as Record<string, any>;
    };
    const pool = e.t.stack.config.cognito.userPoolId;
    const created = await cognito('AdminCreateUser', {
      UserPoolId: pool,
      Username: email,
      TemporaryPassword: 'Temporal-2026!',
      MessageAction: 'SUPPRESS',
      UserAttributes: [
        { Name: 'email', Value: email },
        { Name: 'email_verified', Value: 'true' },
      ],
    });
    await cognito('AdminAddUserToGroup', { UserPoolId: pool, Username: email, GroupName: 'staff' });
    // The profile item the app needs beside the Cognito user, as scripts/create-admin.ts writes it
    // (docs/DEPLOY.md, "The first admin"); without it every staff route answers 401.
    const { putProfile } = await import('../../functions/store/users.ts');
    const sub = (created.User.Attributes as Array<{ Name: string; Value: string }>).find(
      (a) => a.Name === 'sub',
    )!.Value;
    const at = new Date().toISOString();
    await putProfile({
      id: sub,
      email,
      name: 'Primera Vez',
      kind: 'staff',
      role: 'staff',
      status: 'active',
      language: 'es',
      createdAt: at,
      updatedAt: at,
    });

    const ctx = await newContext(e.browser, { locale: 'es-ES' });
    const { page, errors } = await watchedPage(ctx, []);
    await page.goto(`${e.url}/`);
    await page.getByLabel('Email').fill(email);
    await page.getByLabel('Contraseña').fill('Temporal-2026!');
    await page.getByRole('button', { name: 'Entrar' }).click();
    await page.getByRole('heading', { level: 1, name: 'Cree su contraseña' }).waitFor();
    await page.getByLabel('Contraseña nueva').fill('Definitiva-2026!');
    await page.getByLabel('Repita la contraseña').fill('Otra-cosa-2026!');
    await page.getByRole('button', { name: 'Guardar' }).click();
    await page.getByText('Las dos contraseñas no coinciden.').waitFor();
    await page.getByLabel('Repita la contraseña').fill('Definitiva-2026!');
    const rootListing = page.waitForResponse((r) => r.url().includes('/api/folders/root'));
    await page.getByRole('button', { name: 'Guardar' }).click();
    await page.waitForURL(/\/admin\/folders$/);
    await page.getByTestId('user-email').getByText(email).waitFor();
    // Signed in for real: the folders answer, not only the page's frame.
    assert.equal((await rootListing).status(), 200);
    assert.deepEqual(errors, []);
    await ctx.close();
  });

  test(
    'two-step verification: an admin without it is asked to ' + 'turn it on; after that the sign-in asks for the code',
    async () => {
      const email = 'jefa.sin.mfa@example.com';
      const password = 'Jefa-Segura-2026!';
      const cognito = async (target: string, body: Record<string, unknown>) => {
        const r = await fetch(`${e.t.stack.emulators.cognito}/`, {
          method: 'POST',
          headers: {
            'content-type': 'application/x-amz-json-1.1',
            'x-amz-target': `AWSCognitoIdentityProviderService.${target}`,
          },
          body: JSON.stringify(body),
        });
        const text = await r.text();
        assert.equal(r.status, 200, text);
        return (text ? JSON.parse(text) : {}) as Record<string, any>;
      };
      // An admin as Cognito has them before issue 8: no authenticator app.
      const pool = e.t.stack.config.cognito.userPoolId;
      await cognito('AdminCreateUser', {
        UserPoolId: pool,
        Username: email,
        TemporaryPassword: 'Temporal-2026!',
        MessageAction: 'SUPPRESS',
        UserAttributes: [
          { Name: 'email', Value: email },
          { Name: 'email_verified', Value: 'true' },
        ],
      });
      await cognito('AdminSetUserPassword', { UserPoolId: pool, Username: email, Password: password, Permanent: true });
      for (const g of ['staff', 'admin'])
        await cognito('AdminAddUserToGroup', { UserPoolId: pool, Username: email, GroupName: g });
      // Every staff request checks the account in our table too (active staff, admin role): its profile.
      const sub = (
        (await cognito('AdminGetUser', { UserPoolId: pool, Username: email })).UserAttributes as Array<{
          Name: string;
          Value: string;
        }>
      ).find((a) => a.Name === 'sub')!.Value;
      const { putProfile } = await import('../../functions/store/users.ts');
      const now = new Date().toISOString();
      await putProfile({
        id: sub,
        email,
        name: 'Jefa sin MFA',
        kind: 'staff',
        role: 'admin',
        status: 'active',
        language: 'es',
        createdAt: now,
        updatedAt: now,
      });

      const ctx = await newContext(e.browser, { locale: 'es-ES' });
      // 403 /api/settings (mfa_required) before enrolling, and Cognito's 400 for the wrong codes typed on purpose.
      const { page, errors } = await watchedPage(ctx, [
        failedResource(403, '/api/settings'),
        failedResource(400, '/_local/cognito'),
        failedResource(400, '/api/me/two-step/'),
      ]);
      await signInAs(page, e.url, email, password);
      await page.getByRole('navigation', { name: 'Menú principal' }).getByRole('link', { name: 'Ajustes' }).click();
      await page.getByRole('heading', { level: 1, name: 'Ajustes' }).waitFor();

      // Settings explains why and offers to turn it on.
      const panel = page.getByTestId('mfa-required');
      await panel.getByRole('heading', { name: 'Hace falta la verificación en dos pasos' }).waitFor();
      await panel
        .getByText('Las cuentas de administrador tienen que usar la verificación en dos pasos', { exact: false })
        .waitFor();
      assert.equal(await page.getByLabel('Nombre de la empresa').count(), 0, 'no settings form yet');
      await panel.getByRole('button', { name: 'Activar la verificación en dos pasos' }).click();
      // First a code mailed to the account: the password alone does not turn it on (or replace the app).
      const mailStep = page.getByTestId('mfa-email-step');
      await mailStep.getByText(`Le hemos enviado un código de 6 dígitos a ${email}.`, { exact: false }).waitFor();
      const mailed = await mailedTwoStepCode(e.t, email);
      await page.getByLabel('Código del email').fill(mailed === '000000' ? '111111' : '000000');
      await page.getByRole('button', { name: 'Continuar', exact: true }).click();
      await mailStep.getByRole('alert').getByText('Ese no es el código que le enviamos.', { exact: false }).waitFor();
      await screenshot(page, '19a-mfa-email-code');
      await proveMailbox(page, e.t, email);
      await page.getByRole('img', { name: 'Código QR para añadir Carpeta a su aplicación de autenticación' }).waitFor();
      const field = page.getByLabel('Escriba el código de 6 dígitos que muestra ahora la aplicación.');
      assert.equal(await field.getAttribute('inputmode'), 'numeric');
      assert.equal(await field.getAttribute('autocomplete'), 'one-time-code');
      await screenshot(page, '19-mfa-enrol');
      await page.setViewportSize({ width: 375, height: 812 });
      assert.ok((await horizontalOverflow(page)) <= 0, 'no horizontal scroll on the enrolment steps');
      await screenshot(page, '19b-mfa-enrol-phone');
      await page.setViewportSize({ width: 1280, height: 800 });
      // A wrong code is refused, clearly; nothing is switched on.
      const secret = ((await page.getByTestId('totp-secret').textContent()) ?? '').replace(/\s+/g, '');
      await field.fill(wrongTotp(secret));
      await page.getByRole('button', { name: 'Activar', exact: true }).click();
      await panel.getByRole('alert').getByText('El código no es correcto.', { exact: false }).waitFor();
      // The right one switches it on and ends every session: the sign-in page says so.
      assert.equal(await finishEnrolment(page), secret);
      await page
        .getByTestId('signin-notice')
        .getByText('La verificación en dos pasos está activada y hemos cerrado sus sesiones.', { exact: false })
        .waitFor();
      await screenshot(page, '19c-mfa-on-sign-in-again');

      // The password is not enough any more.
      await page.getByLabel('Email').fill(email);
      await page.getByLabel('Contraseña').fill(password);
      await page.getByRole('button', { name: 'Entrar' }).click();
      await page.getByRole('heading', { level: 1, name: 'Verificación en dos pasos' }).waitFor();
      const code = page.getByLabel('Código de 6 dígitos');
      assert.equal(await code.getAttribute('inputmode'), 'numeric');
      assert.equal(await code.getAttribute('autocomplete'), 'one-time-code');
      await page.waitForFunction(() => document.activeElement?.id === 'mfa-code');
      assert.equal(await page.getByTestId('user-email').count(), 0, 'not signed in yet');
      await screenshot(page, '20-mfa-code-prompt');
      // Letters and spaces are dropped; fewer than 6 digits is explained without asking Cognito.
      await code.fill('12 3a');
      assert.equal(await code.inputValue(), '123');
      await page.getByRole('button', { name: 'Verificar' }).click();
      await page.getByRole('alert').getByText('Escriba los 6 números del código.').waitFor();
      // A wrong code: a clear message, in Spanish and in English.
      await code.fill(wrongTotp(secret));
      await page.getByRole('button', { name: 'Verificar' }).click();
      const alert = page.getByRole('alert');
      await alert
        .getByText(
          'El código no es correcto. Escriba el que muestra ahora su aplicación para Carpeta: cambia cada 30 segundos.',
        )
        .waitFor();
      assert.equal(await code.getAttribute('aria-invalid'), 'true');
      await screenshot(page, '21-mfa-wrong-code');
      await page.getByRole('button', { name: 'EN', exact: true }).click();
      await page.getByRole('heading', { level: 1, name: 'Two-step verification' }).waitFor();
      await alert
        .getByText(
          'That code is not correct. Enter the one your app shows for Carpeta right now: it changes every 30 seconds.',
        )
        .waitFor();
      await page.getByLabel('6-digit code').waitFor();
      // At phone size nothing scrolls sideways and the controls are at least 44 px.
      await page.setViewportSize({ width: 375, height: 812 });
      assert.ok((await horizontalOverflow(page)) <= 0, 'no horizontal scroll on the code prompt');
      const small = await page.evaluate(() =>
        [...document.querySelectorAll<HTMLElement>('main button, main input, main a')]
          .map((el) => ({ what: el.outerHTML.slice(0, 80), ...el.getBoundingClientRect().toJSON() }))
          .filter((r) => r.height < 44 || r.width < 44),
      );
      assert.deepEqual(small, []);
      await page.setViewportSize({ width: 1280, height: 800 });
      await page.getByRole('button', { name: 'ES', exact: true }).click();
      // The right code gets in, back on the settings, which open straight away.
      await answerCodePrompt(page, secret);
      await page.getByTestId('user-email').getByText(email).waitFor();
      await page.getByLabel('Nombre de la empresa').waitFor();
      assert.equal(await page.getByTestId('mfa-required').count(), 0);
      // "Su cuenta" (the email in the header) says it is on.
      await page.getByRole('link', { name: `Su cuenta: ${email}` }).click();
      await page.getByRole('heading', { level: 1, name: 'Su cuenta' }).waitFor();
      await page.getByTestId('mfa-status').getByText('Activada.', { exact: false }).waitFor();

      // Signed in with the app's code, the admin stays signed in: a reload of a deep link returns to it,
      // and so does a new tab (issue 15, item 2: the refresh token of an MFA sign-in is kept).
      await page.goto(`${e.url}/admin/settings`);
      await page.getByLabel('Nombre de la empresa').waitFor();
      await page.reload();
      await page.getByLabel('Nombre de la empresa').waitFor();
      await page.getByTestId('user-email').getByText(email).waitFor();
      const tab = await ctx.newPage();
      await tab.goto(`${e.url}/admin/settings`);
      await tab.getByLabel('Nombre de la empresa').waitFor();
      assert.equal(await tab.getByRole('heading', { level: 1, name: 'Entrar' }).count(), 0);
      await screenshot(tab, '20b-admin-new-tab-signed-in');
      await page.reload();
      await page.getByLabel('Nombre de la empresa').waitFor();
      assert.deepEqual(errors, []);
      await ctx.close();
    },
  );

  test('at phone size (375x812) nothing scrolls sideways and controls are at least 44 px', async () => {
    const ctx = await newContext(e.browser, {
      locale: 'es-ES',
      viewport: { width: 375, height: 812 },
      isMobile: true,
      hasTouch: true,
    });
    const { page, errors } = await watchedPage(ctx, []);
    await page.goto(`${e.url}/`);
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
    const { page, errors } = await watchedPage(ctx, []);
    await page.goto(`${e.url}/no/such/page`);
    await page.getByRole('heading', { level: 1, name: 'Page not found' }).waitFor();
    assert.deepEqual(errors, []);
    await ctx.close();
  });
});
