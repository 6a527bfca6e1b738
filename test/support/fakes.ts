/**
 * In-memory fakes of the ports (functions/app/ports.ts), for fast tests of the use cases'
 * rules with no emulator. They keep the repositories' contracts (conditional writes answer
 * false, expired items are the caller's to filter) and write every call to one journal, so a
 * test can assert the order of steps (audit first: the event before the URL).
 */

import type {
  ActivityLog,
  AppConfig,
  ClientIdRegistry,
  DeliveryLog,
  FileStorage,
  IdentityProvider,
  InvitationRepository,
  JobBookkeeping,
  LinkRepository,
  Log,
  Mailer,
  NodeReader,
  NodeWriter,
  Ports,
  RateLimitCounters,
  SettingsRepository,
  TwoStepCodes,
  UserRepository,
} from '../../functions/app/ports.ts';
import type { Mail } from '../../functions/domain/emails.ts';
import {
  type Acknowledgement,
  type ActivityEvent,
  type ActivityQuery,
  type ClientIdClaim,
  type CompanySettings,
  companyDefaults,
  type Delivery,
  type FileNode,
  type FileVersion,
  type FolderNode,
  type Grant,
  type Invitation,
  type NameClaim,
  type Node,
  ROOT_ID,
  type SessionState,
  type ShareLink,
  type UserProfile,
} from '../../functions/domain/model.ts';
import { nameWords, searchEntries } from '../../functions/domain/search.ts';
import type { TwoStepCode } from '../../functions/domain/two-step.ts';
import { Conflict, MailFailed, Unauthorized } from '../../functions/lib/errors.ts';

/** What a fake was asked, in order: "activity.putEvent download", "files.mintDownloadUrl files/F/V". */
export type Journal = string[];

const parentOf = (n: Node) => (n.kind === 'folder' ? n.parentId : n.folderId);
const claimKey = (parentId: string, name: string) => `${parentId}/${name.normalize('NFC').toLowerCase()}`;
// JSON, not structuredClone: under jest the test runs in its own realm, and node:assert's strict
// equality compares prototypes (an array cloned by the host realm is not the test realm's Array).
const copy = <T>(v: T): T => (v === undefined ? v : JSON.parse(JSON.stringify(v)));

