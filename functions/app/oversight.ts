/**
 * Oversight for staff: who could reach a document and whether they got it,
 * delivery receipts, who can see what, the client's-eye view, company settings,
 * and a person's data export (GDPR access request).
 */

import { isLive } from '../domain/access.ts';
import { pdfImageOf } from '../domain/images.ts';
import type { ListOrder } from '../domain/listing.ts';
import { type ChecksumCheck, type CompanySettings, type Grant, ROOT_ID, type ShareLink } from '../domain/model.ts';
import { textPdf } from '../domain/pdf.ts';
import { type DeliveryReceipt, receiptLines, receiptTitle } from '../domain/receipts.ts';
import { deliveries, grantAccessStatus, linkAccessStatus } from '../domain/reports.ts';
import { parseQuery } from '../domain/search.ts';
import { pathNames } from '../domain/tree.ts';
import { Invalid, NotFound } from '../lib/errors.ts';
import { ID_PATTERN, ulid, ulidTime } from '../lib/ids.ts';
import { grantPaths, resolveChain } from './access.ts';
import { companyView } from './branding.ts';
import { folderForWebuser, searchUnderGrants, topsForGrants } from './client-views.ts';
import type { SearchPage } from './name-search.ts';
import type { Needs } from './ports.ts';
import { linkView } from './views.ts';

async function collect<T>(gen: AsyncIterable<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of gen) out.push(...page);
  return out;
}

type Reach = Needs<'nodes' | 'users' | 'links'>;

/** The earliest of the first times, or null when none happened. */
const openedAt = (uses: Array<{ first: string } | undefined>) =>
  uses.reduce<string | null>((min, u) => (u && (!min || u.first < min) ? u.first : min), null);

/** Every grant and link on these folders (one query each, all in one round). */
async function accessOn(deps: Reach, folders: string[]): Promise<{ grants: Grant[]; sent: ShareLink[] }> {
  const [grants, sent] = await Promise.all([
    Promise.all(folders.map((f) => deps.users.grantsOnFolder(f))).then((l) => l.flat()),
    Promise.all(folders.map((f) => deps.links.linksForFolder(f))).then((l) => l.flat()),
  ]);
  return { grants, sent };
}

