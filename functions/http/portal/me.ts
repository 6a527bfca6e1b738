import { defineRoute, ok } from '../../lib/http.ts';
import { portalCtx } from '../schemas.ts';
import { portalMe } from '../../app/portal.ts';

/** GET /portal/me: the signed-in web user and the company's branding. */
export default defineRoute({}, async (_input, req) => ok(await portalMe(portalCtx(req))));
