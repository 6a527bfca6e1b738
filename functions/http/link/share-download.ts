import { defineRoute, ok } from '../../lib/http.ts';
import { anonCtx, dispositionQuery, tokenFolderParams } from '../schemas.ts';
import { shareDownload } from '../../app/share.ts';

/** GET /share/{token}/files/{id}/download: a file inside the linked folder. */
export default defineRoute({ params: tokenFolderParams, query: dispositionQuery }, async ({ params, query }, req) =>
  ok(await shareDownload(params.token, params.id, query.disposition, anonCtx(req))),
);
