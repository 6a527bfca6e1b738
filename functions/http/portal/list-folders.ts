import { portalFolders } from '../../app/portal.ts';
import { definePortalRoute, ok } from '../define.ts';
import { portalCtx } from '../schemas.ts';

/** GET /portal/folders: the tops of what this web user can see. */
export default definePortalRoute({}, async (_input, req) => ok(await portalFolders(req.deps, portalCtx(req))));
