import * as z from 'zod';
import { extendLink } from '../../app/sharing.ts';
import { created, defineStaffRoute } from '../define.ts';
import { idParam, isoDate, staffCtx } from '../schemas.ts';

const body = z.strictObject({ expiresAt: isoDate.optional() });

/** POST /links/{id}/extend: the link sent again with a new token and expiry; the old token stays dead. */
export default defineStaffRoute({ params: idParam, body }, async ({ params, body }, req) =>
  created(await extendLink(req.deps, params.id, body, staffCtx(req))),
);
