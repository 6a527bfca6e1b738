import * as z from 'zod';
import { grantFolder } from '../../app/sharing.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { isoDate, staffCtx, userFolderParams } from '../schemas.ts';

const body = z.strictObject({ expiresAt: isoDate.optional(), notify: z.boolean().optional() });

/** PUT /folders/{id}/grants/{userId}: idempotent; optionally emails the client. */
export default defineStaffRoute({ params: userFolderParams, body }, async ({ params, body }, req) =>
  ok(await grantFolder(req.deps, params.id, params.userId, body, staffCtx(req))),
);