export function fakeNodes(journal: Journal) {
  const folders = new Map<string, FolderNode>();
  const files = new Map<string, FileNode>();
  const versions = new Map<string, FileVersion>();
  const claims = new Map<string, NameClaim>();
  const node = (id: string): Node | undefined => folders.get(id) ?? files.get(id);
  const store = (n: Node) => (n.kind === 'folder' ? folders.set(n.id, copy(n)) : files.set(n.id, copy(n)));
  const repo: NodeReader & NodeWriter = {
    async getFolder(id) {
      journal.push(`nodes.getFolder ${id}`);
      return copy(folders.get(id));
    },
    async getFile(id) {
      journal.push(`nodes.getFile ${id}`);
      return copy(files.get(id));
    },
    async getFolders(ids) {
      journal.push(`nodes.getFolders ${ids.join(',')}`);
      return new Map(ids.filter((id) => id !== ROOT_ID && folders.has(id)).map((id) => [id, copy(folders.get(id)!)]));
    },
    async getFiles(ids) {
      return new Map(ids.filter((id) => files.has(id)).map((id) => [id, copy(files.get(id)!)]));
    },
    async findNode(id) {
      return copy(node(id));
    },
    async getFileAndVersion(fileId, versionId) {
      return {
        file: copy(files.get(fileId)),
        version: versionId ? copy(versions.get(`${fileId}/${versionId}`)) : undefined,
      };
    },
    async getFileWithVersions(id) {
      return { file: copy(files.get(id)), versions: [...versions.values()].filter((v) => v.fileId === id) };
    },
    async listChildren(parentId, limit) {
      const live = [...folders.values(), ...files.values()].filter((n) => !n.trashedAt && parentOf(n) === parentId);
      const byName = (a: Node, b: Node) => a.name.localeCompare(b.name);
      return {
        folders: live
          .filter((n): n is FolderNode => n.kind === 'folder')
          .sort(byName)
          .slice(0, limit),
        files: live
          .filter((n): n is FileNode => n.kind === 'file')
          .sort(byName)
          .slice(0, limit),
      };
    },
    async claimName(parentId, name, owner) {
      journal.push(`nodes.claimName ${parentId}/${name}`);
      if (claims.has(claimKey(parentId, name))) return false;
      claims.set(claimKey(parentId, name), copy(owner));
      return true;
    },
    async getClaim(parentId, name) {
      return copy(claims.get(claimKey(parentId, name)));
    },
    async replaceClaim(parentId, name, staleOwnerId, owner) {
      journal.push(`nodes.replaceClaim ${parentId}/${name}`);
      if (claims.get(claimKey(parentId, name))?.id !== staleOwnerId) return false;
      claims.set(claimKey(parentId, name), copy(owner));
      return true;
    },
    async confirmClaim(parentId, name, ownerId) {
      const c = claims.get(claimKey(parentId, name));
      if (c?.id === ownerId) delete c.pendingUntil;
    },
    async releaseClaim(parentId, name, ownerId) {
      if (claims.get(claimKey(parentId, name))?.id === ownerId) claims.delete(claimKey(parentId, name));
    },
    async putNewFolder(f) {
      journal.push(`nodes.putNewFolder ${f.id}`);
      store(f);
    },
    async updateNode(n, expectedVersion, changes, now) {
      const current = node(n.id);
      if (!current || current.version !== expectedVersion || current.trashedAt) return undefined;
      const next = { ...copy(n), version: expectedVersion + 1, updatedAt: now };
      if (changes.name !== undefined) next.name = changes.name;
      if (changes.ancestors !== undefined) next.ancestors = changes.ancestors;
      if (changes.parent !== undefined)
        Object.assign(next, next.kind === 'folder' ? { parentId: changes.parent } : { folderId: changes.parent });
      for (const field of ['receiptsToUploader', 'taxId', 'clientCode', 'requiresAcknowledgement'] as const) {
        if (changes[field] === null) delete (next as unknown as Record<string, unknown>)[field];
        else if (changes[field] !== undefined) (next as unknown as Record<string, unknown>)[field] = changes[field];
      }
      store(next);
      return next;
    },
    async setAncestors(_kind, id, ancestors) {
      const n = node(id);
      if (n) n.ancestors = [...ancestors];
    },
    async trashNode(n, by, now) {
      const current = node(n.id);
      if (!current || current.trashedAt) return false;
      Object.assign(current, { trashedAt: now, trashedBy: by, version: current.version + 1 });
      return true;
    },
    async restoreNode(n, name, now) {
      const current = node(n.id);
      if (!current?.trashedAt) return undefined;
      delete current.trashedAt;
      delete current.trashedBy;
      Object.assign(current, { name, updatedAt: now, version: current.version + 1 });
      return copy(current);
    },
    async listTrash(limit) {
      return { items: [...folders.values(), ...files.values()].filter((n) => n.trashedAt).slice(0, limit) };
    },
    async putPendingVersion(v) {
      versions.set(`${v.fileId}/${v.versionId}`, copy(v));
    },
    async putVersionCopy(v) {
      versions.set(`${v.fileId}/${v.versionId}`, copy(v));
    },
    async getVersion(fileId, versionId) {
      return copy(versions.get(`${fileId}/${versionId}`));
    },
    async filesBeneath(folderId, limit) {
      const below = [...files.values()]
        .filter((f) => !f.trashedAt && f.ancestors.includes(folderId))
        .map((f) => ({ id: f.id, ancestors: f.ancestors }))
        .sort((a, b) => (a.id < b.id ? -1 : 1));
      return { files: below.slice(0, limit) };
    },
    /** The name index as the store keeps it, built from the live nodes (no paging across calls). */
    async searchNames(scopes, prefix) {
      const live = [...folders.values(), ...files.values()].filter((n) => !n.trashedAt);
      const entries = live.flatMap((n) =>
        searchEntries(n)
          .filter((e) => scopes.includes(e.scope) && e.word.startsWith(prefix))
          .map((e) => ({
            nodeId: n.id,
            kind: n.kind,
            word: e.word,
            words: nameWords(n.name),
            ancestors: n.ancestors,
            position: `${e.word}#${n.id}`,
          })),
      );
      const unique = [...new Map(entries.map((e) => [e.position, e])).values()];
      return { entries: unique.sort((a, b) => (a.position < b.position ? -1 : 1)) };
    },
    async markVersionReady(v, stored, now) {
      const defined = Object.fromEntries(Object.entries(stored).filter(([, x]) => x !== undefined));
      const ready: FileVersion = { ...copy(v), status: 'ready', ...defined, completedAt: now };
      versions.set(`${v.fileId}/${v.versionId}`, ready);
      return copy(ready);
    },
    async putNewFile(f) {
      if (files.has(f.id)) return false;
      store(f);
      return true;
    },
    async setCurrentVersion(fileId, v, now) {
      const f = files.get(fileId);
      if (!f || f.currentVersionId >= v.versionId) return undefined;
      Object.assign(f, {
        currentVersionId: v.versionId,
        objectKey: v.objectKey,
        size: v.size,
        contentType: v.contentType,
        updatedAt: now,
      });
      return copy(f);
    },
  };
  return { repo, folders, files, versions, claims };
}

