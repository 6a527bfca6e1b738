import { shareFolderDownload } from '../../app/share.ts';
import { defineLinkRoute, ok } from '../define.ts';
import { anonCtx, downloadsBody, idParam, shareTokenHeader } from '../schemas.ts';

/** POST /share/folders/{id}/downloads (X-Share-Token): URLs for up to 100 files inside the linked folder. */
export default defineLinkRoute(
  { headers: shareTokenHeader, params: idParam, body: downloadsBody },
  async ({ headers, params, body }, req) =>
    ok(await shareFolderDownload(req.deps, headers['x-share-token'], params.id, body, anonCtx(req))),
);
