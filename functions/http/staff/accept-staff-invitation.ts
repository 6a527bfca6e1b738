import * as z from 'zod';
import { acceptInvitation } from '../../app/webusers.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { anonCtx } from '../schemas.ts';

const body = z.strictObject({ token: z.string().min(1).max(512), password: z.string().max(1024) });

/**
 * POST /auth/staff-invitations/accept: a new staff member sets their password from a one-time invitation
 * link. Served by the staff function, so the internet-facing link function never sets a staff password.
 */
export default defineStaffRoute({ body }, async ({ body }, req) => {
  return ok(await acceptInvitation(req.deps, body, anonCtx(req), 'staff'));
});
