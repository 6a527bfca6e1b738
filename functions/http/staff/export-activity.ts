import { exportActivity } from '../../app/activity.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { activityFilter, activityFilterOf } from '../schemas.ts';

/** GET /activity/export: the filtered log as CSV (any size), returned as a short-lived download URL. */
export default defineStaffRoute({ query: activityFilter }, async ({ query }, req) =>
  ok(await exportActivity(req.deps, activityFilterOf(query), req.now)),
);
