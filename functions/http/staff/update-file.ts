import * as z from 'zod';
import { updateFile } from '../../app/documents.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { idParam, itemName, staffCtx, version } from '../schemas.ts';

const body = z.strictObject({ name: itemName.optional(), folderId: z.string().min(1).max(64).optional(), version });

/** PATCH /files/{id}: rename and/or move, guarded by the file's version. */
export default defineStaffRoute({ params: idParam, body }, async ({ params, body }, req) =>
  ok(await updateFile(req.deps, params.id, body, staffCtx(req))),
);
