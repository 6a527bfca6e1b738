import { openShareFolder } from '../../app/share.ts';
import { defineLinkRoute, ok } from '../define.ts';
import { anonCtx, idParam, listingQuery, shareTokenHeader } from '../schemas.ts';

/** GET /share/folders/{id} (X-Share-Token): a subfolder inside the linked folder. */
export default defineLinkRoute(
  { headers: shareTokenHeader, params: idParam, query: listingQuery },
  async ({ headers, params, query }, req) =>
    ok(await openShareFolder(req.deps, headers['x-share-token'], params.id, query, anonCtx(req))),
);
