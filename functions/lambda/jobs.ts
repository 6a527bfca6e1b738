/**
 * Lambda entry for the scheduled jobs (EventBridge Scheduler). The schedule's
 * input names the job: { "job": "notifications" | "retention" }.
 */
import * as mailer from '../aws/mail.ts';
import * as activity from '../store/activity.ts';
import * as jobs from '../store/jobs.ts';
import * as nodes from '../store/nodes.ts';
import * as settings from '../store/settings.ts';
import * as users from '../store/users.ts';
import { systemClock } from '../lib/clock.ts';
import { config } from '../lib/config.ts';
import { logger } from '../lib/logger.ts';
import type { JobsDeps } from '../app/ports.ts';
import * as run from '../app/jobs.ts';

const deps: JobsDeps = { nodes, users, jobs, activity, settings, mailer, clock: systemClock, config, log: logger };

/** Every job once, in order (the local stack's timer and `POST /_local/jobs/run`). */
export const runAllJobs = (now?: Date) => run.runAllJobs(deps, now);

export async function handler(event: { job?: string }) {
  const now = systemClock.now();
  const result =
    event.job === 'retention'
      ? await run.runRetention(deps, now)
      : { notifications: await run.runNotifications(deps, now), receipts: await run.runUploaderReceipts(deps, now) };
  logger.info('job done', { job: event.job ?? 'notifications', result });
  return result;
}
