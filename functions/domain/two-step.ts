/**
 * Two-step verification for staff: turning it on (or replacing the authenticator app) proves more than the
 * password, with a one-time code mailed to the account's address; admin routes then accept only sessions
 * that began after it was turned on. The rules here; the flow in functions/app/two-step.ts.
 */

/** How long a mailed code works, how many wrong tries it survives, and how soon another may be sent. */
export const TWO_STEP_CODE = { minutes: 10, attempts: 5, resendSeconds: 30 } as const;

/** A mailed code as stored: only its hash. */
export interface TwoStepCode {
  userId: string;
  codeHash: string;
  sentAt: string;
  expiresAt: string;
  /** Wrong codes tried so far. */
  attempts: number;
}

export type CodeCheck = 'ok' | 'wrong' | 'expired' | 'exhausted' | 'none';

/** What a code the user typed is worth against the stored one. */
export function checkTwoStepCode(stored: TwoStepCode | undefined, givenHash: string, now: Date): CodeCheck {
  if (!stored) return 'none';
  if (Date.parse(stored.expiresAt) <= now.getTime()) return 'expired';
  if (stored.attempts >= TWO_STEP_CODE.attempts) return 'exhausted';
  return stored.codeHash === givenHash ? 'ok' : 'wrong';
}

/**
 * Whether a session may use admin routes: it began (Cognito's `auth_time`, seconds) no earlier than the
 * second two-step verification was turned on. A session from before (a refresh token minted from a
 * password-only sign-in) never does, however long its refresh token lives.
 */
export function sessionPassesTwoStep(authTime: string | undefined, twoStepSince: string | undefined): boolean {
  if (!twoStepSince || authTime === undefined || !/^\d+$/.test(authTime)) return false;
  return Number(authTime) >= Math.floor(Date.parse(twoStepSince) / 1000);
}
