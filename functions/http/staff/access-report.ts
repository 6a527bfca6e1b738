import * as z from 'zod';
import { defineRoute, ok } from '../../lib/http.ts';
import { accessReport } from '../../app/oversight.ts';

const query = z.object({
  folderId: z.string().min(1).max(64).optional(),
  userId: z.string().min(1).max(64).optional(),
});

/** GET /reports/access: who can see what, by folder or by user; expired and revoked access marked, not hidden. */
export default defineRoute({ query }, async ({ query }, req) => ok(await accessReport(query, req.now)));
