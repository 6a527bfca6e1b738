import { folderSharing } from '../../app/sharing.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { idParam } from '../schemas.ts';

/** GET /folders/{id}/sharing: who the folder is shared with, grants and links inherited from above included. */
export default defineStaffRoute({ params: idParam }, async ({ params }, req) =>
  ok(await folderSharing(req.deps, params.id, req.now)),
);