export function fakeUsers(journal: Journal) {
  const profiles = new Map<string, UserProfile>();
  const grants = new Map<string, Grant>();
  const sessions = new Map<string, SessionState>();
  const grantKey = (userId: string, folderId: string) => `${userId}/${folderId}`;
  const repo: UserRepository = {
    async getProfile(sub) {
      return copy(profiles.get(sub));
    },
    async getProfiles(subs) {
      return new Map(subs.filter((s) => profiles.has(s)).map((s) => [s, copy(profiles.get(s)!)]));
    },
    async putProfile(p) {
      journal.push(`users.putProfile ${p.id}`);
      if (profiles.has(p.id)) throw new Error('profile exists');
      profiles.set(p.id, copy(p));
    },
    async updateProfile(sub, changes, now) {
      const p = profiles.get(sub);
      if (!p) return undefined;
      const defined = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== undefined));
      Object.assign(p, defined, { updatedAt: now });
      return copy(p);
    },
    searchText: (p) => `${p.email} ${p.name}`.toLowerCase(),
    async deleteProfile(sub) {
      journal.push(`users.deleteProfile ${sub}`);
      profiles.delete(sub);
    },
    async getUserWithGrants(sub) {
      journal.push(`users.getUserWithGrants ${sub}`);
      return {
        profile: copy(profiles.get(sub)),
        grants: [...grants.values()].filter((g) => g.userId === sub).map(copy),
      };
    },
    async listWebusers(limit) {
      return { users: [...profiles.values()].filter((p) => p.kind === 'webuser').slice(0, limit) };
    },
    async listStaff() {
      return [...profiles.values()].filter((p) => p.kind === 'staff');
    },
    async putGrant(g) {
      journal.push(`users.putGrant ${g.userId}/${g.folderId}`);
      const isNew = !grants.has(grantKey(g.userId, g.folderId));
      grants.set(grantKey(g.userId, g.folderId), copy(g));
      return isNew;
    },
    async deleteGrant(userId, folderId) {
      journal.push(`users.deleteGrant ${userId}/${folderId}`);
      return grants.delete(grantKey(userId, folderId));
    },
    async adjustGrantCount(userId, delta) {
      const p = profiles.get(userId);
      if (p) p.grantCount = (p.grantCount ?? 0) + delta;
    },
    async grantsOnFolder(folderId) {
      return [...grants.values()].filter((g) => g.folderId === folderId).map(copy);
    },
    async renameInGrants(userId, folderIds, name) {
      for (const g of grants.values()) if (g.userId === userId && folderIds.includes(g.folderId)) g.name = name;
    },
    async getSessionStates(subs) {
      return new Map(subs.filter((s) => sessions.has(s)).map((s) => [s, copy(sessions.get(s)!)]));
    },
    async touchSession() {
      return false;
    },
    async markActivated(sub, now) {
      sessions.set(sub, { ...sessions.get(sub), activatedAt: now });
    },
    async deleteSessionState(sub) {
      sessions.delete(sub);
    },
  };
  return { repo, profiles, grants, sessions };
}

