import { folderLinks } from '../../app/sharing.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { idParam } from '../schemas.ts';

/** GET /folders/{id}/links: links sent for this folder, with their status. */
export default defineStaffRoute({ params: idParam }, async ({ params }, req) =>
  ok(await folderLinks(req.deps, params.id, req.now)),
);
