import { defineRoute, ok } from '../../lib/http.ts';
import { Unauthorized } from '../../lib/errors.ts';
import { getProfile } from '../../store/users.ts';

/** GET /me: who the token belongs to, for any signed-in user (staff or web user). */
export default defineRoute({}, async (_input, req) => {
  const caller = req.caller!;
  const profile = await getProfile(caller.sub);
  if (profile?.status === 'disabled') throw new Unauthorized('This account is disabled.');
  return ok({ id: caller.sub, email: profile?.email ?? null, name: profile?.name ?? null, groups: caller.groups });
});
