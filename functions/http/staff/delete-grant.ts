import { defineRoute, noContent } from '../../lib/http.ts';
import { staffCtx, userFolderParams } from '../schemas.ts';
import { revokeGrant } from '../../app/sharing.ts';

/** DELETE /folders/{id}/grants/{userId}: effective on the client's next request. */
export default defineRoute({ params: userFolderParams }, async ({ params }, req) => {
  await revokeGrant(params.id, params.userId, staffCtx(req));
  return noContent();
});
