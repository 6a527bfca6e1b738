import * as z from 'zod';
import { updateWebuser } from '../../app/webusers.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { idParam, language, personName, staffCtx } from '../schemas.ts';

const body = z.strictObject({
  name: personName().optional(),
  language: language.optional(),
  status: z.enum(['active', 'disabled']).optional(),
});

/** PATCH /webusers/{id}: rename, change language, disable (effective on their next request) or enable. */
export default defineStaffRoute({ params: idParam, body }, async ({ params, body }, req) =>
  ok(await updateWebuser(req.deps, params.id, body, staffCtx(req))),
);
