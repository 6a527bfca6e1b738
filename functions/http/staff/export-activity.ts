import { defineRoute, ok } from '../../lib/http.ts';
import { activityFilter } from '../schemas.ts';
import { exportActivity } from '../../app/activity.ts';

/** GET /activity/export: the filtered log as CSV (any size), returned as a short-lived download URL. */
export default defineRoute({ query: activityFilter }, async ({ query }, req) =>
  ok(await exportActivity(query, req.now)),
);
