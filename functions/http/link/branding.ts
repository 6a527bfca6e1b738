import { defineRoute, ok } from '../../lib/http.ts';
import { getSettings } from '../../store/settings.ts';
import { companyView } from '../../app/branding.ts';

/** GET /branding: what the sign-in page shows before anyone signs in. */
export default defineRoute({}, async () => ok(await companyView(await getSettings())));
