import { defineRoute, ok } from '../../lib/http.ts';
import { idParam, pageQuery, portalCtx } from '../schemas.ts';
import { portalFolder } from '../../app/portal.ts';

/** GET /portal/folders/{id}: a folder a grant reaches; the same 404 for anything else. */
export default defineRoute({ params: idParam, query: pageQuery }, async ({ params, query }, req) =>
  ok(await portalFolder(params.id, query, portalCtx(req))),
);
