import { revokeGrant } from '../../app/sharing.ts';
import { defineStaffRoute, noContent } from '../define.ts';
import { staffCtx, userFolderParams } from '../schemas.ts';

/** DELETE /folders/{id}/grants/{userId}: effective on the client's next request. */
export default defineStaffRoute({ params: userFolderParams }, async ({ params }, req) => {
  await revokeGrant(req.deps, params.id, params.userId, staffCtx(req));
  return noContent();
});
