import { publicBranding } from '../../app/branding.ts';
import { defineLinkRoute, ok } from '../define.ts';

/** GET /branding: what the sign-in page shows before anyone signs in. */
export default defineLinkRoute({}, async (_input, req) => ok(await publicBranding(req.deps)));
