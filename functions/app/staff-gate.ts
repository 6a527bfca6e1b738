/**
 * Admins must use two-step verification (TOTP). Cognito asks every user who has
 * switched it on for a code at each sign-in, so "switched on" is what we check,
 * on every admin request, from Cognito's current data.
 */
import { AppError } from '../lib/errors.ts';
import type { Caller } from '../lib/http.ts';
import { totpEnabled } from '../aws/cognito.ts';

export class MfaRequired extends AppError {
  constructor() {
    super(403, 'mfa_required', 'Administrators must switch on two-step verification (an authenticator app) first.');
  }
}

export async function requireAdminMfa(caller: Caller): Promise<void> {
  if (!(await totpEnabled(caller.username))) throw new MfaRequired();
}
