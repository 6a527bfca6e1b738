import { portalDownload } from '../../app/portal.ts';
import { definePortalRoute, ok } from '../define.ts';
import { dispositionQuery, idParam, portalCtx } from '../schemas.ts';

/** GET /portal/files/{id}/download: the current version's URL, minted after its event is stored. */
export default definePortalRoute({ params: idParam, query: dispositionQuery }, async ({ params, query }, req) =>
  ok(await portalDownload(req.deps, params.id, query.disposition, portalCtx(req))),
);
