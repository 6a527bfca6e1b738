import * as z from 'zod';
import { staffDownload } from '../../app/documents.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { idParam, staffCtx } from '../schemas.ts';

const query = z.object({
  versionId: z.string().min(1).max(64).optional(),
  disposition: z.enum(['attachment', 'inline']).default('attachment'),
});

/** GET /files/{id}/download: a presigned GET (at most 300 s) for the current or a chosen version. */
export default defineStaffRoute({ params: idParam, query }, async ({ params, query }, req) =>
  ok(await staffDownload(req.deps, params.id, query, staffCtx(req))),
);