/** For one file: every web user and link that could reach it, and whether and when each looked at and downloaded it. */
export async function fileReceipts(deps: Reach & Needs<'activity'>, fileId: string, now: Date) {
  const file = await deps.nodes.getFile(fileId);
  if (!file || file.trashedAt) throw new NotFound();
  const chain = await resolveChain(deps, file);
  const folders = chain.ancestors.filter((a) => a !== ROOT_ID);
  const [{ grants, sent }, downloads, previews, acknowledgements] = await Promise.all([
    accessOn(deps, folders),
    collect(deps.activity.allEvents({ targetId: fileId, type: 'download' })),
    collect(deps.activity.allEvents({ targetId: fileId, type: 'preview' })),
    collect(deps.activity.allEvents({ targetId: fileId, type: 'acknowledged' })),
  ]);
  const profiles = await deps.users.getProfiles([...new Set(grants.map((g) => g.userId))]);
  const clients = (events: typeof downloads) => events.filter((e) => e.actor.kind !== 'staff');
  const got = deliveries(clients(downloads));
  const seen = deliveries(clients(previews));
  const confirmed = deliveries(clients(acknowledgements));
  /** What a recipient did with the file: downloads and looks, each counted, and the receipt of the latest. */
  const use = (id: string) => {
    const d = got.get(id);
    const v = seen.get(id);
    const a = confirmed.get(id);
    return {
      /** Opened: first looked at, downloaded or acknowledged (a listing of its folder is not opening it). */
      openedAt: openedAt([d, v, a]),
      acknowledgedAt: a?.first ?? null,
      /** Whether the latest acknowledgement is of the version clients get now. */
      acknowledgedCurrent:
        !!a && acknowledgements.some((e) => e.actor.id === id && e.target?.versionId === file.currentVersionId),
      downloaded: !!d,
      firstDownloadAt: d?.first ?? null,
      lastDownloadAt: d?.last ?? null,
      downloads: d?.count ?? 0,
      previews: v?.count ?? 0,
      lastPreviewAt: v?.last ?? null,
      receiptId: d?.lastEventId ?? v?.lastEventId ?? null,
      acknowledgementReceiptId: a?.lastEventId ?? null,
    };
  };
  const folderName = (id: string) => chain.byId.get(id)?.name ?? null;
  const recipients = [
    ...grants.map((g) => {
      const p = profiles.get(g.userId);
      return {
        kind: 'webuser' as const,
        id: g.userId,
        email: p?.email ?? null,
        name: p?.name ?? null,
        via: { folderId: g.folderId, name: folderName(g.folderId) },
        expiresAt: g.expiresAt ?? null,
        live: isLive(g, now) && p?.status === 'active',
        ...use(g.userId),
      };
    }),
    ...sent.map((l) => {
      return {
        kind: 'link' as const,
        id: l.id,
        email: l.email,
        name: l.name ?? null,
        via: { folderId: l.folderId, name: folderName(l.folderId) },
        expiresAt: l.expiresAt,
        live: isLive(l, now),
        ...use(l.id),
      };
    }),
  ];
  return {
    file: {
      id: file.id,
      name: file.name,
      currentVersionId: file.currentVersionId,
      sha256: file.sha256 ?? null,
      verifiedBy: file.verifiedBy ?? null,
      path: pathNames(chain.ancestors, chain.byId),
    },
    recipients,
  };
}

export async function downloadReceipt(deps: Needs<'activity' | 'nodes' | 'settings'>, eventId: string) {
  if (!ID_PATTERN.test(eventId)) throw new NotFound();
  const e = await deps.activity.getEvent(eventId, new Date(ulidTime(eventId)).toISOString());
  if ((e?.type !== 'download' && e?.type !== 'preview' && e?.type !== 'acknowledged') || !e.target)
    throw new NotFound();
  const details = (e.details ?? {}) as { size?: number; sha256?: string; verifiedBy?: ChecksumCheck };
  let { size, sha256, verifiedBy } = details;
  if ((size === undefined || !sha256) && e.target.versionId) {
    const v = await deps.nodes.getVersion(e.target.id, e.target.versionId);
    size ??= v?.size;
    if (!sha256 && v?.sha256) ({ sha256, verifiedBy } = v);
  }
  const settings = await deps.settings.getSettings();
  const receipt: DeliveryReceipt = {
    eventId: e.id,
    kind: e.type,
    company: settings.name,
    who: { kind: e.actor.kind, id: e.actor.id, email: e.actor.email ?? null, name: e.actor.name ?? null },
    what: {
      fileId: e.target.id,
      name: e.target.name ?? null,
      path: e.target.path ?? [],
      versionId: e.target.versionId ?? null,
      size: size ?? null,
      sha256: sha256 ?? null,
      verifiedBy: sha256 ? (verifiedBy ?? null) : null,
    },
    when: e.at,
    from: { ip: e.ip, userAgent: e.userAgent },
  };
  return { receipt, language: settings.defaultLanguage, logoKey: settings.logoKey };
}

export async function receiptPdf(
  deps: Needs<'files'>,
  r: Awaited<ReturnType<typeof downloadReceipt>>,
): Promise<Uint8Array> {
  const { receipt, language, logoKey } = r;
  const logoBytes = logoKey ? await deps.files.getSmallObject(logoKey, 512 * 1024) : undefined;
  return textPdf(receiptLines(receipt, language), {
    title: receiptTitle(receipt, language),
    logo: logoBytes ? pdfImageOf(logoBytes) : undefined,
  });
}

