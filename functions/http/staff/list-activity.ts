import { listActivity } from '../../app/activity.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { activityFilterOf, activityQuery } from '../schemas.ts';

/** GET /activity: newest first; each filter is one query on a key or index. */
export default defineStaffRoute({ query: activityQuery }, async ({ query }, req) =>
  ok(await listActivity(req.deps, activityFilterOf(query), req.now)),
);
