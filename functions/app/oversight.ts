/**
 * Oversight for staff: who could reach a document and whether they got it,
 * delivery receipts, who can see what, the client's-eye view, company settings,
 * and a person's data export (GDPR access request).
 */
import { Invalid, NotFound } from '../lib/errors.ts';
import { ID_PATTERN, ulid, ulidTime } from '../lib/ids.ts';
import { isLive } from '../domain/access.ts';
import type { ActivityEvent } from '../domain/activity.ts';
import { textPdf, wrap, type PdfLine } from '../domain/pdf.ts';
import { userKeys, ROOT_ID } from '../store/keys.ts';
import * as nodes from '../store/nodes.ts';
import * as users from '../store/users.ts';
import type { UserProfile } from '../store/users.ts';
import * as links from '../store/links.ts';
import { allEvents, getEvent, queryEvents } from '../store/activity.ts';
import { getSettings, putSettings, type CompanySettings } from '../store/settings.ts';
import { getSmallObject, headObject, presignUploadPost } from '../aws/s3.ts';
import { pdfImageOf } from '../domain/images.ts';
import { resolveChain } from './tree.ts';
import { pathNames } from './client-views.ts';
import { companyView } from './branding.ts';
import { folderForWebuser, topsForGrants } from './portal.ts';
import { grantPaths, linkView } from './webusers.ts';

async function collect<T>(gen: AsyncGenerator<T[]>): Promise<T[]> {
  const out: T[] = [];
  for await (const page of gen) out.push(...page);
  return out;
}

async function profilesOf(ids: string[]): Promise<Map<string, UserProfile>> {
  const items = await nodes.getMany(ids.map((id) => userKeys.profile(id)));
  const out = new Map<string, UserProfile>();
  for (const id of ids) {
    const item = nodes.fromItem<UserProfile>(items.get(`${userKeys.profile(id).PK}|PROFILE`));
    if (item) out.set(id, item);
  }
  return out;
}

interface Delivery {
  first: string;
  last: string;
  count: number;
  lastEventId: string;
}

function deliveries(events: ActivityEvent[]): Map<string, Delivery> {
  const out = new Map<string, Delivery>();
  for (const e of events) {
    const d = out.get(e.actor.id);
    if (!d) out.set(e.actor.id, { first: e.at, last: e.at, count: 1, lastEventId: e.id });
    else {
      d.count++;
      if (e.at < d.first) d.first = e.at;
      if (e.at > d.last) [d.last, d.lastEventId] = [e.at, e.id];
    }
  }
  return out;
}

/** For one file: every web user and link that could reach it, and whether and when each downloaded it. */
export async function fileReceipts(fileId: string, now: Date) {
  const file = await nodes.getFile(fileId);
  if (!file || file.trashedAt) throw new NotFound();
  const chain = await resolveChain(file);
  const folders = chain.ancestors.filter((a) => a !== ROOT_ID);
  const [grantLists, linkLists, downloads] = await Promise.all([
    Promise.all(folders.map((f) => users.grantsOnFolder(f))),
    Promise.all(folders.map((f) => links.linksForFolder(f))),
    collect(allEvents({ fileId, type: 'download' })),
  ]);
  const grants = grantLists.flat();
  const profiles = await profilesOf([...new Set(grants.map((g) => g.userId))]);
  const got = deliveries(downloads.filter((e) => e.actor.kind !== 'staff'));
  const folderName = (id: string) => chain.byId.get(id)?.name ?? null;
  const recipients = [
    ...grants.map((g) => {
      const p = profiles.get(g.userId);
      const d = got.get(g.userId);
      return {
        kind: 'webuser' as const,
        id: g.userId,
        email: p?.email ?? null,
        name: p?.name ?? null,
        via: { folderId: g.folderId, name: folderName(g.folderId) },
        expiresAt: g.expiresAt ?? null,
        live: isLive(g, now) && p?.status === 'active',
        downloaded: !!d,
        firstDownloadAt: d?.first ?? null,
        lastDownloadAt: d?.last ?? null,
        downloads: d?.count ?? 0,
        receiptId: d?.lastEventId ?? null,
      };
    }),
    ...linkLists.flat().map((l) => {
      const d = got.get(l.id);
      return {
        kind: 'link' as const,
        id: l.id,
        email: l.email,
        name: l.name ?? null,
        via: { folderId: l.folderId, name: folderName(l.folderId) },
        expiresAt: l.expiresAt,
        live: isLive(l, now),
        downloaded: !!d,
        firstDownloadAt: d?.first ?? null,
        lastDownloadAt: d?.last ?? null,
        downloads: d?.count ?? 0,
        receiptId: d?.lastEventId ?? null,
      };
    }),
  ];
  return {
    file: {
      id: file.id,
      name: file.name,
      currentVersionId: file.currentVersionId,
      path: pathNames(chain.ancestors, chain.byId),
    },
    recipients,
  };
}

