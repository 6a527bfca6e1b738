import { defineLinkRoute, ok } from '../define.ts';
import { anonCtx, dispositionQuery, tokenFolderParams } from '../schemas.ts';
import { shareDownload } from '../../app/share.ts';

/** GET /share/{token}/files/{id}/download: a file inside the linked folder. */
export default defineLinkRoute({ params: tokenFolderParams, query: dispositionQuery }, async ({ params, query }, req) =>
  ok(await shareDownload(req.deps, params.token, params.id, query.disposition, anonCtx(req))),
);
