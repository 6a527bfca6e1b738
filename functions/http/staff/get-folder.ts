import { openFolder } from '../../app/documents.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { idParam, listingQuery, staffCtx } from '../schemas.ts';

/** GET /folders/{id}: the folder, its breadcrumbs and a page of its children. */
export default defineStaffRoute({ params: idParam, query: listingQuery }, async ({ params, query }, req) =>
  ok(await openFolder(req.deps, params.id, query, staffCtx(req))),
);
