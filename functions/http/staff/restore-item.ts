import * as z from 'zod';
import { restoreItem } from '../../app/documents.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { idParam, itemName, staffCtx } from '../schemas.ts';

const body = z.strictObject({ name: itemName.optional() });

/** POST /trash/{id}/restore: back to where it was; 409 if its name is taken now (pass a new name). */
export default defineStaffRoute({ params: idParam, body }, async ({ params, body }, req) =>
  ok(await restoreItem(req.deps, params.id, body, staffCtx(req))),
);
