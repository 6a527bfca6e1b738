/**
 * Background jobs, run on a schedule (EventBridge Scheduler -> the jobs Lambda
 * in AWS; a timer in the local server), each idempotent and resumable from a
 * checkpoint:
 *  - notifications: clients who can reach a newly completed document get one
 *    mail per batch window listing the new documents; never twice for one document;
 *  - uploader receipts: the staff member who uploaded is told when a client first
 *    downloads, where the folder (or the company default) asks for it;
 *  - retention: activity older than the configured months is removed.
 */
import { config } from '../lib/config.ts';
import { logger } from '../lib/logger.ts';
import { ulidBounds } from '../lib/ids.ts';
import { grantRootFor, isLive } from '../domain/access.ts';
import type { ActivityEvent } from '../domain/activity.ts';
import { downloadedMail, newDocumentsMail } from '../domain/emails.ts';
import { fileKeys, ROOT_ID } from '../store/keys.ts';
import * as nodes from '../store/nodes.ts';
import type { FileNode, FolderNode } from '../store/nodes.ts';
import * as users from '../store/users.ts';
import * as jobs from '../store/jobs.ts';
import { allEvents, deleteEvent, queryEvents } from '../store/activity.ts';
import { getSettings, type CompanySettings } from '../store/settings.ts';
import { sendMail } from '../aws/mail.ts';
import { resolveChain } from './tree.ts';
import { mailBrand } from './branding.ts';

const FIRST_MONTH = '2025-01';

/** Events of one type after the checkpoint, oldest first, a page at a time. */
async function* eventsAfter(type: string, position: string | undefined): AsyncGenerator<ActivityEvent> {
  let cursor: string | undefined;
  do {
    const page = await queryEvents({ type, minId: position }, 200, cursor, 'asc');
    for (const e of page.events) if (!position || e.id > position) yield e;
    cursor = page.nextCursor;
  } while (cursor);
}

/** Names of the folders from `from` (inclusive) down to the file's folder. */
function pathFrom(file: FileNode, byId: Map<string, FolderNode>, from: string): string[] {
  const ids = [...file.ancestors];
  const start = Math.max(0, ids.indexOf(from));
  return ids
    .slice(start)
    .filter((id) => id !== ROOT_ID)
    .map((id) => byId.get(id)?.name ?? '');
}

async function queueNewDocuments(settings: CompanySettings, now: Date): Promise<number> {
  const windowMs = settings.notifications.batchMinutes * 60_000;
  let position = await jobs.getCheckpoint('notify');
  let queued = 0;
  for await (const e of eventsAfter('file.uploaded', position)) {
    const folders = (e.within ?? []).filter((f) => f !== ROOT_ID);
    const grants = (await Promise.all(folders.map((f) => users.grantsOnFolder(f))))
      .flat()
      .filter((g) => isLive(g, now));
    if (grants.length && e.target?.versionId) {
      const dueAt = new Date(Date.parse(e.at) + windowMs).toISOString();
      for (const userId of new Set(grants.map((g) => g.userId))) {
        if (
          await jobs.queueDocument(
            {
              userId,
              fileId: e.target.id,
              versionId: e.target.versionId,
              name: e.target.name ?? '',
              path: [],
              queuedAt: e.at,
            },
            dueAt,
          )
        )
          queued++;
      }
    }
    position = e.id;
    await jobs.setCheckpoint('notify', position);
  }
  return queued;
}

async function mailDueBatches(settings: CompanySettings, now: Date): Promise<number> {
  let mailed = 0;
  for (const userId of await jobs.dueRecipients(now.toISOString())) {
    const docs = await jobs.pendingFor(userId);
    const done = await jobs.alreadyNotified(docs);
    const fresh = docs.filter((d) => !done.has(`${d.fileId}#${d.versionId}`));
    const { profile, grants } = await users.getUserWithGrants(userId);
    // Decide again at send time: a document trashed, or a grant revoked, since the upload is not mailed.
    const files = await nodes.getMany(fresh.map((d) => fileKeys.node(d.fileId)));
    const reachable: Array<{ doc: jobs.PendingDocument; name: string; path: string[] }> = [];
    for (const d of fresh) {
      const file = nodes.fromItem<FileNode>(files.get(`${fileKeys.node(d.fileId).PK}|META`));
      if (!file || file.trashedAt || !profile || profile.status !== 'active') continue;
      const chain = await resolveChain(file);
      const root = chain.state === 'ok' ? grantRootFor(chain.ancestors, grants, now) : undefined;
      if (root) reachable.push({ doc: d, name: file.name, path: pathFrom(file, chain.byId, root) });
    }
    if (reachable.length && profile) {
      await jobs.markNotified(
        reachable.map((r) => r.doc),
        now,
      );
      try {
        await sendMail(
          profile.email,
          newDocumentsMail({
            lang: profile.language,
            ...mailBrand(settings),
            name: profile.name,
            documents: reachable.map((r) => ({ name: r.name, path: r.path })),
            url: `${config.siteUrl}/portal`,
          }),
        );
        mailed++;
      } catch (err) {
        // Leave the batch pending: the next run tries again, and nothing was marked as sent.
        await jobs.unmarkNotified(reachable.map((r) => r.doc));
        logger.warn('notification mail failed; will retry', { userId, err });
        continue;
      }
    }
    await jobs.clearPending(userId, docs);
  }
  return mailed;
}

