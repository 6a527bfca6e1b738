import * as z from 'zod';
import { uploadPartUrls } from '../../app/documents.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { fileVersionParams, sha256Hex } from '../schemas.ts';

const query = z.object({
  from: z.coerce.number().int().min(1).max(10_000),
  to: z.coerce.number().int().min(1).max(10_000),
  /** The parts' SHA-256s (hex, comma-separated, in part order) when the upload declared its sha256. */
  checksums: z
    .string()
    .max(50 * 65)
    .transform((s) => s.split(','))
    .pipe(z.array(sha256Hex))
    .optional(),
});

/**
 * GET /files/{id}/versions/{versionId}/parts?from=&to=: the next page (at most 100) of a pending multipart
 * upload's part URLs, each living as long as those parts take to send. One response stays small whatever
 * the file's size (a few thousand URLs in one answer would pass Lambda's 6 MB limit). An upload that
 * declared its SHA-256 sends its parts' SHA-256s too (at most 50 a page), and each URL signs its part's.
 */
export default defineStaffRoute({ params: fileVersionParams, query }, async ({ params, query }, req) =>
  ok(await uploadPartUrls(req.deps, params.id, params.versionId, query)),
);
