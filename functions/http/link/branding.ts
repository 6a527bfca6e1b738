import { defineLinkRoute, ok } from '../define.ts';
import { publicBranding } from '../../app/branding.ts';

/** GET /branding: what the sign-in page shows before anyone signs in. */
export default defineLinkRoute({}, async (_input, req) => ok(await publicBranding(req.deps)));