export function fakeLinks(journal: Journal) {
  const links = new Map<string, ShareLink>();
  /** The expiry calendar's warnings, by link id. */
  const warned = new Map<string, string>();
  const invitations = new Map<string, Invitation>();
  const linkRepo: LinkRepository = {
    async putLink(l) {
      journal.push(`links.putLink ${l.id}`);
      links.set(l.tokenHash, copy(l));
    },
    async getLinkByHash(tokenHash) {
      journal.push('links.getLinkByHash');
      return copy(links.get(tokenHash));
    },
    async takeDownload(tokenHash, max) {
      const l = links.get(tokenHash);
      if (!l || (l.downloads ?? 0) >= max) return false;
      l.downloads = (l.downloads ?? 0) + 1;
      return true;
    },
    async takeDownloads(tokenHash, max, count) {
      const l = links.get(tokenHash);
      if (!l || (l.downloads ?? 0) + count > max) return false;
      l.downloads = (l.downloads ?? 0) + count;
      return true;
    },
    async giveBackDownload(tokenHash, count = 1) {
      const l = links.get(tokenHash);
      if (l) l.downloads = (l.downloads ?? count) - count;
    },
    async getLinkById(id) {
      return copy([...links.values()].find((l) => l.id === id));
    },
    async linksForFolder(folderId) {
      return [...links.values()].filter((l) => l.folderId === folderId).map(copy);
    },
    async withDownloadsTaken(list) {
      return list.map((l) => (l.maxDownloads ? { ...l, downloads: links.get(l.tokenHash)?.downloads ?? 0 } : l));
    },
    async linksToEmail(email) {
      return [...links.values()].filter((l) => l.email === email.toLowerCase()).map(copy);
    },
    async markReplaced(tokenHash, replacedBy) {
      const l = links.get(tokenHash);
      if (!l || l.replacedBy) return false;
      l.replacedBy = replacedBy;
      return true;
    },
    async revokeLink(tokenHash, by, now) {
      const l = links.get(tokenHash);
      if (!l || l.revokedAt) return false;
      Object.assign(l, { revokedAt: now, revokedBy: by });
      return true;
    },
    async deleteLink(l) {
      journal.push(`links.deleteLink ${l.id}`);
      links.delete(l.tokenHash);
      warned.delete(l.id);
    },
    async linksExpiring(from, to) {
      return [...links.values()]
        .filter((l) => l.expiresAt > from && l.expiresAt <= to)
        .map((l) => ({
          linkId: l.id,
          expiresAt: l.expiresAt,
          ...(warned.has(l.id) ? { warnedAt: warned.get(l.id) } : {}),
        }));
    },
    async markExpiryWarned(e, at) {
      if (warned.has(e.linkId)) return false;
      warned.set(e.linkId, at);
      return true;
    },
    async unmarkExpiryWarned(e) {
      warned.delete(e.linkId);
    },
  };
  const invitationRepo: InvitationRepository = {
    async putInvitation(i) {
      journal.push(`invitations.putInvitation ${i.userId}`);
      invitations.set(i.tokenHash, copy(i));
    },
    async getInvitation(tokenHash) {
      return copy(invitations.get(tokenHash));
    },
    async consumeInvitation(tokenHash, now) {
      const i = invitations.get(tokenHash);
      if (!i || i.usedAt || i.expiresAt <= now) return false;
      i.usedAt = now;
      return true;
    },
    async unconsumeInvitation(tokenHash) {
      const i = invitations.get(tokenHash);
      if (i) delete i.usedAt;
    },
    async deleteInvitation(tokenHash) {
      journal.push('invitations.deleteInvitation');
      invitations.delete(tokenHash);
    },
  };
  return { linkRepo, invitationRepo, links, invitations };
}

/** The log; `failWrites` makes every putEvent throw as a store that stopped answering would. */
export function fakeActivity(journal: Journal) {
  const events: ActivityEvent[] = [];
  const acknowledgements = new Map<string, Acknowledgement>();
  /** The listings' hints: `<folderId>#<actorId>#<fileId>#<versionId>`. */
  const confirmedIn = new Set<string>();
  const state = { failWrites: false };
  const matches = (e: ActivityEvent, q: ActivityQuery) =>
    (!q.targetId || e.target?.id === q.targetId) &&
    (!q.actorId || e.actor.id === q.actorId) &&
    (!q.type || e.type === q.type) &&
    (!q.folderId || (e.within ?? []).includes(q.folderId) || e.target?.id === q.folderId) &&
    (!q.minId || e.id >= q.minId) &&
    (!q.maxId || e.id <= q.maxId);
  const repo: ActivityLog = {
    async putEvent(e) {
      journal.push(`activity.putEvent ${e.type}`);
      if (state.failWrites)
        throw Object.assign(new Error('store down'), { name: 'ServiceUnavailable', $fault: 'server' });
      events.push(copy(e));
    },
    async queryEvents(q, limit) {
      return { events: events.filter((e) => matches(e, q)).slice(0, limit) };
    },
    async *allEvents(q) {
      yield events.filter((e) => matches(e, q));
    },
    async getEvent(id) {
      return copy(events.find((e) => e.id === id));
    },
    async pseudonymise() {
      return 0;
    },
    async deleteEvent(e) {
      events.splice(
        events.findIndex((x) => x.id === e.id),
        1,
      );
    },
    async putAcknowledgement(a) {
      journal.push(`activity.putAcknowledgement ${a.fileId}#${a.versionId}`);
      const key = `${a.fileId}#${a.versionId}#${a.actorId}`;
      if (acknowledgements.has(key)) return false;
      acknowledgements.set(key, copy(a));
      return true;
    },
    async deleteAcknowledgement(a) {
      const key = `${a.fileId}#${a.versionId}#${a.actorId}`;
      if (acknowledgements.get(key)?.eventId === a.eventId) acknowledgements.delete(key);
    },
    async markAcknowledgedIn(a, folderId) {
      confirmedIn.add(`${folderId}#${a.actorId}#${a.fileId}#${a.versionId}`);
    },
    async unmarkAcknowledgedIn(a, folderId) {
      confirmedIn.delete(`${folderId}#${a.actorId}#${a.fileId}#${a.versionId}`);
    },
    async acknowledgedIn(folderId, actorId) {
      const prefix = `${folderId}#${actorId}#`;
      return new Set([...confirmedIn].filter((k) => k.startsWith(prefix)).map((k) => k.slice(prefix.length)));
    },
  };
  return { repo, events, state, acknowledgements };
}

