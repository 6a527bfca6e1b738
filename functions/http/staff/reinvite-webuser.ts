import { reinvite } from '../../app/webusers.ts';
import { defineStaffRoute, noContent } from '../define.ts';
import { idParam, staffCtx } from '../schemas.ts';

/** POST /webusers/{id}/invite: a fresh invitation; the previous link stops working. */
export default defineStaffRoute({ params: idParam }, async ({ params }, req) => {
  await reinvite(req.deps, params.id, staffCtx(req));
  return noContent();
});
