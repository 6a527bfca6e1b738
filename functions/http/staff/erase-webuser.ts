import { defineRoute, noContent } from '../../lib/http.ts';
import { idParam, staffCtx } from '../schemas.ts';
import { eraseWebuser } from '../../app/webusers.ts';

/** DELETE /webusers/{id}: erases the person; their activity stays under a pseudonym. */
export default defineRoute({ params: idParam }, async ({ params }, req) => {
  await eraseWebuser(params.id, staffCtx(req));
  return noContent();
});
