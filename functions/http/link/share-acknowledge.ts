import { shareAcknowledge } from '../../app/share.ts';
import { defineLinkRoute, noContent } from '../define.ts';
import { idParam, shareCtx, shareTokenHeader } from '../schemas.ts';

/** POST /share/files/{id}/acknowledge (X-Share-Token): the link holder confirms receipt, as the portal's route. */
export default defineLinkRoute({ headers: shareTokenHeader, params: idParam }, async ({ headers, params }, req) => {
  await shareAcknowledge(req.deps, headers['x-share-token'], params.id, shareCtx(req, headers));
  return noContent();
});
