import * as z from 'zod';
import { startUpload } from '../../app/documents.ts';
import { created, defineStaffRoute } from '../define.ts';
import { contentType, idParam, itemName, sha256Hex, size, staffCtx } from '../schemas.ts';

/** `sha256`: the content's SHA-256, which S3 is then told to enforce (the site always sends it). */
const body = z.strictObject({ name: itemName, size, contentType, sha256: sha256Hex.optional() });

/** POST /folders/{id}/files: a presigned POST (or a multipart upload and its part URLs) for a new file. */
export default defineStaffRoute({ params: idParam, body }, async ({ params, body }, req) =>
  created(await startUpload(req.deps, params.id, body, staffCtx(req))),
);
