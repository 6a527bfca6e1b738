import { shareSearch } from '../../app/share.ts';
import { defineLinkRoute, ok } from '../define.ts';
import { anonCtx, searchQuery, shareTokenHeader } from '../schemas.ts';

/** GET /share/search?q= (X-Share-Token): names inside the linked folder only. */
export default defineLinkRoute({ headers: shareTokenHeader, query: searchQuery }, async ({ headers, query }, req) =>
  ok(await shareSearch(req.deps, headers['x-share-token'], query.q, query, anonCtx(req))),
);
