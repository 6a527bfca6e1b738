import * as z from 'zod';
import { createStaffAccount } from '../../app/staff.ts';
import { created, defineStaffRoute } from '../define.ts';
import { email, language, personName, staffCtx } from '../schemas.ts';

const body = z.strictObject({
  email,
  name: personName(),
  role: z.enum(['admin', 'staff']).default('staff'),
  language: language.optional(),
});

/** POST /staff (admin): a staff account, invited by email to choose a password. */
export default defineStaffRoute({ body }, async ({ body }, req) =>
  created(await createStaffAccount(req.deps, body, staffCtx(req))),
);
