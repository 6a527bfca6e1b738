import { defineRoute, noContent } from '../../lib/http.ts';
import { idParam, staffCtx } from '../schemas.ts';
import { revokeLink } from '../../app/sharing.ts';

/** DELETE /links/{id}: the link answers 404 from its next request on. */
export default defineRoute({ params: idParam }, async ({ params }, req) => {
  await revokeLink(params.id, staffCtx(req));
  return noContent();
});
