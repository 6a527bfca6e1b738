import * as z from 'zod';
import { uploadPartUrls } from '../../app/documents.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { fileVersionParams } from '../schemas.ts';

const query = z.object({
  from: z.coerce.number().int().min(1).max(10_000),
  to: z.coerce.number().int().min(1).max(10_000),
});

/**
 * GET /files/{id}/versions/{versionId}/parts?from=&to=: the next page (at most 100) of a pending multipart
 * upload's part URLs, each living as long as those parts take to send. One response stays small whatever
 * the file's size (a few thousand URLs in one answer would pass Lambda's 6 MB limit).
 */
export default defineStaffRoute({ params: fileVersionParams, query }, async ({ params, query }, req) =>
  ok(await uploadPartUrls(req.deps, params.id, params.versionId, query)),
);