export async function downloadReceipt(eventId: string) {
  if (!ID_PATTERN.test(eventId)) throw new NotFound();
  const e = await getEvent(eventId, new Date(ulidTime(eventId)).toISOString());
  if (!e || e.type !== 'download' || !e.target) throw new NotFound();
  const details = (e.details ?? {}) as { size?: number; sha256?: string };
  let { size, sha256 } = details;
  if ((size === undefined || !sha256) && e.target.versionId) {
    const v = await nodes.getVersion(e.target.id, e.target.versionId);
    size ??= v?.size;
    sha256 ??= v?.sha256;
  }
  const settings = await getSettings();
  return {
    receipt: {
      eventId: e.id,
      company: settings.name,
      who: { kind: e.actor.kind, id: e.actor.id, email: e.actor.email ?? null, name: e.actor.name ?? null },
      what: {
        fileId: e.target.id,
        name: e.target.name ?? null,
        path: e.target.path ?? [],
        versionId: e.target.versionId ?? null,
        size: size ?? null,
        sha256: sha256 ?? null,
      },
      when: e.at,
      from: { ip: e.ip, userAgent: e.userAgent },
    },
    language: settings.defaultLanguage,
    logoKey: settings.logoKey,
  };
}

export async function receiptPdf(r: Awaited<ReturnType<typeof downloadReceipt>>): Promise<Uint8Array> {
  const { receipt: x, language, logoKey } = r;
  const es = language === 'es';
  const L = (es_: string, en: string) => (es ? es_ : en);
  const who =
    x.who.kind === 'link' ? L('Enlace enviado por correo a', 'Link emailed to') : L('Usuario web', 'Web user');
  const lines: PdfLine[] = [
    { text: x.company, size: 14, bold: true },
    { text: L('Justificante de descarga', 'Delivery receipt'), size: 20, bold: true, gap: 12 },
    {
      text: L(
        'Este documento acredita que el archivo indicado se entregó para su descarga a la persona indicada.',
        'This document certifies that the file below was handed over for download to the person below.',
      ),
      size: 10,
      gap: 6,
    },
    { text: L('Quién', 'Who'), bold: true, gap: 14 },
    { text: `${who}: ${x.who.name ? `${x.who.name} <${x.who.email ?? ''}>` : (x.who.email ?? x.who.id)}` },
    { text: L('Qué', 'What'), bold: true, gap: 10 },
    ...wrap(`${L('Archivo', 'File')}: ${x.what.name ?? x.what.fileId}`, 90).map((text) => ({ text })),
    ...wrap(`${L('Ubicación', 'Location')}: ${x.what.path.join(' / ') || '—'}`, 90).map((text) => ({ text })),
    { text: `${L('Versión', 'Version')}: ${x.what.versionId ?? '—'}` },
    { text: `${L('Tamaño', 'Size')}: ${x.what.size ?? '—'} bytes` },
    { text: `SHA-256: ${x.what.sha256 ?? L('no disponible', 'not available')}`, size: 9 },
    { text: L('Cuándo (UTC)', 'When (UTC)'), bold: true, gap: 10 },
    { text: x.when.replace('T', ' ').replace(/\.\d+Z$/, ' UTC') },
    { text: L('Desde dónde', 'From where'), bold: true, gap: 10 },
    { text: `IP: ${x.from.ip || '—'}` },
    ...wrap(`${L('Navegador', 'Browser')}: ${x.from.userAgent || '—'}`, 95).map((text) => ({ text, size: 9 })),
    { text: `${L('Referencia', 'Reference')}: ${x.eventId}`, size: 9, gap: 18 },
  ];
  const logoBytes = logoKey ? await getSmallObject(logoKey, 512 * 1024) : undefined;
  return textPdf(lines, {
    title: `${L('Justificante', 'Receipt')} ${x.eventId}`,
    logo: logoBytes ? pdfImageOf(logoBytes) : undefined,
  });
}

async function lastLinkAccess(linkId: string): Promise<string | null> {
  const { events } = await queryEvents({ actorId: linkId }, 1);
  return events[0]?.at ?? null;
}

