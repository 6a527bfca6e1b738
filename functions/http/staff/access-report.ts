import * as z from 'zod';
import { accessReport } from '../../app/oversight.ts';
import { defineStaffRoute, ok } from '../define.ts';

const query = z.object({
  folderId: z.string().min(1).max(64).optional(),
  userId: z.string().min(1).max(64).optional(),
});

/** GET /reports/access: who can see what, by folder or by user; expired and revoked access marked, not hidden. */
export default defineStaffRoute({ query }, async ({ query }, req) => ok(await accessReport(req.deps, query, req.now)));
