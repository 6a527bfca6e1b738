import { defineRoute, ok } from '../../lib/http.ts';
import { activityQuery } from '../schemas.ts';
import { listActivity } from '../../app/activity.ts';

/** GET /activity: newest first; each filter is one query on a key or index. */
export default defineRoute({ query: activityQuery }, async ({ query }, req) => ok(await listActivity(query, req.now)));
