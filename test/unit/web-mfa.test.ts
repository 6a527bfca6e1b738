/**
 * Two-step verification in the site, without a browser: the Cognito and API calls
 * (wire format, against a fake fetch), sign-out's revocation, the key and otpauth:// formatting, the
 * QR code's path, the code field's cleaning and the error mapping (the
 * dictionaries: web-i18n.test.ts).
 */

import assert from 'node:assert/strict';
import { afterEach, beforeAll, test } from '@jest/globals';
import { generate } from 'lean-qr/nano';
import {
  enrolmentCodeError,
  finishMfaEnrolment,
  groupSecret,
  isMfaRequired,
  mailEnrolmentCode,
  mfaEnabled,
  otpauthUri,
  qrPath,
  startMfaEnrolment,
} from '../../web/src/admin/mfa.ts';
import { ApiError } from '../../web/src/api.ts';
import { AuthError, answerMfa, signedInEmail, signIn, signOut } from '../../web/src/auth.ts';
import { loadConfig } from '../../web/src/config.ts';
import { cleanCode, isSessionGone, isWrongCode, mfaErrorText } from '../../web/src/screens/Mfa.tsx';

const ENDPOINT = 'http://cognito.test';
const realFetch = globalThis.fetch;
let calls: Array<{ target: string; body: Record<string, any> }> = [];
let answer: (target: string, body: Record<string, any>) => { status?: number; json: unknown } = () => ({ json: {} });

/** A JWT-shaped token (only its exp is read). */
const token = (exp = Math.floor(Date.now() / 1000) + 3600) =>
  `x.${Buffer.from(JSON.stringify({ exp })).toString('base64url')}.y`;

beforeAll(async () => {
  globalThis.fetch = (async (url: string | URL, init?: RequestInit) => {
    if (String(url) === '/config.json')
      return Response.json({
        apiUrl: 'http://api.test',
        region: 'eu-west-1',
        cognito: { endpoint: ENDPOINT, userPoolId: 'pool', clientId: 'client-1' },
      });
    const headers = init!.headers as Record<string, string>;
    if (String(url).startsWith('http://api.test/')) {
      // The API: recorded as "POST /me/two-step/code", with its bearer token.
      const target = `${init!.method} ${String(url).slice('http://api.test'.length)}`;
      const body = init!.body ? JSON.parse(String(init!.body)) : {};
      calls.push({ target, body: { ...body, bearer: headers.authorization } });
      const r = answer(target, body);
      return r.status === 204
        ? new Response(null, { status: 204 })
        : Response.json(r.json, { status: r.status ?? 200 });
    }
    assert.equal(String(url), `${ENDPOINT}/`);
    assert.equal(headers['content-type'], 'application/x-amz-json-1.1');
    const target = headers['x-amz-target'].replace('AWSCognitoIdentityProviderService.', '');
    const body = JSON.parse(String(init!.body));
    calls.push({ target, body });
    const r = answer(target, body);
    return Response.json(r.json, { status: r.status ?? 200 });
  }) as typeof fetch;
  await loadConfig();
});

afterEach(() => {
  signOut();
  calls = [];
});

process.on('exit', () => {
  globalThis.fetch = realFetch;
});

test('a user with an authenticator app gets the SOFTWARE_TOKEN_MFA step, answered with the code', async () => {
  answer = (target) =>
    target === 'InitiateAuth'
      ? { json: { ChallengeName: 'SOFTWARE_TOKEN_MFA', Session: 'sess-1', ChallengeParameters: {} } }
      : { json: { AuthenticationResult: { AccessToken: token(), IdToken: token(), RefreshToken: 'refresh-1' } } };
  const r = await signIn(' admin@example.com ', 'Pa55word!');
  assert.deepEqual(r, { kind: 'mfa', email: 'admin@example.com', session: 'sess-1' });
  assert.equal(signedInEmail(), undefined, 'not signed in before the code');
  assert.deepEqual(await answerMfa('admin@example.com', 'sess-1', '123456'), { kind: 'ok' });
  assert.deepEqual(calls[1], {
    target: 'RespondToAuthChallenge',
    body: {
      ChallengeName: 'SOFTWARE_TOKEN_MFA',
      ClientId: 'client-1',
      Session: 'sess-1',
      ChallengeResponses: { USERNAME: 'admin@example.com', SOFTWARE_TOKEN_MFA_CODE: '123456' },
    },
  });
  assert.equal(signedInEmail(), 'admin@example.com');
});

test('a wrong code is a CodeMismatchException, put into words; a used-up session is recognised', async () => {
  answer = () => ({
    status: 400,
    json: { __type: 'CodeMismatchException', message: 'Invalid code received for user' },
  });
  const err = await answerMfa('admin@example.com', 'sess-1', '000000').catch((e) => e);
  assert.ok(err instanceof AuthError && err.code === 'CodeMismatchException');
  assert.ok(isWrongCode(err));
  assert.match(mfaErrorText(err), /código no es correcto/);
  assert.ok(
    isWrongCode(new AuthError('EnableSoftwareTokenMFAException', 'Code mismatch and fail enable Software Token MFA')),
    'AWS VerifySoftwareToken',
  );
  assert.ok(
    isSessionGone(new AuthError('NotAuthorizedException', 'Invalid session for the user, session is expired.')),
  );
  assert.ok(!isSessionGone(new AuthError('NotAuthorizedException', 'Incorrect username or password.')));
  assert.ok(!isWrongCode(new AuthError('network', 'network')));
  assert.match(mfaErrorText(new AuthError('network', 'network')), /conexión/);
});