export async function runNotifications(now: Date): Promise<{ queued: number; mailed: number }> {
  const settings = await getSettings();
  const queued = await queueNewDocuments(settings, now);
  const mailed = await mailDueBatches(settings, now);
  return { queued, mailed };
}

/** The nearest folder (from the file's own folder up) that says whether to send uploader receipts. */
function receiptsWanted(file: FileNode, byId: Map<string, FolderNode>, fallback: boolean): boolean {
  for (const id of [...file.ancestors].reverse()) {
    const setting = (byId.get(id) as (FolderNode & { receiptsToUploader?: boolean }) | undefined)?.receiptsToUploader;
    if (typeof setting === 'boolean') return setting;
  }
  return fallback;
}

export async function runUploaderReceipts(now: Date): Promise<{ sent: number }> {
  const settings = await getSettings();
  let position = await jobs.getCheckpoint('receipts');
  let sent = 0;
  for await (const e of eventsAfter('download', position)) {
    position = e.id;
    if ((e.actor.kind === 'webuser' || e.actor.kind === 'link') && e.target?.versionId) {
      const file = await nodes.getFile(e.target.id);
      if (file) {
        const chain = await resolveChain(file);
        if (
          receiptsWanted(file, chain.byId, settings.notifications.uploaderReceipts) &&
          (await jobs.firstReceipt(e.actor.id, file.id, e.target.versionId, now))
        ) {
          const version = await nodes.getVersion(file.id, e.target.versionId);
          const uploader = version ? await users.getProfile(version.uploadedBy) : undefined;
          if (uploader && uploader.status === 'active') {
            await sendMail(
              uploader.email,
              downloadedMail({
                lang: uploader.language,
                ...mailBrand(settings),
                who: e.actor.name ? `${e.actor.name} <${e.actor.email}>` : (e.actor.email ?? e.actor.id),
                document: file.name,
                at: e.at,
                url: `${config.siteUrl}/admin/files/${file.id}`,
              }),
            ).catch((err) => logger.warn('receipt mail failed', { err }));
            sent++;
          }
        }
      }
    }
    await jobs.setCheckpoint('receipts', position);
  }
  return { sent };
}

function monthsBefore(now: Date, months: number): Date {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}
const nextMonth = (m: string) => {
  const [y, mo] = m.split('-').map(Number);
  return mo === 12 ? `${y + 1}-01` : `${y}-${String(mo + 1).padStart(2, '0')}`;
};

export async function runRetention(now: Date): Promise<{ deleted: number }> {
  const { retentionMonths } = await getSettings();
  if (!retentionMonths) return { deleted: 0 };
  const cutoff = monthsBefore(now, retentionMonths);
  const maxId = ulidBounds(cutoff.getTime() - 1).max;
  const lastMonth = cutoff.toISOString().slice(0, 7);
  let deleted = 0;
  for (
    let month = (await jobs.getCheckpoint('retention')) ?? FIRST_MONTH;
    month <= lastMonth;
    month = nextMonth(month)
  ) {
    for await (const page of allEvents({ month, maxId }, 'asc')) {
      for (const e of page) await deleteEvent(e);
      deleted += page.length;
    }
    // Months wholly before the cutoff are empty now: start after them next time.
    if (month < lastMonth) await jobs.setCheckpoint('retention', nextMonth(month));
  }
  return { deleted };
}

export async function runAllJobs(now = new Date()) {
  const notifications = await runNotifications(now);
  const receipts = await runUploaderReceipts(now);
  const retention = await runRetention(now);
  return { notifications, receipts, retention };
}
