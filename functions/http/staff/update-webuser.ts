import * as z from 'zod';
import { defineRoute, ok } from '../../lib/http.ts';
import { idParam, language, personName, staffCtx } from '../schemas.ts';
import { updateWebuser } from '../../app/webusers.ts';

const body = z.strictObject({
  name: personName().optional(),
  language: language.optional(),
  status: z.enum(['active', 'disabled']).optional(),
});

/** PATCH /webusers/{id}: rename, change language, disable (effective on their next request) or enable. */
export default defineRoute({ params: idParam, body }, async ({ params, body }, req) =>
  ok(await updateWebuser(params.id, body, staffCtx(req))),
);
