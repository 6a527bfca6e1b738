import { portalFolderDownload } from '../../app/portal.ts';
import { definePortalRoute, ok } from '../define.ts';
import { downloadsBody, idParam, portalCtx } from '../schemas.ts';

/** POST /portal/folders/{id}/downloads: URLs for up to 100 reachable files of the folder, each recorded first. */
export default definePortalRoute({ params: idParam, body: downloadsBody }, async ({ params, body }, req) =>
  ok(await portalFolderDownload(req.deps, params.id, body, portalCtx(req))),
);
