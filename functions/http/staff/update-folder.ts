import * as z from 'zod';
import { updateFolder } from '../../app/documents.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { idParam, itemName, staffCtx, version } from '../schemas.ts';

const body = z.strictObject({
  name: itemName.optional(),
  parentId: z.string().min(1).max(64).optional(),
  receiptsToUploader: z.boolean().nullable().optional(),
  version,
});

/** PATCH /folders/{id}: rename, move and/or set uploader receipts (null = inherit), guarded by the folder's version. */
export default defineStaffRoute({ params: idParam, body }, async ({ params, body }, req) =>
  ok(await updateFolder(req.deps, params.id, body, staffCtx(req))),
);
