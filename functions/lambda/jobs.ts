/**
 * Lambda entry for the scheduled jobs (EventBridge Scheduler). The schedule's
 * input names the job: { "job": "notifications" | "retention" }; the local
 * stack's manual run asks for { "job": "all" }.
 */
import { runAllJobs, runNotifications, runRetention, runUploaderReceipts } from '../app/jobs.ts';
import { clock } from '../lib/clock.ts';
import { logger } from '../lib/logger.ts';

export async function handler(event: { job?: string; now?: string }) {
  const now = clock.at(event.now);
  const result =
    event.job === 'retention'
      ? await runRetention(now)
      : event.job === 'all'
        ? await runAllJobs(now)
        : { notifications: await runNotifications(now), receipts: await runUploaderReceipts(now) };
  logger.info('job done', { job: event.job ?? 'notifications', result });
  return result;
}