export function fakeSettings(overrides: Partial<CompanySettings> = {}) {
  const settings: CompanySettings = { ...companyDefaults('Gestoría Prueba'), ...overrides };
  const repo: SettingsRepository = {
    async getSettings() {
      return copy(settings);
    },
    async putSettings(s) {
      Object.assign(settings, s);
    },
  };
  return { repo, settings };
}

/**
 * The bucket: `objects` holds what is "uploaded" (size, ETag, S3 version id); presigned URLs are journaled
 * with their lifetime, download URLs with the version they pin.
 */
export function fakeFiles(
  journal: Journal,
  objects = new Map<string, { size: number; etag?: string; s3VersionId?: string }>(),
) {
  const storage: FileStorage = {
    async presignUploadPost(key, _size, _type, expiresSeconds) {
      journal.push(`files.presignUploadPost ${key} ${expiresSeconds}s`);
      return { url: `https://bucket.example/${key}`, fields: { key } };
    },
    async startMultipartUpload(key, size) {
      const partSize = 5 * 1024 * 1024;
      return { uploadId: `upload-${key}`, partSize, partCount: Math.max(1, Math.ceil(size / partSize)) };
    },
    async presignParts(key, uploadId, parts, expiresSeconds) {
      journal.push(`files.presignParts ${parts[0]?.partNumber}-${parts.at(-1)?.partNumber} ${expiresSeconds}s`);
      return parts.map(({ partNumber: n, sha256 }) => ({
        partNumber: n,
        url: `https://bucket.example/${key}?uploadId=${uploadId}&part=${n}`,
        ...(sha256 ? { headers: { 'x-amz-checksum-sha256': Buffer.from(sha256, 'hex').toString('base64') } } : {}),
      }));
    },
    async completeMultipartUpload() {},
    async headObject(key) {
      return copy(objects.get(key));
    },
    async mintDownloadUrl(key, _name, _contentType, disposition, s3VersionId) {
      journal.push(`files.mintDownloadUrl ${key}${s3VersionId ? `?versionId=${s3VersionId}` : ''}`);
      return { url: `https://bucket.example/${key}?${disposition}`, expiresAt: new Date(0).toISOString() };
    },
    async getSmallObject() {
      return undefined;
    },
    openObjectWriter() {
      return { async write() {}, async close() {}, async abort() {} };
    },
  };
  return storage;
}

/** The mailer; `fail` answers every send as SES failing would (MailFailed, 502). */
export function fakeMailer(journal: Journal) {
  const sent: Array<{ to: string; mail: Mail }> = [];
  const state = { fail: false };
  const repo: Mailer = {
    async sendMail(to, mail) {
      journal.push(`mailer.sendMail ${to}`);
      if (state.fail) throw new MailFailed();
      sent.push({ to, mail });
    },
  };
  return { repo, sent, state };
}

