import { defineRoute, ok } from '../../lib/http.ts';
import { Unauthorized } from '../../lib/errors.ts';
import { getProfile } from '../../store/users.ts';

/** GET /portal/me: the signed-in web user. */
export default defineRoute({}, async (_input, req) => {
  const profile = await getProfile(req.caller!.sub);
  if (!profile || profile.status === 'disabled') throw new Unauthorized('This account is disabled.');
  return ok({ user: { id: profile.id, email: profile.email, name: profile.name, language: profile.language } });
});
