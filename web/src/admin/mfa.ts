/**
 * Two-step verification (TOTP) for staff. Turning it on goes through the API, which needs a code mailed to
 * the account at each step (POST /me/two-step/code, /authenticator, /authenticator/confirm) and then ends
 * every session of the account; whether it is on is read from Cognito with the user's own token. Here, in
 * the staff chunk (its texts are in i18n/staff.*.ts); the sign-in side (the SOFTWARE_TOKEN_MFA
 * challenge) is in auth.ts.
 */
import * as api from '../api.ts';
import { ApiError } from '../api.ts';
import { AuthError, accessToken, cognito } from '../auth.ts';

async function withToken<T>(target: string, body: Record<string, unknown>): Promise<T> {
  const token = await accessToken();
  if (!token) throw new AuthError('NotAuthorizedException', 'signed out');
  return cognito<T>(target, { AccessToken: token, ...body });
}

/** Whether the signed-in user has an authenticator app for two-step verification. */
export async function mfaEnabled(): Promise<boolean> {
  const r = await withToken<{ UserMFASettingList?: string[]; PreferredMfaSetting?: string }>('GetUser', {});
  return (r.UserMFASettingList ?? []).includes('SOFTWARE_TOKEN_MFA') || r.PreferredMfaSetting === 'SOFTWARE_TOKEN_MFA';
}

/** Step 1: a 6-digit code mailed to the account (429 when one was sent in the last 30 s). */
export async function mailEnrolmentCode(): Promise<void> {
  await api.mailTwoStepCode();
}

/** Step 2: with the mailed code, a new secret (base32) for the authenticator app. */
export async function startMfaEnrolment(emailCode: string): Promise<string> {
  return (await api.startTwoStep(emailCode)).secret;
}

/**
 * Step 3: the app's current code proves it has the secret; TOTP becomes required at sign-in, and every
 * session of the account ends (this one too).
 */
export async function finishMfaEnrolment(emailCode: string, code: string, deviceName: string): Promise<void> {
  await api.confirmTwoStep(emailCode, code, deviceName);
}

/** Which code a refused step was about: the mailed one, or the app's. */
export function enrolmentCodeError(err: unknown): 'email-wrong' | 'email-expired' | 'app-wrong' | undefined {
  if (!(err instanceof ApiError) || err.status !== 400) return undefined;
  if (err.field === 'code') return 'app-wrong';
  if (err.field !== 'emailCode') return undefined;
  return err.rule === 'code_wrong' ? 'email-wrong' : 'email-expired';
}

/** The API's answer when an admin route needs a user who has turned on two-step verification. */
export function isMfaRequired(err: unknown): boolean {
  return err instanceof ApiError && err.status === 403 && err.code === 'mfa_required';
}

/** The otpauth:// address authenticator apps understand (the QR code holds the same). */
export function otpauthUri(email: string, secret: string, issuer = 'Carpeta'): string {
  const enc = (s: string) => encodeURIComponent(s).replace(/%40/g, '@');
  return `otpauth://totp/${enc(issuer)}:${enc(email)}?secret=${enc(secret)}&issuer=${enc(issuer)}`;
}

/** "JBSWY3DPEHPK3PXP" → "JBSW Y3DP EHPK 3PXP", easier to type by hand. */
export function groupSecret(secret: string): string {
  return secret.replace(/\s+/g, '').replace(/(.{4})(?=.)/g, '$1 ');
}

/** One SVG path for the dark modules, a horizontal run at a time, after a quiet zone of `pad` modules. */
export function qrPath(size: number, dark: (x: number, y: number) => boolean, pad = 4): string {
  let d = '';
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; ) {
      if (!dark(x, y)) {
        x++;
        continue;
      }
      let run = 1;
      while (x + run < size && dark(x + run, y)) run++;
      d += `M${x + pad} ${y + pad}h${run}v1h-${run}z`;
      x += run;
    }
  }
  return d;
}
