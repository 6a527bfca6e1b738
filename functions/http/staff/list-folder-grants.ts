import { folderGrants } from '../../app/sharing.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { idParam } from '../schemas.ts';

/** GET /folders/{id}/grants: the web users this folder is shared with. */
export default defineStaffRoute({ params: idParam }, async ({ params }, req) =>
  ok({ grants: await folderGrants(req.deps, params.id) }),
);