export function fakeIdentity(journal: Journal) {
  const accounts = new Map<string, { sub: string; enabled: boolean; groups: Set<string>; password?: string }>();
  let next = 0;
  /** Access tokens: which have TOTP on, which are revoked; the code the "app" shows; whose tokens are whose. */
  const state = {
    totp: new Set<string>(),
    revoked: new Set<string>(),
    secrets: new Map<string, string>(),
    appCode: '123456',
    sessionsOf: (username: string) => [`token-of-${username}`],
  };
  const repo: IdentityProvider = {
    async createCognitoUser(email, groups) {
      journal.push(`identity.createCognitoUser ${email}`);
      if (accounts.has(email)) throw new Conflict('A user with this email already exists.', 'email_taken');
      const sub = `sub-${++next}`;
      accounts.set(email, { sub, enabled: true, groups: new Set(groups) });
      return sub;
    },
    async deleteCognitoUser(username) {
      journal.push(`identity.deleteCognitoUser ${username}`);
      accounts.delete(username);
    },
    async setEnabled(username, enabled) {
      const a = accounts.get(username);
      if (a) a.enabled = enabled;
    },
    async setPassword(username, password) {
      const a = accounts.get(username);
      if (a) a.password = password;
    },
    async sessionTwoStep(accessToken) {
      if (state.revoked.has(accessToken)) throw new Unauthorized('This session has ended. Sign in again.');
      return { totp: state.totp.has(accessToken) };
    },
    async associateTotp(accessToken) {
      journal.push('identity.associateTotp');
      state.secrets.set(accessToken, `SECRET${++next}`);
      return state.secrets.get(accessToken)!;
    },
    async confirmTotp(accessToken, code) {
      journal.push(`identity.confirmTotp ${code}`);
      if (!state.secrets.has(accessToken) || code !== state.appCode) return false;
      state.totp.add(accessToken);
      return true;
    },
    async signOutEverywhere(username) {
      journal.push(`identity.signOutEverywhere ${username}`);
      for (const t of state.sessionsOf(username)) state.revoked.add(t);
    },
    async addToGroups(email, groups) {
      for (const g of groups) accounts.get(email)?.groups.add(g);
    },
    async removeFromGroup(email, group) {
      accounts.get(email)?.groups.delete(group);
    },
  };
  return { repo, accounts, state };
}

/** Two-step codes in memory; completing one records `twoStepSince` on the fake users' profile. */
export function fakeTwoStep(journal: Journal, users: ReturnType<typeof fakeUsers>) {
  const codes = new Map<string, TwoStepCode>();
  const repo: TwoStepCodes = {
    async getTwoStepCode(sub) {
      return copy(codes.get(sub));
    },
    async putTwoStepCode(c) {
      journal.push(`twoStep.putTwoStepCode ${c.userId}`);
      const prev = codes.get(c.userId);
      if (prev && Date.parse(c.sentAt) - Date.parse(prev.sentAt) < 30_000) return false;
      codes.set(c.userId, copy(c));
      return true;
    },
    async countWrongTwoStepCode(sub, codeHash) {
      const c = codes.get(sub);
      if (!c || c.codeHash !== codeHash || c.attempts >= 5) return false;
      c.attempts++;
      return true;
    },
    async completeTwoStep(sub, codeHash, since) {
      journal.push(`twoStep.completeTwoStep ${sub}`);
      const c = codes.get(sub);
      const p = users.profiles.get(sub);
      if (c?.codeHash !== codeHash || !p) return false;
      codes.delete(sub);
      p.twoStepSince = since;
      return true;
    },
    async deleteTwoStepCode(sub) {
      journal.push(`twoStep.deleteTwoStepCode ${sub}`);
      codes.delete(sub);
    },
  };
  return { repo, codes };
}

export function fakeRateLimits(): RateLimitCounters {
  const counts = new Map<string, number>();
  return {
    async readCounts(scope, subjects, windows) {
      return subjects.map((subject) => windows.map((w) => counts.get(`${scope}/${subject}/${w}`) ?? 0));
    },
    async takeFailureSlot(scope, subject, window, allowed) {
      const n = counts.get(`${scope}/${subject}/${window}`) ?? 0;
      if (n >= allowed) return false;
      counts.set(`${scope}/${subject}/${window}`, n + 1);
      return true;
    },
  };
}

/** The jobs' bookkeeping is not under test here: it only has to exist. */
function fakeJobs(): JobBookkeeping {
  const checkpoints = new Map<string, string>();
  return {
    getCheckpoint: async (job) => checkpoints.get(job),
    setCheckpoint: async (job, position) => void checkpoints.set(job, position),
    queueDocument: async () => true,
    dueRecipients: async () => [],
    pendingFor: async () => [],
    alreadyNotified: async () => new Set(),
    markNotified: async () => {},
    unmarkNotified: async () => {},
    clearPending: async () => {},
    firstReceipt: async () => true,
  };
}

