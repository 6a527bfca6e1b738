/**
 * Two-step verification (TOTP) for staff. Turning it on goes through the API, which needs a code mailed to
 * the account at each step (POST /me/two-step/code, /authenticator, /authenticator/confirm) and then ends
 * every session of the account; whether it is on is read from Cognito with the user's own token. Here, in
 * the staff chunk, with the texts only these screens use; the sign-in side (the SOFTWARE_TOKEN_MFA
 * challenge) is in auth.ts.
 */
import { ApiError, api } from '../api.ts';
import { AuthError, accessToken, cognito } from '../auth.ts';
import { messages } from '../i18n.ts';

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
  await api('/me/two-step/code', { method: 'POST' });
}

/** Step 2: with the mailed code, a new secret (base32) for the authenticator app. */
export async function startMfaEnrolment(emailCode: string): Promise<string> {
  const r = await api<{ secret: string }>('/me/two-step/authenticator', { method: 'POST', body: { emailCode } });
  return r.secret;
}

/**
 * Step 3: the app's current code proves it has the secret; TOTP becomes required at sign-in, and every
 * session of the account ends (this one too).
 */
export async function finishMfaEnrolment(emailCode: string, code: string, deviceName: string): Promise<void> {
  await api('/me/two-step/authenticator/confirm', { method: 'POST', body: { emailCode, code, deviceName } });
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

export const tm = messages({
  es: {
    'account.title': 'Su cuenta',
    'account.link': 'Su cuenta y la verificación en dos pasos',
    'mfa.why':
      'Para entrar le pediremos, además de la contraseña, un código que su teléfono cambia cada 30 segundos. Así ' +
      'nadie puede entrar solo con su contraseña.',
    'mfa.on': 'Activada. Al entrar le pediremos un código de su aplicación de autenticación.',
    'mfa.off': 'Todavía no está activada.',
    'mfa.start': 'Activar la verificación en dos pasos',
    'mfa.emailSent':
      'Le hemos enviado un código de 6 dígitos a {email}. Escríbalo aquí: así sabemos que es usted, y no solo ' +
      'alguien con su contraseña.',
    'mfa.emailCode': 'Código del email',
    'mfa.emailContinue': 'Continuar',
    'mfa.emailResend': 'Enviar otro código',
    'mfa.emailResent': 'Le hemos enviado otro código.',
    'mfa.err.emailWrong': 'Ese no es el código que le enviamos. Escriba el del último email.',
    'mfa.err.emailExpired': 'El código ha caducado o ya no sirve. Pida otro con «Enviar otro código».',
    'mfa.err.emailTooSoon': 'Le acabamos de enviar un código: espere medio minuto antes de pedir otro.',
    'mfa.step1':
      'Instale en su teléfono una aplicación de autenticación, por ejemplo Google Authenticator, Microsoft ' +
      'Authenticator o 1Password.',
    'mfa.step2':
      'En la aplicación, añada una cuenta escaneando este código QR. Si está en el teléfono, use el botón ' +
      '«Añadir a la aplicación».',
    'mfa.qr': 'Código QR para añadir Carpeta a su aplicación de autenticación',
    'mfa.openApp': 'Añadir a la aplicación',
    'mfa.manual': 'Si no puede escanear el código, elija en la aplicación «Introducir una clave» y escriba esta:',
    'mfa.secret': 'Clave de configuración',
    'mfa.step3': 'Escriba el código de 6 dígitos que muestra ahora la aplicación.',
    'mfa.verify': 'Activar',
    'mfa.device': 'Aplicación de autenticación',
    'mfa.done':
      'Listo: la verificación en dos pasos está activada. Hemos cerrado sus sesiones: entre otra vez con el código ' +
      'de la aplicación.',
    'mfa.required.title': 'Hace falta la verificación en dos pasos',
    'mfa.required.text':
      'Las cuentas de administrador tienen que usar la verificación en dos pasos para ver y cambiar esta parte. ' +
      'Actívela ahora: se tarda un par de minutos y volverá aquí directamente.',
  },
  en: {
    'account.title': 'Your account',
    'account.link': 'Your account and two-step verification',
    'mfa.why':
      'Besides your password, signing in will ask for a code that your phone changes every 30 seconds. That way ' +
      'nobody can get in with your password alone.',
    'mfa.on': 'On. When you sign in we will ask for a code from your authenticator app.',
    'mfa.off': 'Not turned on yet.',
    'mfa.start': 'Turn on two-step verification',
    'mfa.emailSent':
      'We have sent a 6-digit code to {email}. Enter it here: that way we know it is you, not just someone with ' +
      'your password.',
    'mfa.emailCode': 'Code from the email',
    'mfa.emailContinue': 'Continue',
    'mfa.emailResend': 'Send another code',
    'mfa.emailResent': 'We have sent you another code.',
    'mfa.err.emailWrong': 'That is not the code we sent. Enter the one in the latest email.',
    'mfa.err.emailExpired': 'The code has expired or no longer works. Ask for another with “Send another code”.',
    'mfa.err.emailTooSoon': 'We have just sent you a code: wait half a minute before asking for another.',
    'mfa.step1':
      'Install an authenticator app on your phone, for example Google Authenticator, Microsoft Authenticator or ' +
      '1Password.',
    'mfa.step2':
      'In the app, add an account by scanning this QR code. If you are on your phone, use the “Add to the app” button.',
    'mfa.qr': 'QR code to add Carpeta to your authenticator app',
    'mfa.openApp': 'Add to the app',
    'mfa.manual': 'If you cannot scan the code, choose “Enter a setup key” in the app and type this one:',
    'mfa.secret': 'Setup key',
    'mfa.step3': 'Enter the 6-digit code the app shows now.',
    'mfa.verify': 'Turn on',
    'mfa.device': 'Authenticator app',
    'mfa.done':
      'Done: two-step verification is on. Your sessions were ended: sign in again with the code from the app.',
    'mfa.required.title': 'Two-step verification is required',
    'mfa.required.text':
      'Administrator accounts must use two-step verification to see and change this part. Turn it on now: it ' +
      'takes a couple of minutes, and you will come straight back here.',
  },
});
