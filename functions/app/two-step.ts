/**
 * Turning on (or replacing) a staff member's authenticator app. Knowing the password is not enough: each
 * step needs a one-time code mailed to the account's address, and the last one signs the account out
 * everywhere, so no session from before (a refresh token of a password-only sign-in) outlives it. The
 * account's new authenticator is recorded with when it was confirmed; admin routes accept only sessions
 * that began since (functions/app/staff-gate.ts).
 *
 * Each call takes the caller's own access token: Cognito's AssociateSoftwareToken and
 * VerifySoftwareToken act on the token's user, so nobody enrols an authenticator for someone else.
 */

import { twoStepCodeMail } from '../domain/emails.ts';
import { checkTwoStepCode, TWO_STEP_CODE } from '../domain/two-step.ts';
import { Conflict, Invalid, MailFailed, NotFound, TooManyRequests } from '../lib/errors.ts';
import { hashToken, newNumericCode } from '../lib/ids.ts';
import { record, type StaffCtx } from './access.ts';
import { sendBranded } from './branding.ts';
import type { Needs } from './ports.ts';
import { bestEffort } from './undo.ts';

export type TwoStepDeps = Needs<'users' | 'twoStep' | 'identity' | 'mailer' | 'settings' | 'activity' | 'config'>;

/** Whose enrolment: the signed-in staff member, with the access token of this session. */
export interface TwoStepSession {
  sub: string;
  username: string;
  accessToken: string;
}

/** Mails a fresh code to the account's own address (one every 30 s at most). */
export async function mailTwoStepCode(
  deps: TwoStepDeps,
  session: TwoStepSession,
  ctx: StaffCtx,
): Promise<{ expiresInSeconds: number }> {
  const profile = await deps.users.getProfile(session.sub);
  if (profile?.kind !== 'staff') throw new NotFound();
  const code = newNumericCode();
  const stored = {
    userId: session.sub,
    codeHash: hashToken(code),
    sentAt: ctx.now.toISOString(),
    expiresAt: new Date(ctx.now.getTime() + TWO_STEP_CODE.minutes * 60_000).toISOString(),
    attempts: 0,
  };
  // The write refuses when a code went out less than 30 s ago (parallel requests included).
  const [fresh, settings] = await Promise.all([deps.twoStep.putTwoStepCode(stored), deps.settings.getSettings()]);
  if (!fresh) throw new TooManyRequests(TWO_STEP_CODE.resendSeconds);
  try {
    await sendBranded(deps, settings, profile.email, (brand) =>
      twoStepCodeMail({ lang: profile.language, ...brand, code, minutes: TWO_STEP_CODE.minutes }),
    );
  } catch (err) {
    // No mail, no code: the retry may send one at once.
    await bestEffort(ctx.log, {
      leftBehind: 'a two-step code nobody received (it expires)',
      run: () => deps.twoStep.deleteTwoStepCode(session.sub),
    });
    throw err instanceof MailFailed ? err : new MailFailed();
  }
  return { expiresInSeconds: TWO_STEP_CODE.minutes * 60 };
}

/** The mailed code must be the live one; a wrong one is counted (five tries per code). */
async function provenByMail(deps: TwoStepDeps, sub: string, emailCode: string, now: Date): Promise<string> {
  const given = hashToken(emailCode);
  const stored = await deps.twoStep.getTwoStepCode(sub);
  const verdict = checkTwoStepCode(stored, given, now);
  if (verdict === 'ok') return given;
  if (verdict === 'wrong') {
    await deps.twoStep.countWrongTwoStepCode(sub, stored!.codeHash);
    throw new Invalid('emailCode: this is not the code we mailed.', 'emailCode', 'code_wrong');
  }
  throw new Invalid(
    verdict === 'exhausted'
      ? 'emailCode: too many wrong codes; ask for a new one.'
      : 'emailCode: the code has expired or was never sent; ask for a new one.',
    'emailCode',
    verdict === 'exhausted' ? 'code_exhausted' : 'code_expired',
  );
}

/** Step 2: with the mailed code, a new secret for the authenticator app (the QR code's content). */
export async function startAuthenticator(
  deps: TwoStepDeps,
  session: TwoStepSession,
  emailCode: string,
  ctx: StaffCtx,
): Promise<{ secret: string }> {
  await provenByMail(deps, session.sub, emailCode, ctx.now);
  return { secret: await deps.identity.associateTotp(session.accessToken) };
}

/**
 * Step 3: the app's current code confirms it; TOTP becomes required at sign-in; every session of the account
 * ends (this one too: the next sign-in asks for the app's code); the profile records since when.
 */
export async function confirmAuthenticator(
  deps: TwoStepDeps,
  session: TwoStepSession,
  input: { emailCode: string; code: string; deviceName: string },
  ctx: StaffCtx,
): Promise<{ signedOut: true }> {
  const codeHash = await provenByMail(deps, session.sub, input.emailCode, ctx.now);
  if (!(await deps.identity.confirmTotp(session.accessToken, input.code, input.deviceName)))
    throw new Invalid('code: this is not the code the authenticator app shows now.', 'code', 'code_wrong');
  // Signed out first: if recording fails after, the next sign-in already asks for the app's code, and enrolling
  // again (which that session may do) records it.
  await deps.identity.signOutEverywhere(session.username);
  const since = ctx.now.toISOString();
  if (!(await deps.twoStep.completeTwoStep(session.sub, codeHash, since)))
    throw new Conflict('This code was used meanwhile; ask for a new one.', 'code_spent');
  await bestEffort(
    ctx.log,
    {
      leftBehind: 'no activity event for turning on two-step verification',
      run: () =>
        record(deps, ctx, {
          type: 'two_step.enabled',
          actor: ctx.actor,
          target: { kind: 'user', id: session.sub },
          details: { deviceName: input.deviceName },
        }),
    },
    { user: session.sub },
  );
  return { signedOut: true };
}
