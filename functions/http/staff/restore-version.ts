import * as z from 'zod';
import { restoreVersion } from '../../app/documents.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { fileVersionParams, staffCtx } from '../schemas.ts';

const body = z.strictObject({});

/** POST /files/{id}/versions/{versionId}/restore: that older version becomes current again, as a new version. */
export default defineStaffRoute({ params: fileVersionParams, body }, async ({ params }, req) =>
  ok(await restoreVersion(req.deps, params.id, params.versionId, staffCtx(req))),
);
