import { portalSearch } from '../../app/portal.ts';
import { definePortalRoute, ok } from '../define.ts';
import { portalCtx, searchQuery } from '../schemas.ts';

/** GET /portal/search?q=: names within what the web user's grants reach, never above a grant. */
export default definePortalRoute({ query: searchQuery }, async ({ query }, req) =>
  ok(await portalSearch(req.deps, query.q, query, portalCtx(req))),
);
