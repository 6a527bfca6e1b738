import { signedInUser } from '../../app/portal.ts';
import { definePortalRoute, ok } from '../define.ts';

/** GET /me: who the token belongs to, for any signed-in user (staff or web user). */
export default definePortalRoute({}, async (_input, req) => ok(await signedInUser(req.deps, req.caller!)));
