/**
 * Reminders (the scheduled job, daily): each client — a web user, or the holder of a "Send by email"
 * link — with documents delivered and not opened for the rule's `afterDays` (since the delivery, then since
 * the last reminder) gets one mail listing them, at most the rule's `max` times per document, in their
 * language. The rule is the nearest folder's above the document, else the company's.
 *
 * Decided again before mailing: a revoked grant or link, a link that no longer opens, a trashed file or a
 * newer version is dropped or left; an open the delivery missed is found in the log. Each reminder is
 * counted first (a conditional update), so a rerun never mails twice; a failed mail gives its counts back.
 * Every reminder is a `reminder.sent` event on the document.
 */
import { grantRootFor } from '../domain/access.ts';
import { newEvent } from '../domain/activity.ts';
import { reminderMail } from '../domain/emails.ts';
import type { CompanySettings, Delivery, FileNode, Grant, Language, ShareLink } from '../domain/model.ts';
import { linkStillOpens, MAX_REMINDERS, reminderDue, reminderRuleFor } from '../domain/sharing.ts';
import { pathFrom } from '../domain/tree.ts';
import { ulidBounds } from '../lib/ids.ts';
import { type Chain, resolveChain } from './access.ts';
import { sendBranded } from './branding.ts';
import type { JobsDeps } from './ports.ts';

const OPENING = new Set(['preview', 'download', 'acknowledged']);
const remindersActor = { kind: 'anonymous' as const, id: 'reminders', name: 'Carpeta' };
const DAY_MS = 86_400_000;

/** Who is reminded, and where their view of a document begins (undefined: it is out of their reach now). */
interface Recipient {
  kind: Delivery['recipientKind'];
  id: string;
  email: string;
  name: string;
  language: Language;
  reachFrom(chain: Chain): string | undefined;
  /** A link holder's link was mailed then: the reminder points at that mail (only it holds the link). */
  linkSentAt?: string;
}

export async function runReminders(deps: JobsDeps, now: Date): Promise<{ mailed: number; documents: number }> {
  const settings = await deps.settings.getSettings();
  // No rule waits less than a day: what was delivered since cannot be due. Each document's rule is its own.
  const before = new Date(now.getTime() - DAY_MS).toISOString();
  const byRecipient = new Map<string, Delivery[]>();
  let cursor: string | undefined;
  do {
    const page = await deps.deliveries.listUnopened({ before, limit: 500, cursor });
    for (const d of page.deliveries) {
      if ((d.reminders ?? 0) >= MAX_REMINDERS) continue;
      const key = `${d.recipientKind}#${d.recipientId}`;
      byRecipient.set(key, [...(byRecipient.get(key) ?? []), d]);
    }
    cursor = page.nextCursor;
  } while (cursor);
  let mailed = 0;
  let documents = 0;
  const chains = new Map<string, Promise<Chain>>();
  for (const due of byRecipient.values()) {
    const recipient = await recipientOf(deps, due[0], now);
    if (!recipient) {
      await Promise.all(due.map((d) => deps.deliveries.dropDelivery(d, now.toISOString())));
      continue;
    }
    const sent = await remindOne(deps, settings, recipient, due, now, chains);
    if (sent) [mailed, documents] = [mailed + 1, documents + sent];
  }
  return { mailed, documents };
}

/** The web user (active, with their live grants) or the link (still opening): undefined when neither is left. */
async function recipientOf(deps: JobsDeps, d: Delivery, now: Date): Promise<Recipient | undefined> {
  if (d.recipientKind === 'link') {
    const link = await deps.links.getLinkById(d.recipientId);
    if (!link || !linkStillOpens(link, now)) return undefined;
    return linkRecipient(link);
  }
  const { profile, grants } = await deps.users.getUserWithGrants(d.recipientId);
  if (!profile || profile.status !== 'active') return undefined;
  return {
    kind: 'webuser',
    id: profile.id,
    email: profile.email,
    name: profile.name,
    language: profile.language,
    reachFrom: (chain) => (chain.state === 'ok' ? grantRootFor(chain.ancestors, grants as Grant[], now) : undefined),
  };
}

function linkRecipient(link: ShareLink): Recipient {
  return {
    kind: 'link',
    id: link.id,
    email: link.email,
    name: link.name ?? link.email,
    language: link.language,
    reachFrom: (chain) => (chain.state === 'ok' && chain.ancestors.includes(link.folderId) ? link.folderId : undefined),
    linkSentAt: link.createdAt,
  };
}

async function remindOne(
  deps: JobsDeps,
  settings: CompanySettings,
  who: Recipient,
  due: Delivery[],
  now: Date,
  chains: Map<string, Promise<Chain>>,
): Promise<number> {
  const at = now.toISOString();
  const files = await deps.nodes.getFiles(due.map((d) => d.fileId));
  const reachable: Array<{ d: Delivery; file: FileNode; path: string[]; within: string[] }> = [];
  for (const d of due) {
    const file = files.get(d.fileId);
    if (!file || file.trashedAt) {
      await deps.deliveries.dropDelivery(d, at);
      continue;
    }
    // A newer version is a newer delivery: the notifications job records it.
    if (file.currentVersionId !== d.versionId) continue;
    // One chain per document, whoever it was delivered to.
    if (!chains.has(file.id)) chains.set(file.id, resolveChain(deps, file));
    const chain = await chains.get(file.id)!;
    const root = who.reachFrom(chain);
    if (!root) {
      await deps.deliveries.dropDelivery(d, at);
      continue;
    }
    if (!reminderDue(d, reminderRuleFor(chain.ancestors, chain.byId, settings.reminders), now)) continue;
    const { events } = await deps.activity.queryEvents(
      { targetId: file.id, actorId: who.id, minId: ulidBounds(Date.parse(d.deliveredAt)).min },
      100,
    );
    const opened = events.find((e) => OPENING.has(e.type));
    if (opened) {
      await deps.deliveries.markOpened(who.id, file.id, opened.at);
      continue;
    }
    reachable.push({ d, file, path: pathFrom(file, chain.byId, root), within: chain.ancestors });
  }
  const counted: typeof reachable = [];
  for (const r of reachable) if (await deps.deliveries.countReminder(r.d, r.d.reminders ?? 0, at)) counted.push(r);
  if (!counted.length) return 0;
  try {
    const documents = counted.map((r) => ({ name: r.file.name, path: r.path }));
    await sendBranded(deps, settings, who.email, (brand, site) =>
      reminderMail({
        lang: who.language,
        ...brand,
        name: who.name,
        documents,
        ...(who.linkSentAt ? { linkSentAt: who.linkSentAt } : { url: `${site}/portal` }),
      }),
    );
  } catch (err) {
    await Promise.all(counted.map((r) => deps.deliveries.uncountReminder(r.d, r.d.reminders ?? 0)));
    deps.log.warn('reminder mail failed; will retry', { recipientId: who.id, err });
    return 0;
  }
  for (const r of counted)
    await deps.activity
      .putEvent(
        newEvent(
          {
            type: 'reminder.sent',
            actor: remindersActor,
            target: { kind: 'file', id: r.file.id, name: r.file.name, path: r.path, versionId: r.d.versionId },
            within: r.within,
            details: {
              recipientKind: who.kind,
              recipientId: who.id,
              email: who.email,
              reminder: (r.d.reminders ?? 0) + 1,
              deliveredAt: r.d.deliveredAt,
            },
            ip: '',
            userAgent: 'carpeta-jobs',
          },
          now,
        ),
      )
      .catch((err) => deps.log.warn('reminder.sent event not stored', { err, recipientId: who.id, fileId: r.file.id }));
  return counted.length;
}
