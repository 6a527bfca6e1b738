import * as z from 'zod';
import { viewAs } from '../../app/oversight.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { idParam, listingQuery } from '../schemas.ts';

const query = listingQuery.extend({ folderId: z.string().min(1).max(64).optional() });

/** GET /webusers/{id}/view: the exact listing the portal gives that web user (same code path). */
export default defineStaffRoute({ params: idParam, query }, async ({ params, query }, req) =>
  ok(await viewAs(req.deps, params.id, query.folderId, query, req.now)),
);
