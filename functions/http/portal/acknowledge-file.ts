import { portalAcknowledge } from '../../app/portal.ts';
import { definePortalRoute, noContent } from '../define.ts';
import { idParam, portalCtx } from '../schemas.ts';

/**
 * POST /portal/files/{id}/acknowledge: "Confirmar recepción" on a file that asks for it. 204, once per
 * version (again: 204, nothing new recorded); 404 for a file that does not ask, or is not the client's.
 */
export default definePortalRoute({ params: idParam }, async ({ params }, req) => {
  await portalAcknowledge(req.deps, params.id, portalCtx(req));
  return noContent();
});