/** Who can see what: every grant and link, live or not (marked), by folder or by user. */
export async function accessReport(input: { folderId?: string; userId?: string }, now: Date) {
  if (!input.folderId === !input.userId)
    throw new Invalid('folderId: give exactly one of folderId or userId.', input.folderId ? 'userId' : 'folderId');
  let grants: users.Grant[];
  let sent: links.ShareLink[];
  if (input.userId) {
    const { profile, grants: g } = await users.getUserWithGrants(input.userId);
    if (!profile || profile.kind !== 'webuser') throw new NotFound();
    grants = g;
    sent = await links.linksToEmail(profile.email);
  } else {
    const folder = await nodes.getFolder(input.folderId!);
    if (!folder || folder.trashedAt) throw new NotFound();
    const chain = await resolveChain(folder);
    const folders = [...chain.ancestors.filter((a) => a !== ROOT_ID), folder.id];
    [grants, sent] = await Promise.all([
      Promise.all(folders.map((f) => users.grantsOnFolder(f))).then((l) => l.flat()),
      Promise.all(folders.map((f) => links.linksForFolder(f))).then((l) => l.flat()),
    ]);
  }
  const userIds = [...new Set(grants.map((g) => g.userId))];
  const [profiles, sessions, paths, linkPaths, linkAccess] = await Promise.all([
    profilesOf(userIds),
    users.getSessionStates(userIds),
    grantPaths(grants),
    grantPaths(
      sent.map((l) => ({ userId: '', folderId: l.folderId, grantedBy: '', grantedAt: '', ancestors: l.ancestors })),
    ),
    Promise.all(sent.map((l) => lastLinkAccess(l.id))),
  ]);
  const entries = [
    ...grants.map((g, i) => {
      const p = profiles.get(g.userId);
      const status =
        !paths[i].name || (!paths[i].live && isLive(g, now) && p?.status !== 'disabled')
          ? 'folder-gone'
          : p?.status === 'disabled'
            ? 'disabled'
            : isLive(g, now)
              ? 'live'
              : 'expired';
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
      const view = linkView(l, now).status;
      // One vocabulary for grants and links: live, expired, revoked, folder-gone.
      const folderGone = !linkPaths[i].live; // missing, or in (or under) the trash
      const status =
        view === 'revoked' ? 'revoked' : folderGone ? 'folder-gone' : view === 'active' ? 'live' : 'expired';
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
  userId: string,
  folderId: string | undefined,
  page: { limit: number; cursor?: string },
  now: Date,
) {
  const { profile, grants } = await users.getUserWithGrants(userId);
  if (!profile || profile.kind !== 'webuser') throw new NotFound();
  // A disabled user sees nothing at all in the portal.
  const effective = profile.status === 'active' ? grants : [];
  if (!folderId) return topsForGrants(effective, now);
  const result = await folderForWebuser(effective, folderId, page, now);
  if (!result) throw new NotFound();
  return result.listing;
}

export async function readSettings() {
  const s = await getSettings();
  const view = await companyView(s);
  return { ...s, logoUrl: view.logoUrl ?? null };
}

export async function writeSettings(
  input: Omit<CompanySettings, 'updatedAt' | 'updatedBy' | 'logoKey'> & { logoKey?: string | null },
  by: string,
  now: Date,
) {
  const current = await getSettings();
  let logoKey = current.logoKey;
  if (input.logoKey === null) logoKey = undefined;
  else if (input.logoKey !== undefined && input.logoKey !== current.logoKey) {
    if (!/^branding\/logo-[0-9A-Z]{26}\.(png|jpg)$/.test(input.logoKey) || !(await headObject(input.logoKey)))
      throw new Invalid('logoKey: upload the logo first (POST /settings/logo).', 'logoKey');
    logoKey = input.logoKey;
  }
  const { logoKey: _ignored, ...fields } = input;
  const next: CompanySettings = {
    ...fields,
    ...(logoKey ? { logoKey } : {}),
    updatedAt: now.toISOString(),
    updatedBy: by,
  };
  await putSettings(next);
  return readSettings();
}

export const MAX_LOGO_BYTES = 512 * 1024;

export async function startLogoUpload(input: { contentType: 'image/png' | 'image/jpeg'; size: number }, now: Date) {
  const key = `branding/logo-${ulid(now.getTime())}.${input.contentType === 'image/png' ? 'png' : 'jpg'}`;
  const post = await presignUploadPost(key, input.size, input.contentType, 900);
  return { logoKey: key, upload: { type: 'post' as const, url: post.url, fields: post.fields } };
}

/** GDPR access request: everything stored about one person. */
export async function exportPerson(userId: string, now: Date) {
  const { profile, grants } = await users.getUserWithGrants(userId);
  if (!profile || profile.kind !== 'webuser') throw new NotFound();
  const [paths, sent, sessions, asActor, asTarget] = await Promise.all([
    grantPaths(grants),
    links.linksToEmail(profile.email),
    users.getSessionStates([userId]),
    collect(allEvents({ actorId: userId })),
    collect(allEvents({ fileId: userId })),
  ]);
  const linkEvents = (await Promise.all(sent.map((l) => collect(allEvents({ actorId: l.id }))))).flat();
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
