import * as z from 'zod';
import { defineRoute, ok } from '../../lib/http.ts';
import { isoDate, staffCtx, userFolderParams } from '../schemas.ts';
import { grantFolder } from '../../app/sharing.ts';

const body = z.strictObject({ expiresAt: isoDate.optional(), notify: z.boolean().optional() });

/** PUT /folders/{id}/grants/{userId}: idempotent; optionally emails the client. */
export default defineRoute({ params: userFolderParams, body }, async ({ params, body }, req) =>
  ok(await grantFolder(params.id, params.userId, body, staffCtx(req))),
);