/** A log that keeps its lines, for asserting that nothing was swallowed silently. */
export function memoryLog() {
  const lines: Array<{ level: string; msg: string; data?: Record<string, unknown> }> = [];
  const at =
    (level: string) =>
    (msg: string, data?: Record<string, unknown>): void =>
      void lines.push({ level, msg, data });
  const log: Log = { info: at('info'), warn: at('warn'), error: at('error') };
  return { log, lines };
}

export const testConfig: AppConfig = {
  companyName: 'Carpeta',
  siteUrl: 'https://carpeta.example',
  apiUrl: 'https://carpeta.example/api',
  uploadUrlSeconds: 3600,
  multipartThreshold: 100 * 1024 * 1024,
  maxSinglePutSize: 5 * 1024 ** 3,
  maxMultipartSize: 5 * 1024 ** 4,
  rateLimitFailures: 20,
  rateLimitWindowSeconds: 300,
  staffStatusCacheSeconds: 15,
};

/** Deliveries, with the conditions of the store: unopened ones listed oldest first. */
export function fakeDeliveries(journal: Journal) {
  const items = new Map<string, Delivery & { listed: boolean }>();
  const key = (r: string, f: string) => `${r}#${f}`;
  const repo: DeliveryLog = {
    async putDelivery(d) {
      const held = items.get(key(d.recipientId, d.fileId));
      if (held && ((held.deliveredAt && held.deliveredAt >= d.deliveredAt) || (held.openedAt ?? '') >= d.deliveredAt))
        return false;
      journal.push(`deliveries.put ${d.recipientId} ${d.fileId}`);
      items.set(key(d.recipientId, d.fileId), { ...copy(d), reminders: 0, listed: true });
      return true;
    },
    async putDeliveryIfNew(d) {
      const held = items.get(key(d.recipientId, d.fileId));
      if (held && !(held.droppedAt && !held.openedAt)) return false;
      items.set(key(d.recipientId, d.fileId), { ...copy(d), reminders: 0, listed: true });
      return true;
    },
    async markOpened(recipientId, fileId, at) {
      const held = items.get(key(recipientId, fileId));
      if (held) Object.assign(held, { openedAt: at, listed: false });
      else items.set(key(recipientId, fileId), { recipientId, fileId, openedAt: at, listed: false } as never);
    },
    async dropDelivery(d, at) {
      const held = items.get(key(d.recipientId, d.fileId));
      if (held) Object.assign(held, { droppedAt: at, listed: false });
    },
    async countReminder(d, sent, at) {
      const held = items.get(key(d.recipientId, d.fileId));
      if (!held?.listed || held.reminders !== sent || held.versionId !== d.versionId) return false;
      Object.assign(held, { reminders: sent + 1, lastReminderAt: at });
      return true;
    },
    async uncountReminder(d, sent) {
      const held = items.get(key(d.recipientId, d.fileId));
      if (held?.reminders === sent + 1) Object.assign(held, { reminders: sent, lastReminderAt: d.lastReminderAt });
    },
    async listUnopened(q) {
      const listed = [...items.values()]
        .filter((d) => d.listed && (!q.recipientId || d.recipientId === q.recipientId))
        .filter((d) => !q.before || d.deliveredAt < q.before)
        .sort((a, b) => (a.deliveredAt < b.deliveredAt ? -1 : 1))
        .slice(0, q.limit)
        .map(({ listed: _, ...d }) => copy(d));
      return { deliveries: listed };
    },
  };
  return { repo, items };
}

/** Tax ids and client codes: one claim per value, as the conditional writes keep them. */
export function fakeClientIds(journal: Journal) {
  const claims = new Map<string, ClientIdClaim>();
  const key = (kind: string, value: string) => `${kind}#${value}`;
  const repo: ClientIdRegistry = {
    async claimClientId(c) {
      journal.push(`clientIds.claim ${c.kind} ${c.value}`);
      const held = claims.get(key(c.kind, c.value));
      if (held && held.folderId !== c.folderId) return false;
      claims.set(key(c.kind, c.value), copy(c));
      return true;
    },
    async replaceClientIdClaim(c, stale) {
      if (claims.get(key(c.kind, c.value))?.folderId !== stale) return false;
      claims.set(key(c.kind, c.value), copy(c));
      return true;
    },
    async releaseClientId(kind, value, folderId) {
      if (claims.get(key(kind, value))?.folderId === folderId) claims.delete(key(kind, value));
    },
    async getClientIdClaims(ids) {
      return ids.flatMap((i) => {
        const c = claims.get(key(i.kind, i.value));
        return c ? [copy(c)] : [];
      });
    },
  };
  return { repo, claims };
}

