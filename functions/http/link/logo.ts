import { defineRoute } from '../../lib/http.ts';
import { NotFound } from '../../lib/errors.ts';
import { getSettings } from '../../store/settings.ts';
import { logoRedirect } from '../../app/branding.ts';

/** GET /branding/logo: a stable address for the logo (used in mails) that redirects to a fresh presigned URL. */
export default defineRoute({}, async () => {
  const url = await logoRedirect(await getSettings());
  if (!url) throw new NotFound();
  return { status: 302, headers: { location: url, 'cache-control': 'private, max-age=60' } };
});
