import { openFolder } from '../../app/documents.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { listingQuery, staffCtx } from '../schemas.ts';

/** GET /folders/root: the top of the company's tree. */
export default defineStaffRoute({ query: listingQuery }, async ({ query }, req) =>
  ok(await openFolder(req.deps, 'root', query, staffCtx(req))),
);
