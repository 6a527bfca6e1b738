import { viewAsSearch } from '../../app/oversight.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { idParam, searchQuery } from '../schemas.ts';

/** GET /webusers/{id}/view/search?q=: what the portal's search answers that web user (the same function). */
export default defineStaffRoute({ params: idParam, query: searchQuery }, async ({ params, query }, req) =>
  ok(await viewAsSearch(req.deps, params.id, query.q, query, req.now)),
);
