/**
 * Lambda entry for the scheduled jobs (EventBridge Scheduler). The schedule's
 * input names the job: { "job": "notifications" | "retention" }.
 */
import { runNotifications, runRetention, runUploaderReceipts } from '../app/jobs.ts';
import { logger } from '../lib/logger.ts';

export async function handler(event: { job?: string }) {
  const now = new Date();
  const result =
    event.job === 'retention'
      ? await runRetention(now)
      : { notifications: await runNotifications(now), receipts: await runUploaderReceipts(now) };
  logger.info('job done', { job: event.job ?? 'notifications', result });
  return result;
}
