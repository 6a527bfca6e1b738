import * as z from 'zod';
import { listWebusers } from '../../app/webusers.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { pageQuery } from '../schemas.ts';

const query = pageQuery.extend({
  limit: z.coerce.number().int().min(1).max(200).default(50),
  q: z.string().max(200).optional(),
});

/** GET /webusers: newest first, with last seen and grant count; `q` searches email and name. */
export default defineStaffRoute({ query }, async ({ query }, req) => ok(await listWebusers(req.deps, query)));
