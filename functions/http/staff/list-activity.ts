import * as z from 'zod';
import { defineRoute, ok } from '../../lib/http.ts';
import { listActivity } from '../../app/activity.ts';

const query = z.object({
  actorId: z.string().min(1).max(64).optional(),
  folderId: z.string().min(1).max(64).optional(),
  cursor: z.string().max(2048).optional(),
  limit: z.coerce.number().int().min(1).max(500).default(50),
});

/** GET /activity: newest first; one query per filter. */
export default defineRoute({ query }, async ({ query }, req) => ok(await listActivity(query, req.now)));
