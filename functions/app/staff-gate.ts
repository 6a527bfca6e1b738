/**
 * The staff function's gate, after the token's audience check:
 *  - the account must still be an active staff account in our table (disabling
 *    staff takes effect within STAFF_STATUS_CACHE_SECONDS, default 15 s, whatever
 *    tokens they hold);
 *  - admin routes re-read the account (admin rights can be taken away) and require
 *    two-step verification per session, not per account: the account's authenticator
 *    was confirmed through our flow (a code mailed to it, functions/app/two-step.ts),
 *    this session began (`auth_time`) no earlier than that, and Cognito still holds
 *    the session live with TOTP on (GetUser with the caller's own token: a session
 *    signed out everywhere, or revoked, ends here even while its token is unexpired).
 */

import type { UserProfile } from '../domain/model.ts';
import { sessionPassesTwoStep } from '../domain/two-step.ts';
import { AppError, Forbidden, Unauthorized } from '../lib/errors.ts';
import type { Caller } from '../lib/http.ts';
import type { Audience } from '../routes.ts';
import type { Needs } from './ports.ts';

export class MfaRequired extends AppError {
  constructor() {
    super(403, 'mfa_required', 'Administrators must switch on two-step verification (an authenticator app) first.');
  }
}

/** A session from before two-step verification was turned on: only a new sign-in (with the app's code) will do. */
export class MfaSessionTooOld extends AppError {
  constructor() {
    super(403, 'mfa_sign_in_again', 'Sign in again: this session began before two-step verification was turned on.');
  }
}

type Gate = Needs<'users' | 'identity' | 'clock' | 'config'>;

/** Per container: a staff account's profile as last read, and when. */
const cache = new Map<string, { profile?: UserProfile; at: number }>();

async function staffProfile(deps: Gate, sub: string, fresh: boolean): Promise<UserProfile | undefined> {
  const hit = cache.get(sub);
  const now = deps.clock.now().getTime();
  if (!fresh && hit && now - hit.at < deps.config.staffStatusCacheSeconds * 1000) return hit.profile;
  const profile = await deps.users.getProfile(sub);
  cache.set(sub, { profile, at: deps.clock.now().getTime() });
  return profile;
}

export async function staffGuard(deps: Gate, audience: Audience, caller: Caller): Promise<void> {
  if (audience !== 'staff' && audience !== 'admin') return;
  const profile = await staffProfile(deps, caller.sub, audience === 'admin');
  if (profile?.kind !== 'staff' || profile.status !== 'active') throw new Unauthorized('This account is disabled.');
  if (audience !== 'admin') return;
  if (profile.role !== 'admin') throw new Forbidden();
  if (!profile.twoStepSince) throw new MfaRequired();
  if (!sessionPassesTwoStep(caller.authTime, profile.twoStepSince)) throw new MfaSessionTooOld();
  const session = await deps.identity.sessionTwoStep(caller.accessToken ?? '');
  if (!session.totp) throw new MfaRequired();
}
