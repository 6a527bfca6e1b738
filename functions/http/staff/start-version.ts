import * as z from 'zod';
import { startNewVersion } from '../../app/documents.ts';
import { created, defineStaffRoute } from '../define.ts';
import { contentType, idParam, sha256Hex, size, staffCtx } from '../schemas.ts';

const body = z.strictObject({ size, contentType, sha256: sha256Hex.optional() });

/** POST /files/{id}/versions: upload URLs for a new version of an existing file. */
export default defineStaffRoute({ params: idParam, body }, async ({ params, body }, req) =>
  created(await startNewVersion(req.deps, params.id, body, staffCtx(req))),
);
