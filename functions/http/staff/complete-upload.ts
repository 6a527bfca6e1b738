import * as z from 'zod';
import { completeUpload } from '../../app/documents.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { fileVersionParams, sha256Hex, staffCtx } from '../schemas.ts';

const body = z.strictObject({
  parts: z
    .array(
      z.strictObject({
        partNumber: z.number().int().min(1).max(10000),
        etag: z.string().min(1).max(200),
        sha256: sha256Hex.optional(),
      }),
    )
    .max(10000)
    .optional(),
});

/** POST /files/{id}/versions/{versionId}/complete: verifies the bytes in S3 and makes the version current. */
export default defineStaffRoute({ params: fileVersionParams, body }, async ({ params, body }, req) =>
  ok(await completeUpload(req.deps, params.id, params.versionId, body, staffCtx(req))),
);