test(
  'enrolment goes through the API with the access ' + 'token: the mailed code, the secret, the confirmation',
  async () => {
    const access = token();
    answer = (target) => {
      if (target === 'InitiateAuth')
        return { json: { AuthenticationResult: { AccessToken: access, IdToken: token(), RefreshToken: 'r' } } };
      if (target === 'POST /me/two-step/code') return { status: 202, json: { expiresInSeconds: 600 } };
      if (target === 'POST /me/two-step/authenticator') return { json: { secret: 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP' } };
      if (target === 'POST /me/two-step/authenticator/confirm') return { json: { signedOut: true } };
      if (target === 'GetUser')
        return {
          json: {
            Username: 'u',
            UserMFASettingList: ['SOFTWARE_TOKEN_MFA'],
            PreferredMfaSetting: 'SOFTWARE_TOKEN_MFA',
          },
        };
      return { json: {} };
    };
    await signIn('admin@example.com', 'Pa55word!');
    await mailEnrolmentCode();
    assert.equal(await startMfaEnrolment('246810'), 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
    await finishMfaEnrolment('246810', '123456', 'Authenticator app');
    assert.equal(await mfaEnabled(), true);
    const bearer = `Bearer ${access}`;
    assert.deepEqual(
      calls.slice(1).map((c) => [c.target, c.body]),
      [
        ['POST /me/two-step/code', { bearer }],
        ['POST /me/two-step/authenticator', { emailCode: '246810', bearer }],
        [
          'POST /me/two-step/authenticator/confirm',
          { emailCode: '246810', code: '123456', deviceName: 'Authenticator app', bearer },
        ],
        ['GetUser', { AccessToken: access }],
      ],
    );
  },
);

test('a refused code says which one: the mailed code (wrong or expired) or the app code', () => {
  const refused = (field: string, rule: string) => new ApiError(400, 'invalid', 'x', field, rule);
  assert.equal(enrolmentCodeError(refused('emailCode', 'code_wrong')), 'email-wrong');
  assert.equal(enrolmentCodeError(refused('emailCode', 'code_expired')), 'email-expired');
  assert.equal(enrolmentCodeError(refused('emailCode', 'code_exhausted')), 'email-expired');
  assert.equal(enrolmentCodeError(refused('code', 'code_wrong')), 'app-wrong');
  assert.equal(enrolmentCodeError(new ApiError(503, 'unavailable', 'x')), undefined);
});

test('signing out revokes the refresh token at Cognito, so a copy of it mints nothing', async () => {
  answer = (target) =>
    target === 'InitiateAuth'
      ? { json: { AuthenticationResult: { AccessToken: token(), IdToken: token(), RefreshToken: 'refresh-1' } } }
      : { json: {} };
  await signIn('admin@example.com', 'Pa55word!');
  signOut();
  await new Promise((r) => setTimeout(r, 0));
  assert.deepEqual(calls.at(-1), { target: 'RevokeToken', body: { Token: 'refresh-1', ClientId: 'client-1' } });
  assert.equal(signedInEmail(), undefined);
});

test('the key in groups of 4, the otpauth:// address, and mfa_required', () => {
  assert.equal(
    groupSecret('JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP'),
    'JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP JBSW Y3DP EHPK 3PXP',
  );
  assert.equal(groupSecret('ABCDEF'), 'ABCD EF');
  assert.equal(
    otpauthUri('ana.pérez+1@example.com', 'JBSWY3DP'),
    'otpauth://totp/Carpeta:ana.p%C3%A9rez%2B1@example.com?secret=JBSWY3DP&issuer=Carpeta',
  );
  assert.equal(
    otpauthUri('admin@example.com', 'ABC'),
    'otpauth://totp/Carpeta:admin@example.com?secret=ABC&issuer=Carpeta',
  );
  assert.ok(isMfaRequired(new ApiError(403, 'mfa_required', 'x')));
  assert.ok(!isMfaRequired(new ApiError(403, 'forbidden', 'x')));
});

test('the code field keeps digits only, six at most', () => {
  assert.equal(cleanCode(' 123 456 '), '123456');
  assert.equal(cleanCode('12a3-4567'), '123456');
  assert.equal(cleanCode('abc'), '');
});

test('the QR path draws exactly the dark modules, with a 4-module quiet zone', () => {
  const uri = otpauthUri('admin@example.com', 'JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP');
  const code = generate(uri);
  assert.ok(code.size >= 21 && (code.size - 17) % 4 === 0, `a QR size: ${code.size}`);
  // Finder patterns: 7x7 dark rings in three corners.
  for (const [ox, oy] of [
    [0, 0],
    [code.size - 7, 0],
    [0, code.size - 7],
  ]) {
    for (let i = 0; i < 7; i++) {
      assert.ok(code.get(ox + i, oy) && code.get(ox + i, oy + 6) && code.get(ox, oy + i) && code.get(ox + 6, oy + i));
      if (i > 0 && i < 6) assert.ok(!code.get(ox + 1, oy + i) && !code.get(ox + i, oy + 1));
    }
  }
  const d = qrPath(code.size, code.get);
  const drawn = new Set<string>();
  for (const m of d.matchAll(/M(\d+) (\d+)h(\d+)v1h-(\d+)z/g)) {
    assert.equal(m[3], m[4]);
    for (let k = 0; k < Number(m[3]); k++) drawn.add(`${Number(m[1]) + k - 4},${Number(m[2]) - 4}`);
  }
  for (let y = 0; y < code.size; y++)
    for (let x = 0; x < code.size; x++) assert.equal(drawn.has(`${x},${y}`), code.get(x, y), `${x},${y}`);
  assert.equal(d.replace(/M(\d+) (\d+)h(\d+)v1h-(\d+)z/g, ''), '', 'nothing else in the path');
});
