/**
 * Background jobs, run on a schedule (EventBridge Scheduler -> the jobs Lambda
 * in AWS; a timer in the local server), each idempotent and resumable from a
 * checkpoint:
 *  - notifications: clients who can reach a newly completed document get one
 *    mail per batch window listing the new documents; never twice for one document;
 *  - uploader receipts: the staff member who uploaded is told when a client first
 *    downloads, where the folder (or the company default) asks for it;
 *  - link expiry: the sender of a link is warned three days before it expires (link-expiry.ts);
 *  - reminders: clients who have not opened a delivered document are reminded (reminders.ts);
 *  - retention: activity older than the configured months is removed.
 */

import { grantRootFor, isLive } from '../domain/access.ts';
import { FIRST_MONTH, monthOf, nextMonth } from '../domain/activity.ts';
import { downloadedMail, linkOpenedMail, newDocumentsMail } from '../domain/emails.ts';
import {
  type ActivityEvent,
  type CompanySettings,
  type Grant,
  type PendingDocument,
  ROOT_ID,
} from '../domain/model.ts';
import { pathFrom, receiptsWanted } from '../domain/tree.ts';
import { ulidBounds } from '../lib/ids.ts';
import { resolveChain } from './access.ts';
import { sendBranded } from './branding.ts';
import { runLinkExpiryWarnings } from './link-expiry.ts';
import type { JobsDeps, Needs } from './ports.ts';
import { runReminders } from './reminders.ts';

export { runLinkExpiryWarnings, runReminders };

/** Events of one type after the checkpoint, oldest first, a page at a time. */
async function* eventsAfter(
  deps: Needs<'activity'>,
  type: string,
  position: string | undefined,
): AsyncGenerator<ActivityEvent> {
  let cursor: string | undefined;
  do {
    const page = await deps.activity.queryEvents({ type, minId: position }, 200, cursor, 'asc');
    for (const e of page.events) if (!position || e.id > position) yield e;
    cursor = page.nextCursor;
  } while (cursor);
}

/**
 * The uploaded version came within reach of every web user with a live grant and every live link above
 * it: one delivery each, listed until they open it ("Pendientes", reminders). Idempotent: a rerun writes
 * nothing, and an open that came first is kept.
 */
async function recordDeliveries(
  deps: JobsDeps,
  e: ActivityEvent,
  folders: string[],
  grants: Grant[],
  now: Date,
): Promise<void> {
  if (!e.target?.versionId) return;
  const links = (await Promise.all(folders.map((f) => deps.links.linksForFolder(f))))
    .flat()
    .filter((l) => isLive(l, now));
  const base = { fileId: e.target.id, versionId: e.target.versionId, name: e.target.name ?? '', deliveredAt: e.at };
  const byUser = new Map(grants.map((g) => [g.userId, g]));
  await Promise.all([
    ...[...byUser.values()].map((g) =>
      deps.deliveries.putDelivery({
        ...base,
        recipientKind: 'webuser',
        recipientId: g.userId,
        recipientEmail: g.email ?? '',
        ...(g.name ? { recipientName: g.name } : {}),
      }),
    ),
    ...links.map((l) =>
      deps.deliveries.putDelivery({
        ...base,
        recipientKind: 'link',
        recipientId: l.id,
        recipientEmail: l.email,
        ...(l.name ? { recipientName: l.name } : {}),
      }),
    ),
  ]);
}