async function lastLinkAccess(deps: Needs<'activity'>, linkId: string): Promise<string | null> {
  const { events } = await deps.activity.queryEvents({ actorId: linkId }, 1);
  return events[0]?.at ?? null;
}

/** Who can see what: every grant and link, live or not (marked), by folder or by user. */
export async function accessReport(
  deps: Reach & Needs<'activity' | 'clock'>,
  input: { folderId?: string; userId?: string },
  now: Date,
) {
  if (!input.folderId === !input.userId)
    throw new Invalid(
      'folderId: give exactly one of folderId or userId.',
      input.folderId ? 'userId' : 'folderId',
      'one_of',
    );
  let grants: Grant[];
  let sent: ShareLink[];
  if (input.userId) {
    const { profile, grants: g } = await deps.users.getUserWithGrants(input.userId);
    if (profile?.kind !== 'webuser') throw new NotFound();
    grants = g;
    sent = await deps.links.linksToEmail(profile.email);
  } else {
    const folder = await deps.nodes.getFolder(input.folderId!);
    if (!folder || folder.trashedAt) throw new NotFound();
    const chain = await resolveChain(deps, folder);
    ({ grants, sent } = await accessOn(deps, [...chain.ancestors.filter((a) => a !== ROOT_ID), folder.id]));
  }
  const userIds = [...new Set(grants.map((g) => g.userId))];
  // A link reaches its folder as a grant without expiry would: the same path and liveness check.
  const asGrant = (l: ShareLink): Grant => ({
    userId: '',
    folderId: l.folderId,
    grantedBy: '',
    grantedAt: '',
    ancestors: l.ancestors,
  });
  const [profiles, sessions, paths, linkPaths, linkAccess] = await Promise.all([
    deps.users.getProfiles(userIds),
    deps.users.getSessionStates(userIds),
    grantPaths(deps, grants),
    grantPaths(deps, sent.map(asGrant)),
    Promise.all(sent.map((l) => lastLinkAccess(deps, l.id))),
  ]);
  const entries = [
    ...grants.map((g, i) => {
      const p = profiles.get(g.userId);
      const folder = { folderFound: !!paths[i].name, reachable: paths[i].live };
      const status = grantAccessStatus(g, folder, p?.status, now);
      return {
        kind: 'grant' as const,
        folderId: g.folderId,
        path: paths[i].path,
        userId: g.userId,
        email: p?.email ?? null,
        name: p?.name ?? null,
        expiresAt: g.expiresAt ?? null,
        status,
        lastAccessAt: sessions.get(g.userId)?.lastSeenAt ?? null,
      };
    }),
    ...sent.map((l, i) => {
      // One vocabulary for grants and links: live, expired, revoked, folder-gone.
      const status = linkAccessStatus(l, linkPaths[i].live, now);
      return {
        kind: 'link' as const,
        folderId: l.folderId,
        path: linkPaths[i].path,
        linkId: l.id,
        email: l.email,
        name: l.name ?? null,
        expiresAt: l.expiresAt,
        status,
        lastAccessAt: linkAccess[i],
      };
    }),
  ];
  return { entries };
}

/** "View as": exactly what the portal answers this user, through the portal's own functions. */
export async function viewAs(
  deps: Needs<'users' | 'nodes' | 'activity'>,
  userId: string,
  folderId: string | undefined,
  page: { limit: number; cursor?: string } & Partial<ListOrder>,
  now: Date,
) {
  const { profile, grants } = await deps.users.getUserWithGrants(userId);
  if (profile?.kind !== 'webuser') throw new NotFound();
  // A disabled user sees nothing at all in the portal.
  const effective = profile.status === 'active' ? grants : [];
  if (!folderId) return topsForGrants(deps, effective, now);
  const result = await folderForWebuser(deps, effective, folderId, page, now, undefined, userId);
  if (!result) throw new NotFound();
  return result.listing;
}

