/**
 * "Your link expires in three days" (the scheduled jobs): the staff member who sent a link is mailed once,
 * three days before it stops working, so they can extend it (POST /links/{id}/extend mails a new one).
 * Read from the expiry calendar the link was written with; a link that is revoked, used up, or that never
 * had more than three days to live gets no warning. Marked first (a conditional update), so a rerun never
 * mails twice; a failed mail is unmarked and tried again on the next run.
 */
import { linkExpiringMail } from '../domain/emails.ts';
import { linkStillOpens } from '../domain/sharing.ts';
import { sendBranded } from './branding.ts';
import type { JobsDeps } from './ports.ts';

export const EXPIRY_WARNING_DAYS = 3;
const DAY_MS = 86_400_000;

export async function runLinkExpiryWarnings(deps: JobsDeps, now: Date): Promise<{ warned: number }> {
  const horizon = new Date(now.getTime() + EXPIRY_WARNING_DAYS * DAY_MS).toISOString();
  const entries = (await deps.links.linksExpiring(now.toISOString(), horizon)).filter((e) => !e.warnedAt);
  if (!entries.length) return { warned: 0 };
  const settings = await deps.settings.getSettings();
  let warned = 0;
  for (const entry of entries) {
    const link = await deps.links.getLinkById(entry.linkId);
    if (!link || link.expiresAt !== entry.expiresAt || !linkStillOpens(link, now)) continue;
    // A link made to last three days or less was sent knowing it: nothing to warn of.
    if (Date.parse(link.expiresAt) - Date.parse(link.createdAt) <= EXPIRY_WARNING_DAYS * DAY_MS) continue;
    const sender = await deps.users.getProfile(link.createdBy);
    if (sender?.status !== 'active') continue;
    if (!(await deps.links.markExpiryWarned(entry, now.toISOString()))) continue;
    const folder = await deps.nodes.getFolder(link.folderId);
    try {
      await sendBranded(deps, settings, sender.email, (brand, site) =>
        linkExpiringMail({
          lang: sender.language,
          ...brand,
          who: link.name ? `${link.name} <${link.email}>` : link.email,
          folderName: folder?.name ?? '',
          expiresAt: link.expiresAt,
          url: `${site}/admin/folders/${link.folderId}`,
        }),
      );
      warned++;
    } catch (err) {
      await deps.links.unmarkExpiryWarned(entry);
      deps.log.warn('link expiry warning not mailed; will retry', { err, linkId: link.id });
    }
  }
  return { warned };
}
