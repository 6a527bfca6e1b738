import { revokeLink } from '../../app/sharing.ts';
import { defineStaffRoute, noContent } from '../define.ts';
import { idParam, staffCtx } from '../schemas.ts';

/** DELETE /links/{id}: the link answers 404 from its next request on. */
export default defineStaffRoute({ params: idParam }, async ({ params }, req) => {
  await revokeLink(req.deps, params.id, staffCtx(req));
  return noContent();
});
