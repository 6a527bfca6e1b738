import { eraseWebuser } from '../../app/webusers.ts';
import { defineStaffRoute, noContent } from '../define.ts';
import { idParam, staffCtx } from '../schemas.ts';

/** DELETE /webusers/{id}: erases the person; their activity stays under a pseudonym. */
export default defineStaffRoute({ params: idParam }, async ({ params }, req) => {
  await eraseWebuser(req.deps, params.id, staffCtx(req));
  return noContent();
});
