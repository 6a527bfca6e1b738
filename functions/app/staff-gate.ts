/**
 * The staff function's gate, after the token's audience check:
 *  - the account must still be an active staff account in our table (disabling
 *    staff takes effect within STAFF_STATUS_CACHE_SECONDS, default 15 s, whatever
 *    tokens they hold);
 *  - admin routes re-read the account (admin rights can be taken away) and require
 *    two-step verification (TOTP): Cognito asks every user who has switched it on
 *    for a code at each sign-in, so "switched on" is what we check, every time.
 */
import { AppError, Forbidden, Unauthorized } from '../lib/errors.ts';
import type { Caller } from '../lib/http.ts';
import type { Audience } from '../routes.ts';
import { totpEnabled } from '../aws/cognito.ts';
import { getProfile, type UserProfile } from '../store/users.ts';

export class MfaRequired extends AppError {
  constructor() {
    super(403, 'mfa_required', 'Administrators must switch on two-step verification (an authenticator app) first.');
  }
}

const cache = new Map<string, { profile?: UserProfile; at: number }>();
const cacheMs = () => Number(process.env.STAFF_STATUS_CACHE_SECONDS ?? 15) * 1000;

async function staffProfile(sub: string, fresh: boolean): Promise<UserProfile | undefined> {
  const hit = cache.get(sub);
  if (!fresh && hit && Date.now() - hit.at < cacheMs()) return hit.profile;
  const profile = await getProfile(sub);
  cache.set(sub, { profile, at: Date.now() });
  return profile;
}

export async function staffGuard(audience: Audience, caller: Caller): Promise<void> {
  if (audience !== 'staff' && audience !== 'admin') return;
  const profile = await staffProfile(caller.sub, audience === 'admin');
  if (!profile || profile.kind !== 'staff' || profile.status !== 'active')
    throw new Unauthorized('This account is disabled.');
  if (audience !== 'admin') return;
  if (profile.role !== 'admin') throw new Forbidden();
  if (!(await totpEnabled(caller.username))) throw new MfaRequired();
}
