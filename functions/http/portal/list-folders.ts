import { defineRoute, ok } from '../../lib/http.ts';
import { portalCtx } from '../schemas.ts';
import { portalFolders } from '../../app/portal.ts';

/** GET /portal/folders: the tops of what this web user can see. */
export default defineRoute({}, async (_input, req) => ok(await portalFolders(portalCtx(req))));
