/**
 * Two-step verification (TOTP) for staff, straight to Cognito with the
 * user's access token: AssociateSoftwareToken → VerifySoftwareToken →
 * SetUserMFAPreference. Here, in the staff chunk (its texts are in
 * i18n/staff.*.ts); the sign-in side (the SOFTWARE_TOKEN_MFA challenge) is in
 * auth.ts.
 */
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

/** Step 1: a new secret (base32) for the authenticator app. */
export async function startMfaEnrolment(): Promise<string> {
  const r = await withToken<{ SecretCode?: string }>('AssociateSoftwareToken', {});
  if (!r.SecretCode) throw new AuthError('UnknownError', 'no secret');
  return r.SecretCode;
}

/** Step 2: the app's current code proves it has the secret; then TOTP becomes the user's (preferred) MFA. */
export async function finishMfaEnrolment(code: string, deviceName: string): Promise<void> {
  const r = await withToken<{ Status?: string }>('VerifySoftwareToken', {
    UserCode: code,
    FriendlyDeviceName: deviceName,
  });
  if (r.Status !== 'SUCCESS') throw new AuthError('CodeMismatchException', `verification ${r.Status ?? 'failed'}`);
  await withToken('SetUserMFAPreference', { SoftwareTokenMfaSettings: { Enabled: true, PreferredMfa: true } });
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
