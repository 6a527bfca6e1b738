/**
 * Lambda entry for the scheduled jobs (EventBridge Scheduler). The schedule's
 * input names the job: { "job": "notifications" | "retention" }; the local
 * stack's manual run asks for { "job": "all" } (with `now` under the test clock).
 */

import * as run from '../app/jobs.ts';
import type { JobsDeps } from '../app/ports.ts';
import * as mailer from '../aws/mail.ts';
import { clock, systemClock } from '../lib/clock.ts';
import { config } from '../lib/config.ts';
import { logger } from '../lib/logger.ts';
import * as activity from '../store/activity.ts';
import * as deliveries from '../store/deliveries.ts';
import * as jobs from '../store/jobs.ts';
import * as links from '../store/links.ts';
import * as nodes from '../store/nodes.ts';
import * as settings from '../store/settings.ts';
import * as users from '../store/users.ts';

const deps: JobsDeps = {
  nodes,
  nodeWrites: nodes,
  users,
  links,
  jobs,
  activity,
  deliveries,
  settings,
  mailer,
  clock: systemClock,
  config,
  log: logger,
};

export async function handler(event: { job?: string; now?: string }) {
  const now = clock.at(event.now);
  const result =
    event.job === 'retention'
      ? {
          linkExpiry: await run.runLinkExpiryWarnings(deps, now),
          reminders: await run.runReminders(deps, now),
          retention: await run.runRetention(deps, now),
        }
      : event.job === 'all'
        ? await run.runAllJobs(deps, now)
        : {
            notifications: await run.runNotifications(deps, now),
            receipts: await run.runUploaderReceipts(deps, now),
            linkOpened: await run.runLinkOpenNotices(deps, now),
          };
  logger.info('job done', { job: event.job ?? 'notifications', result });
  return result;
}
