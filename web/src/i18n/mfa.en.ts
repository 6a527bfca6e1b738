/** English: the sign-in's two-step verification step. Exactly the keys of mfa.es.ts. */
import type { MfaKey } from './mfa.es.ts';

export const mfaEn: Record<MfaKey, string> = {
  'mfa.title': 'Two-step verification',
  'mfa.intro': 'Open your authenticator app and enter the 6-digit code it shows for Carpeta.',
  'mfa.code': '6-digit code',
  'mfa.submit': 'Verify',
  'mfa.back': 'Sign in with another account',
  'mfa.err.code':
    'That code is not correct. Enter the one your app shows for Carpeta right now: it changes every 30 ' + 'seconds.',
  'mfa.err.format': 'Enter the 6 digits of the code.',
};
