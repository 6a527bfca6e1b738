import { defineLinkRoute, ok } from '../define.ts';
import { anonCtx, pageQuery, tokenParam } from '../schemas.ts';
import { openShare } from '../../app/share.ts';

/** GET /share/{token}: the linked folder, for whoever holds the emailed link. */
export default defineLinkRoute({ params: tokenParam, query: pageQuery }, async ({ params, query }, req) =>
  ok(await openShare(req.deps, params.token, query, anonCtx(req))),
);
