import { portalMe } from '../../app/portal.ts';
import { definePortalRoute, ok } from '../define.ts';
import { portalCtx } from '../schemas.ts';

/** GET /portal/me: the signed-in web user and the company's branding. */
export default definePortalRoute({}, async (_input, req) => ok(await portalMe(req.deps, portalCtx(req))));
