import * as z from 'zod';
import { defineLinkRoute, noContent } from '../define.ts';
import { anonCtx } from '../schemas.ts';
import { acceptInvitation } from '../../app/webusers.ts';

const body = z.strictObject({ token: z.string().min(1).max(512), password: z.string().max(1024) });

/** POST /auth/invitations/accept: sets the password from a one-time invitation link. */
export default defineLinkRoute({ body }, async ({ body }, req) => {
  await acceptInvitation(req.deps, body, anonCtx(req));
  return noContent();
});
