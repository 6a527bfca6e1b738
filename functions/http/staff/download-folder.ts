import { downloadFromFolder } from '../../app/documents.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { downloadsBody, idParam, staffCtx } from '../schemas.ts';

/** POST /folders/{id}/downloads: URLs for up to 100 files of the folder (all of it, paged, or a selection). */
export default defineStaffRoute({ params: idParam, body: downloadsBody }, async ({ params, body }, req) =>
  ok(await downloadFromFolder(req.deps, params.id, body, staffCtx(req))),
);
