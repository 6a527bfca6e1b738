import * as z from 'zod';
import { defineRoute, ok } from '../../lib/http.ts';
import { idParam, itemName, staffCtx } from '../schemas.ts';
import { restoreItem } from '../../app/documents.ts';

const body = z.strictObject({ name: itemName.optional() });

/** POST /trash/{id}/restore: back to where it was; 409 if its name is taken now (pass a new name). */
export default defineRoute({ params: idParam, body }, async ({ params, body }, req) =>
  ok(await restoreItem(params.id, body, staffCtx(req))),
);
