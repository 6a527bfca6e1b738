import { shareDownload } from '../../app/share.ts';
import { defineLinkRoute, ok } from '../define.ts';
import { dispositionQuery, idParam, shareCtx, shareTokenHeader } from '../schemas.ts';

/** GET /share/files/{id}/download (X-Share-Token): a file inside the linked folder. */
export default defineLinkRoute(
  { headers: shareTokenHeader, params: idParam, query: dispositionQuery },
  async ({ headers, params, query }, req) =>
    ok(await shareDownload(req.deps, headers['x-share-token'], params.id, query.disposition, shareCtx(req, headers))),
);
