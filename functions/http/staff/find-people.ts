import * as z from 'zod';
import { findPeople } from '../../app/activity.ts';
import { defineStaffRoute, ok } from '../define.ts';

const query = z.object({ q: z.string().max(200) });

/** GET /people?q=: web users and staff whose name or email contains q (accents ignored), for the activity's filter. */
export default defineStaffRoute({ query }, async ({ query }, req) => ok(await findPeople(req.deps, query.q)));
