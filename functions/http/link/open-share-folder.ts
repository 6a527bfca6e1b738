import { defineLinkRoute, ok } from '../define.ts';
import { anonCtx, pageQuery, tokenFolderParams } from '../schemas.ts';
import { openShareFolder } from '../../app/share.ts';

/** GET /share/{token}/folders/{id}: a subfolder inside the linked folder. */
export default defineLinkRoute({ params: tokenFolderParams, query: pageQuery }, async ({ params, query }, req) =>
  ok(await openShareFolder(req.deps, params.token, params.id, query, anonCtx(req))),
);
