import { openShare } from '../../app/share.ts';
import { defineLinkRoute, ok } from '../define.ts';
import { anonCtx, listingQuery, shareTokenHeader } from '../schemas.ts';

/** GET /share (X-Share-Token): the linked folder, for whoever holds the emailed link. */
export default defineLinkRoute({ headers: shareTokenHeader, query: listingQuery }, async ({ headers, query }, req) =>
  ok(await openShare(req.deps, headers['x-share-token'], query, anonCtx(req))),
);