async function queueNewDocuments(deps: JobsDeps, settings: CompanySettings, now: Date): Promise<number> {
  const { jobs } = deps;
  const windowMs = settings.notifications.batchMinutes * 60_000;
  let position = await jobs.getCheckpoint('notify');
  let queued = 0;
  for await (const e of eventsAfter(deps, 'file.uploaded', position)) {
    // A set: events written before `within` was settled hold the file's folder twice.
    const folders = [...new Set(e.within ?? [])].filter((f) => f !== ROOT_ID);
    const grants = (await Promise.all(folders.map((f) => deps.users.grantsOnFolder(f))))
      .flat()
      .filter((g) => isLive(g, now));
    await recordDeliveries(deps, e, folders, grants, now);
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

async function mailDueBatches(deps: JobsDeps, settings: CompanySettings, now: Date): Promise<number> {
  const { jobs } = deps;
  let mailed = 0;
  for (const userId of await jobs.dueRecipients(now.toISOString())) {
    const docs = await jobs.pendingFor(userId);
    const done = await jobs.alreadyNotified(docs);
    const fresh = docs.filter((d) => !done.has(`${d.fileId}#${d.versionId}`));
    const { profile, grants } = await deps.users.getUserWithGrants(userId);
    // Decide again at send time: a document trashed, or a grant revoked, since the upload is not mailed.
    const files = await deps.nodes.getFiles(fresh.map((d) => d.fileId));
    const reachable: Array<{ doc: PendingDocument; name: string; path: string[] }> = [];
    for (const d of fresh) {
      const file = files.get(d.fileId);
      if (!file || file.trashedAt || !profile || profile.status !== 'active') continue;
      const chain = await resolveChain(deps, file);
      const root = chain.state === 'ok' ? grantRootFor(chain.ancestors, grants, now) : undefined;
      if (root) reachable.push({ doc: d, name: file.name, path: pathFrom(file, chain.byId, root) });
    }
    if (reachable.length && profile) {
      await jobs.markNotified(
        reachable.map((r) => r.doc),
        now,
      );
      try {
        const documents = reachable.map((r) => ({ name: r.name, path: r.path }));
        await sendBranded(deps, settings, profile.email, (brand, site) =>
          newDocumentsMail({ lang: profile.language, ...brand, name: profile.name, documents, url: `${site}/portal` }),
        );
        mailed++;
      } catch (err) {
        // Leave the batch pending: the next run tries again, and nothing was marked as sent.
        await jobs.unmarkNotified(reachable.map((r) => r.doc));
        deps.log.warn('notification mail failed; will retry', { userId, err });
        continue;
      }
    }
    await jobs.clearPending(userId, docs);
  }
  return mailed;
}

/** Files beneath a folder, a page at a time (ids, then the files themselves): what a new grant or link reaches. */
async function* filesUnder(deps: JobsDeps, folderId: string) {
  let cursor: string | undefined;
  do {
    const page = await deps.nodes.filesBeneath(folderId, 100, cursor);
    const files = await deps.nodes.getFiles(page.files.map((f) => f.id));
    yield [...files.values()].filter((f) => !f.trashedAt);
    cursor = page.nextCursor;
  } while (cursor);
}

/**
 * A grant or link made after documents were uploaded brings those documents within reach then: one
 * delivery each (from the grant's or link's time), unless the recipient already had that document, so
 * "Pendientes" and the reminders count from when it reached them. Resumable per event type.
 */
async function recordReach(deps: JobsDeps, now: Date): Promise<number> {
  let recorded = 0;
  for (const type of ['grant.added', 'link.sent'] as const) {
    const checkpoint = `reach-${type}`;
    let position = await deps.jobs.getCheckpoint(checkpoint);
    for await (const e of eventsAfter(deps, type, position)) {
      position = e.id;
      const recipient = await reachRecipient(deps, e, now);
      if (recipient)
        for await (const files of filesUnder(deps, recipient.folderId))
          for (const f of files)
            if (
              await deps.deliveries.putDeliveryIfNew({
                ...recipient.who,
                fileId: f.id,
                versionId: f.currentVersionId,
                name: f.name,
                deliveredAt: e.at,
              })
            )
              recorded++;
      await deps.jobs.setCheckpoint(checkpoint, position);
    }
  }
  return recorded;
}

/** Who a grant.added or link.sent event gave a folder to, if that grant or link is still live. */
async function reachRecipient(deps: JobsDeps, e: ActivityEvent, now: Date) {
  if (e.type === 'link.sent') {
    const link = await deps.links.getLinkById(e.target?.id ?? '');
    if (!link || !isLive(link, now)) return undefined;
    return {
      folderId: link.folderId,
      who: {
        recipientKind: 'link' as const,
        recipientId: link.id,
        recipientEmail: link.email,
        ...(link.name ? { recipientName: link.name } : {}),
      },
    };
  }
  const userId = (e.details as { userId?: string } | undefined)?.userId;
  const folderId = e.target?.id;
  if (!userId || !folderId) return undefined;
  const { profile, grants } = await deps.users.getUserWithGrants(userId);
  if (!profile || !grants.some((g) => g.folderId === folderId && isLive(g, now))) return undefined;
  return {
    folderId,
    who: {
      recipientKind: 'webuser' as const,
      recipientId: userId,
      recipientEmail: profile.email,
      recipientName: profile.name,
    },
  };
}

export async function runNotifications(
  deps: JobsDeps,
  now: Date,
): Promise<{ queued: number; reached: number; mailed: number }> {
  const settings = await deps.settings.getSettings();
  const queued = await queueNewDocuments(deps, settings, now);
  const reached = await recordReach(deps, now);
  const mailed = await mailDueBatches(deps, settings, now);
  return { queued, reached, mailed };
}

export async function runUploaderReceipts(deps: JobsDeps, now: Date): Promise<{ sent: number }> {
  const { jobs, nodes } = deps;
  const settings = await deps.settings.getSettings();
  let position = await jobs.getCheckpoint('receipts');
  let sent = 0;
  for await (const e of eventsAfter(deps, 'download', position)) {
    position = e.id;
    if ((e.actor.kind === 'webuser' || e.actor.kind === 'link') && e.target?.versionId) {
      const file = await nodes.getFile(e.target.id);
      if (file) {
        const chain = await resolveChain(deps, file);
        if (
          receiptsWanted(file, chain.byId, settings.notifications.uploaderReceipts) &&
          (await jobs.firstReceipt(e.actor.id, file.id, e.target.versionId, now))
        ) {
          const version = await nodes.getVersion(file.id, e.target.versionId);
          const uploader = version ? await deps.users.getProfile(version.uploadedBy) : undefined;
          if (uploader && uploader.status === 'active') {
            const who = e.actor.name ? `${e.actor.name} <${e.actor.email}>` : (e.actor.email ?? e.actor.id);
            await sendBranded(deps, settings, uploader.email, (brand, site) =>
              downloadedMail({
                lang: uploader.language,
                ...brand,
                who,
                document: file.name,
                at: e.at,
                url: `${site}/admin/files/${file.id}`,
              }),
            ).catch((err) => deps.log.warn('receipt mail failed', { err }));
            sent++;
          }
        }
      }
    }
    await jobs.setCheckpoint('receipts', position);
  }
  return { sent };
}

/**
 * Links that asked for it (`notifyOnOpen`): the sender is mailed once, when the link is first opened. Read
 * from the `link.opened` events after the checkpoint; "already mailed" is a receipt marker for the link.
 */
export async function runLinkOpenNotices(deps: JobsDeps, now: Date): Promise<{ sent: number }> {
  const settings = await deps.settings.getSettings();
  let position = await deps.jobs.getCheckpoint('link-opened');
  let sent = 0;
  for await (const e of eventsAfter(deps, 'link.opened', position)) {
    position = e.id;
    if (e.actor.kind === 'link') {
      const link = await deps.links.getLinkById(e.actor.id);
      if (link?.notifyOnOpen && (await deps.jobs.firstReceipt(link.id, 'link', 'opened', now))) {
        const sender = await deps.users.getProfile(link.createdBy);
        if (sender?.status === 'active') {
          const folderName = e.target?.name ?? '';
          await sendBranded(deps, settings, sender.email, (brand, site) =>
            linkOpenedMail({
              lang: sender.language,
              ...brand,
              who: link.name ? `${link.name} <${link.email}>` : link.email,
              folderName,
              at: e.at,
              url: `${site}/admin/folders/${link.folderId}`,
            }),
          ).catch((err) => deps.log.warn('link-opened mail failed', { err, linkId: link.id }));
          sent++;
        }
      }
    }
    await deps.jobs.setCheckpoint('link-opened', position);
  }
  return { sent };
}

function monthsBefore(now: Date, months: number): Date {
  const d = new Date(now);
  d.setUTCMonth(d.getUTCMonth() - months);
  return d;
}

export async function runRetention(deps: JobsDeps, now: Date): Promise<{ deleted: number }> {
  const { retentionMonths } = await deps.settings.getSettings();
  if (!retentionMonths) return { deleted: 0 };
  const cutoff = monthsBefore(now, retentionMonths);
  const maxId = ulidBounds(cutoff.getTime() - 1).max;
  const lastMonth = monthOf(cutoff);
  let deleted = 0;
  for (
    let month = (await deps.jobs.getCheckpoint('retention')) ?? FIRST_MONTH;
    month <= lastMonth;
    month = nextMonth(month)
  ) {
    for await (const page of deps.activity.allEvents({ month, maxId }, 'asc')) {
      for (const e of page) await deps.activity.deleteEvent(e);
      deleted += page.length;
    }
    // Months wholly before the cutoff are empty now: start after them next time.
    if (month < lastMonth) await deps.jobs.setCheckpoint('retention', nextMonth(month));
  }
  return { deleted };
}

export async function runAllJobs(deps: JobsDeps, now = deps.clock.now()) {
  const notifications = await runNotifications(deps, now);
  const receipts = await runUploaderReceipts(deps, now);
  const linkOpened = await runLinkOpenNotices(deps, now);
  const linkExpiry = await runLinkExpiryWarnings(deps, now);
  const reminders = await runReminders(deps, now);
  const retention = await runRetention(deps, now);
  return { notifications, receipts, linkOpened, linkExpiry, reminders, retention };
}
