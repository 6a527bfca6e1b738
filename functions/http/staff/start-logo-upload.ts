import * as z from 'zod';
import { MAX_LOGO_BYTES, startLogoUpload } from '../../app/oversight.ts';
import { created, defineStaffRoute } from '../define.ts';

const body = z.strictObject({
  contentType: z.enum(['image/png', 'image/jpeg'], 'must be image/png or image/jpeg (never SVG)'),
  size: z.number().int().min(1).max(MAX_LOGO_BYTES, `must be at most ${MAX_LOGO_BYTES} bytes`),
});

/** POST /settings/logo (admin): a presigned POST for a PNG or JPEG logo; then PUT /settings with its logoKey. */
export default defineStaffRoute({ body }, async ({ body }, req) =>
  created(await startLogoUpload(req.deps, body, req.now)),
);
