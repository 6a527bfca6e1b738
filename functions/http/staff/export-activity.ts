import { exportActivity } from '../../app/activity.ts';
import { defineStaffRoute, ok } from '../define.ts';
import { activityFilter, activityFilterOf, language } from '../schemas.ts';

const query = activityFilter.extend({ lang: language.default('es') });

/**
 * GET /activity/export: the filtered log as CSV (any size), returned as a short-lived download URL; written for
 * its reader (`lang`): their columns and event names, names instead of ids, Spanish with ";" between cells.
 */
export default defineStaffRoute({ query }, async ({ query: { lang, ...filter } }, req) =>
  ok(await exportActivity(req.deps, activityFilterOf(filter), lang, req.now)),
);
