import * as z from 'zod';
import { updateFile } from '../../app/documents.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { idParam, itemName, staffCtx, version } from '../schemas.ts';

const body = z.strictObject({
  name: itemName.optional(),
  folderId: z.string().min(1).max(64).optional(),
  requiresAcknowledgement: z.boolean().nullable().optional(),
  version,
});

/** PATCH /files/{id}: rename, move and/or ask clients to confirm receipt (null = as its folder), by version. */
export default defineStaffRoute({ params: idParam, body }, async ({ params, body }, req) =>
  ok(await updateFile(req.deps, params.id, body, staffCtx(req))),
);
