import { logoLocation } from '../../app/branding.ts';
import { NotFound } from '../../lib/errors.ts';
import { defineLinkRoute } from '../define.ts';

/** GET /branding/logo: a stable address for the logo (used in mails) that redirects to a fresh presigned URL. */
export default defineLinkRoute({}, async (_input, req) => {
  const url = await logoLocation(req.deps);
  if (!url) throw new NotFound();
  return { status: 302, headers: { location: url, 'cache-control': 'private, max-age=60' } };
});
