import * as z from 'zod';
import { defineRoute, ok } from '../../lib/http.ts';
import { idParam, itemName, staffCtx, version } from '../schemas.ts';
import { updateFile } from '../../app/documents.ts';

const body = z.strictObject({ name: itemName.optional(), folderId: z.string().min(1).max(64).optional(), version });

/** PATCH /files/{id}: rename and/or move, guarded by the file's version. */
export default defineRoute({ params: idParam, body }, async ({ params, body }, req) =>
  ok(await updateFile(params.id, body, staffCtx(req))),
);