/** Every port, faked, sharing one journal; plus handles on what they hold. */
export function fakeWorld(now = new Date('2026-06-01T10:00:00.000Z')) {
  const journal: Journal = [];
  const nodes = fakeNodes(journal);
  const clientIds = fakeClientIds(journal);
  const deliveries = fakeDeliveries(journal);
  const users = fakeUsers(journal);
  const links = fakeLinks(journal);
  const activity = fakeActivity(journal);
  const settings = fakeSettings();
  const mailer = fakeMailer(journal);
  const identity = fakeIdentity(journal);
  const twoStep = fakeTwoStep(journal, users);
  const objects = new Map<string, { size: number; etag?: string; s3VersionId?: string }>();
  const { log, lines } = memoryLog();
  const deps: Ports = {
    nodes: nodes.repo,
    nodeWrites: nodes.repo,
    clientIds: clientIds.repo,
    users: users.repo,
    links: links.linkRepo,
    invitations: links.invitationRepo,
    activity: activity.repo,
    deliveries: deliveries.repo,
    settings: settings.repo,
    jobs: fakeJobs(),
    rateLimits: fakeRateLimits(),
    files: fakeFiles(journal, objects),
    mailer: mailer.repo,
    identity: identity.repo,
    twoStep: twoStep.repo,
    clock: { now: () => now },
    config: testConfig,
    log,
  };
  const ctx = { now, ip: '192.0.2.7', userAgent: 'unit-test', log };
  return {
    deps,
    journal,
    nodes,
    clientIds,
    deliveries,
    users,
    links,
    activity,
    settings,
    mailer,
    identity,
    twoStep,
    objects,
    lines,
    ctx,
    now,
  };
}

// ---- builders for a tree and its people ---------------------------------------------------

const EPOCH = '2026-01-01T00:00:00.000Z';

export function folder(id: string, parent: FolderNode | undefined, extra: Partial<FolderNode> = {}): FolderNode {
  return {
    kind: 'folder',
    id,
    name: `Folder ${id}`,
    parentId: parent?.id ?? ROOT_ID,
    ancestors: parent ? [...parent.ancestors, parent.id] : [ROOT_ID],
    version: 1,
    createdAt: EPOCH,
    updatedAt: EPOCH,
    createdBy: 'staff-1',
    ...extra,
  };
}

export function file(id: string, parent: FolderNode, extra: Partial<FileNode> = {}): FileNode {
  return {
    kind: 'file',
    id,
    name: `Document ${id}.pdf`,
    folderId: parent.id,
    ancestors: [...parent.ancestors, parent.id],
    currentVersionId: `V-${id}`,
    size: 1234,
    contentType: 'application/pdf',
    version: 1,
    createdAt: EPOCH,
    updatedAt: EPOCH,
    createdBy: 'staff-1',
    ...extra,
  };
}

export function webuser(id: string, extra: Partial<UserProfile> = {}): UserProfile {
  return {
    id,
    email: `${id}@client.example`,
    name: `Client ${id}`,
    kind: 'webuser',
    status: 'active',
    language: 'es',
    createdAt: EPOCH,
    updatedAt: EPOCH,
    ...extra,
  };
}

export function grant(user: UserProfile, on: FolderNode, extra: Partial<Grant> = {}): Grant {
  return {
    userId: user.id,
    folderId: on.id,
    grantedBy: 'staff-1',
    grantedAt: EPOCH,
    ancestors: on.ancestors,
    ...extra,
  };
}

export function shareLink(id: string, on: FolderNode, email: string, extra: Partial<ShareLink> = {}): ShareLink {
  return {
    id,
    tokenHash: `hash-${id}`,
    folderId: on.id,
    ancestors: on.ancestors,
    email,
    language: 'es',
    createdBy: 'staff-1',
    createdAt: EPOCH,
    expiresAt: '2099-01-01T00:00:00.000Z',
    ...extra,
  };
}
