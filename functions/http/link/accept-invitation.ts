import * as z from 'zod';
import { defineRoute, noContent } from '../../lib/http.ts';
import { anonCtx } from '../schemas.ts';
import { acceptInvitation } from '../../app/webusers.ts';

const body = z.strictObject({ token: z.string().min(1).max(512), password: z.string().max(1024) });

/** POST /auth/invitations/accept: sets the password from a one-time invitation link. */
export default defineRoute({ body }, async ({ body }, req) => {
  await acceptInvitation(body, anonCtx(req));
  return noContent();
});
