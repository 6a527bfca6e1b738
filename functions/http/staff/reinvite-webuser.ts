import { defineRoute, noContent } from '../../lib/http.ts';
import { idParam, staffCtx } from '../schemas.ts';
import { reinvite } from '../../app/webusers.ts';

/** POST /webusers/{id}/invite: a fresh invitation; the previous link stops working. */
export default defineRoute({ params: idParam }, async ({ params }, req) => {
  await reinvite(params.id, staffCtx(req));
  return noContent();
});
