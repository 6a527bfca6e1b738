import * as z from 'zod';
import { acceptInvitation } from '../../app/webusers.ts';
import { defineLinkRoute, ok } from '../define.ts';
import { anonCtx } from '../schemas.ts';

const body = z.strictObject({ token: z.string().min(1).max(512), password: z.string().max(1024) });

/** POST /auth/invitations/accept: a client sets their password from a one-time invitation link (web users only). */
export default defineLinkRoute({ body }, async ({ body }, req) => {
  return ok(await acceptInvitation(req.deps, body, anonCtx(req), 'webuser'));
});
