import * as z from 'zod';
import { updateStaffAccount } from '../../app/staff.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { idParam, personName, staffCtx } from '../schemas.ts';

const body = z.strictObject({
  name: personName().optional(),
  role: z.enum(['admin', 'staff']).optional(),
  status: z.enum(['active', 'disabled']).optional(),
});

/** PATCH /staff/{id} (admin): rename, make or unmake admin, disable (refused within seconds) or enable. */
export default defineStaffRoute({ params: idParam, body }, async ({ params, body }, req) =>
  ok(await updateStaffAccount(req.deps, params.id, body, staffCtx(req))),
);
