import * as z from 'zod';
import { startUpload } from '../../app/documents.ts';
import { created, defineStaffRoute } from '../define.ts';
import { contentType, idParam, itemName, size, staffCtx } from '../schemas.ts';

const body = z.strictObject({ name: itemName, size, contentType });

/** POST /folders/{id}/files: a presigned POST (or multipart part URLs) for a new file. */
export default defineStaffRoute({ params: idParam, body }, async ({ params, body }, req) =>
  created(await startUpload(req.deps, params.id, body, staffCtx(req))),
);