/** "View as" search: exactly what the portal's search answers this user (the same function). */
export async function viewAsSearch(
  deps: Needs<'users' | 'nodes'>,
  userId: string,
  q: string,
  page: SearchPage,
  now: Date,
) {
  const words = parseQuery(q);
  const { profile, grants } = await deps.users.getUserWithGrants(userId);
  if (profile?.kind !== 'webuser') throw new NotFound();
  // A disabled user finds nothing in the portal.
  return searchUnderGrants(deps, profile.status === 'active' ? grants : [], words, page, now);
}

type Company = Needs<'settings' | 'files'>;

export async function readSettings(deps: Company) {
  const s = await deps.settings.getSettings();
  const view = await companyView(deps, s);
  return { ...s, logoUrl: view.logoUrl ?? null };
}

export async function writeSettings(
  deps: Company,
  input: Omit<CompanySettings, 'updatedAt' | 'updatedBy' | 'logoKey' | 'reminders'> & {
    logoKey?: string | null;
    reminders?: CompanySettings['reminders'];
  },
  by: string,
  now: Date,
) {
  const current = await deps.settings.getSettings();
  let logoKey = current.logoKey;
  if (input.logoKey === null) logoKey = undefined;
  else if (input.logoKey !== undefined && input.logoKey !== current.logoKey) {
    const uploaded = /^branding\/logo-[0-9A-Z]{26}\.(png|jpg)$/.test(input.logoKey);
    if (!uploaded || !(await deps.files.headObject(input.logoKey)))
      throw new Invalid('logoKey: upload the logo first (POST /settings/logo).', 'logoKey', 'not_uploaded');
    logoKey = input.logoKey;
  }
  const { logoKey: _ignored, ...fields } = input;
  const next: CompanySettings = {
    ...fields,
    reminders: input.reminders ?? current.reminders,
    ...(logoKey ? { logoKey } : {}),
    updatedAt: now.toISOString(),
    updatedBy: by,
  };
  await deps.settings.putSettings(next);
  return readSettings(deps);
}

export const MAX_LOGO_BYTES = 512 * 1024;

export async function startLogoUpload(
  deps: Needs<'files'>,
  input: { contentType: 'image/png' | 'image/jpeg'; size: number },
  now: Date,
) {
  const key = `branding/logo-${ulid(now.getTime())}.${input.contentType === 'image/png' ? 'png' : 'jpg'}`;
  const post = await deps.files.presignUploadPost(key, input.size, input.contentType, 900);
  return { logoKey: key, upload: { type: 'post' as const, url: post.url, fields: post.fields } };
}

/** GDPR access request: everything stored about one person. */
export async function exportPerson(deps: Reach & Needs<'activity' | 'clock'>, userId: string, now: Date) {
  const { users, activity } = deps;
  const { profile, grants } = await users.getUserWithGrants(userId);
  if (profile?.kind !== 'webuser') throw new NotFound();
  const [paths, sent, sessions, asActor, asTarget] = await Promise.all([
    grantPaths(deps, grants),
    deps.links.linksToEmail(profile.email),
    users.getSessionStates([userId]),
    collect(activity.allEvents({ actorId: userId })),
    collect(activity.allEvents({ targetId: userId })),
  ]);
  const linkEvents = (await Promise.all(sent.map((l) => collect(activity.allEvents({ actorId: l.id }))))).flat();
  const { inviteHash, ...safeProfile } = profile;
  return {
    exportedAt: now.toISOString(),
    profile: {
      ...safeProfile,
      lastSeenAt: sessions.get(userId)?.lastSeenAt ?? null,
      activatedAt: sessions.get(userId)?.activatedAt ?? null,
    },
    grants: paths,
    links: sent.map((l) => ({ ...linkView(l, now), message: l.message ?? null })),
    activity: { asUser: asActor, aboutUser: asTarget, throughLinks: linkEvents },
  };
}
