import { getWebuser } from '../../app/webusers.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { idParam } from '../schemas.ts';

/** GET /webusers/{id}: the client, their grants with paths, the links sent to them. */
export default defineStaffRoute({ params: idParam }, async ({ params }, req) =>
  ok(await getWebuser(req.deps, params.id, req.now)),
);
