import { portalFolder } from '../../app/portal.ts';
import { definePortalRoute, ok } from '../define.ts';
import { idParam, listingQuery, portalCtx } from '../schemas.ts';

/** GET /portal/folders/{id}: a folder a grant reaches; the same 404 for anything else. */
export default definePortalRoute({ params: idParam, query: listingQuery }, async ({ params, query }, req) =>
  ok(await portalFolder(req.deps, params.id, query, portalCtx(req))),
);
