/**
 * The ports: everything a use case talks to, as interfaces. The adapters
 * (functions/store/* for DynamoDB, functions/aws/* for S3, Cognito and SES)
 * implement them; functions/lambda/* builds them once per container and hands
 * each use case its `deps`. Tests hand in fakes (test/support/fakes.ts).
 *
 * A use case names what it needs with `Needs<...>`, so a function that does
 * not wire an adapter cannot call a use case that needs it (StaffDeps,
 * PortalDeps, LinkDeps, JobsDeps below are what each Lambda wires).
 */
import type { Disposition } from '../domain/download.ts';
import type { Mail } from '../domain/emails.ts';
import type { ListOrder } from '../domain/listing.ts';
import type {
  Acknowledgement,
  ActivityEvent,
  ActivityQuery,
  ChecksumCheck,
  ChildPage,
  ClientIdClaim,
  ClientIdKind,
  CompanySettings,
  Delivery,
  ExpiryEntry,
  FileNode,
  FileVersion,
  FolderNode,
  Grant,
  Group,
  Invitation,
  NameClaim,
  Node,
  NodeChanges,
  PendingDocument,
  SessionState,
  ShareLink,
  UserProfile,
} from '../domain/model.ts';
import type { SearchEntry } from '../domain/search.ts';
import type { TwoStepCode } from '../domain/two-step.ts';

export type Page<K extends string, T> = { [key in K]: T[] } & { nextCursor?: string };

/**
 * Reading folders, files and versions: what every function may do (the client functions' roles write no node items).
 */
export interface NodeReader {
  getFolder(id: string): Promise<FolderNode | undefined>;
  getFile(id: string): Promise<FileNode | undefined>;
  /** One round trip; ids not found (and the virtual root) are absent from the map. */
  getFolders(ids: string[]): Promise<Map<string, FolderNode>>;
  getFiles(ids: string[]): Promise<Map<string, FileNode>>;
  /** A folder or a file, whichever the id is: one round trip. */
  findNode(id: string): Promise<Node | undefined>;
  /** The file and (when given) one of its versions: one round trip. */
  getFileAndVersion(fileId: string, versionId?: string): Promise<{ file?: FileNode; version?: FileVersion }>;
  getFileWithVersions(id: string): Promise<{ file?: FileNode; versions: FileVersion[] }>;
  /** One page of children in `order` (default: name, A to Z), folders first; the cursor is only good for that order. */
  listChildren(parentId: string, limit: number, cursor?: string, order?: ListOrder): Promise<ChildPage>;
  getClaim(parentId: string, name: string): Promise<NameClaim | undefined>;
  listTrash(limit: number, cursor?: string): Promise<Page<'items', Node>>;
  getVersion(fileId: string, versionId: string): Promise<FileVersion | undefined>;
  /** Name-index entries starting with `prefix` under each scope (one parallel round), after a cursor position. */
  searchNames(
    scopes: string[],
    prefix: string,
    limit: number,
    after?: string,
  ): Promise<{ entries: SearchEntry[]; next?: string }>;
  /** Ids of the files beneath a folder at any depth (one Query a page; checked by the caller). */
  filesBeneath(
    folderId: string,
    limit: number,
    cursor?: string,
  ): Promise<{ files: Array<{ id: string; ancestors: string[] }>; nextCursor?: string }>;
}

/** Changing folders, files, versions and the name claims that keep names unique in a folder: staff and jobs only. */
export interface NodeWriter {
  claimName(parentId: string, name: string, owner: NameClaim): Promise<boolean>;
  replaceClaim(parentId: string, name: string, staleOwnerId: string, owner: NameClaim): Promise<boolean>;
  confirmClaim(parentId: string, name: string, ownerId: string): Promise<void>;
  releaseClaim(parentId: string, name: string, ownerId: string): Promise<void>;
  putNewFolder(f: FolderNode): Promise<void>;
  /** Optimistic on `version`; undefined when the node changed, is trashed or is gone. */
  updateNode<T extends Node>(
    node: T,
    expectedVersion: number,
    changes: NodeChanges,
    now: string,
  ): Promise<T | undefined>;
  setAncestors(kind: Node['kind'], id: string, ancestors: string[]): Promise<void>;
  trashNode(node: Node, by: string, now: string): Promise<boolean>;
  restoreNode(node: Node, name: string, now: string): Promise<Node | undefined>;
  putPendingVersion(v: FileVersion): Promise<void>;
  /** A ready version pointing at an older version's object (staff made it current again). */
  putVersionCopy(v: FileVersion): Promise<void>;
  markVersionReady(
    v: FileVersion,
    stored: { size: number; sha256?: string; verifiedBy?: ChecksumCheck; etag?: string; s3VersionId?: string },
    now: string,
  ): Promise<FileVersion>;
  putNewFile(f: FileNode): Promise<boolean>;
  setCurrentVersion(fileId: string, v: FileVersion, now: string): Promise<FileNode | undefined>;
}

/** Tax ids and client codes of client folders, each held by one folder at most (staff only). */
export interface ClientIdRegistry {
  /** True when the value was free or already this folder's. */
  claimClientId(c: ClientIdClaim): Promise<boolean>;
  /** Takes the value over only while `staleFolderId` holds it. */
  replaceClientIdClaim(c: ClientIdClaim, staleFolderId: string): Promise<boolean>;
  releaseClientId(kind: ClientIdKind, value: string, folderId: string): Promise<void>;
  /** One round trip; values nobody holds are absent. */
  getClientIdClaims(ids: Array<{ kind: ClientIdKind; value: string }>): Promise<ClientIdClaim[]>;
}

export type ProfileChanges = Partial<Pick<UserProfile, 'name' | 'language' | 'status' | 'inviteHash' | 'role'>>;

/** Profiles, their grants (same partition) and session state. */
export interface UserRepository {
  getProfile(sub: string): Promise<UserProfile | undefined>;
  getProfiles(subs: string[]): Promise<Map<string, UserProfile>>;
  putProfile(p: UserProfile): Promise<void>;
  updateProfile(
    sub: string,
    changes: ProfileChanges & { searchText?: string },
    now: string,
  ): Promise<UserProfile | undefined>;
  /** What the web user list's search matches, as the repository stores it. */
  searchText(p: { email: string; name: string }): string;
  deleteProfile(sub: string): Promise<void>;
  getUserWithGrants(sub: string): Promise<{ profile?: UserProfile; grants: Grant[] }>;
  listWebusers(limit: number, cursor: string | undefined, q: string | undefined): Promise<Page<'users', UserProfile>>;
  listStaff(): Promise<UserProfile[]>;
  /** Idempotent; true when the grant is new. */
  putGrant(g: Grant): Promise<boolean>;
  deleteGrant(userId: string, folderId: string): Promise<boolean>;
  adjustGrantCount(userId: string, delta: number): Promise<void>;
  /** The web user's new name on their grants (each only if it still exists: a revoked grant stays gone). */
  renameInGrants(userId: string, folderIds: string[], name: string): Promise<void>;
  grantsOnFolder(folderId: string): Promise<Grant[]>;
  getSessionStates(subs: string[]): Promise<Map<string, SessionState>>;
  /** Records that the user was seen; true for a new sign-in. */
  touchSession(sub: string, authTime: string, now: Date): Promise<boolean>;
  markActivated(sub: string, now: string): Promise<void>;
  deleteSessionState(sub: string): Promise<void>;
}

export interface LinkRepository {
  putLink(l: ShareLink): Promise<void>;
  getLinkByHash(tokenHash: string): Promise<ShareLink | undefined>;
  getLinkById(id: string): Promise<ShareLink | undefined>;
  linksForFolder(folderId: string): Promise<ShareLink[]>;
  /** The links with `downloads` taken so far, for those with a download limit (one read). */
  withDownloadsTaken(links: ShareLink[]): Promise<ShareLink[]>;
  linksToEmail(email: string): Promise<ShareLink[]>;
  revokeLink(tokenHash: string, by: string, now: string): Promise<boolean>;
  /** The link mailed in this one's place (extension); false when one already was. */
  markReplaced(tokenHash: string, replacedBy: string): Promise<boolean>;
  /** One download of a limited link, atomically; false once `max` are taken. */
  takeDownload(tokenHash: string, max: number): Promise<boolean>;
  /** `count` downloads at once, only if all are left (a batch of files). */
  takeDownloads(tokenHash: string, max: number, count: number): Promise<boolean>;
  giveBackDownload(tokenHash: string, count?: number): Promise<void>;
  deleteLink(l: Pick<ShareLink, 'id' | 'tokenHash' | 'expiresAt'>): Promise<void>;
  /** The expiry calendar: links expiring in (from, to], and whether their sender was warned. */
  linksExpiring(from: string, to: string): Promise<ExpiryEntry[]>;
  markExpiryWarned(e: ExpiryEntry, at: string): Promise<boolean>;
  unmarkExpiryWarned(e: ExpiryEntry): Promise<void>;
}

export interface InvitationRepository {
  putInvitation(i: Invitation): Promise<void>;
  getInvitation(tokenHash: string): Promise<Invitation | undefined>;
  /** Single use: only the first caller gets true. */
  consumeInvitation(tokenHash: string, now: string): Promise<boolean>;
  unconsumeInvitation(tokenHash: string): Promise<void>;
  deleteInvitation(tokenHash: string): Promise<void>;
}

export interface ActivityLog {
  /** Resolves only when the event and all its copies are stored (audit first). */
  putEvent(e: ActivityEvent): Promise<void>;
  queryEvents(
    q: ActivityQuery,
    limit: number,
    cursor?: string,
    order?: 'desc' | 'asc',
  ): Promise<Page<'events', ActivityEvent>>;
  allEvents(q: ActivityQuery, order?: 'desc' | 'asc'): AsyncIterable<ActivityEvent[]>;
  getEvent(id: string, at: string): Promise<ActivityEvent | undefined>;
  pseudonymise(by: 'actor' | 'target', id: string, pseudonym: string): Promise<number>;
  deleteEvent(e: ActivityEvent): Promise<void>;
  /** A client's confirmation of a version; false when it is already recorded. */
  putAcknowledgement(a: Acknowledgement): Promise<boolean>;
  deleteAcknowledgement(a: Acknowledgement): Promise<void>;
  /** The listing's hint of what a client confirmed in a folder (`<fileId>#<versionId>`). */
  markAcknowledgedIn(a: Acknowledgement, folderId: string): Promise<void>;
  unmarkAcknowledgedIn(a: Acknowledgement, folderId: string): Promise<void>;
  acknowledgedIn(folderId: string, actorId: string): Promise<Set<string>>;
}

/** Documents within clients' reach and whether they opened them ("Pendientes", reminders). */
export interface DeliveryLog {
  /** False when this delivery or a newer one is recorded, or the recipient opened the file since. */
  putDelivery(d: Delivery): Promise<boolean>;
  /** Only when nothing is known of that document for that recipient (a grant or link made after the upload). */
  putDeliveryIfNew(d: Delivery): Promise<boolean>;
  markOpened(recipientId: string, fileId: string, at: string): Promise<void>;
  dropDelivery(d: Pick<Delivery, 'recipientId' | 'fileId'>, at: string): Promise<void>;
  /** One more reminder, only while unopened with exactly `sent` so far. */
  countReminder(d: Delivery, sent: number, at: string): Promise<boolean>;
  uncountReminder(d: Delivery, sent: number): Promise<void>;
  /** Unopened, oldest first: one recipient's or everyone's; one query. */
  listUnopened(q: {
    recipientId?: string;
    before?: string;
    limit: number;
    cursor?: string;
  }): Promise<Page<'deliveries', Delivery>>;
}

export interface SettingsRepository {
  /** The stored settings over the deployment's defaults. */
  getSettings(): Promise<CompanySettings>;
  putSettings(s: CompanySettings): Promise<void>;
}

/** The background jobs' checkpoints, pending notifications and "already sent" markers. */
export interface JobBookkeeping {
  getCheckpoint(job: string): Promise<string | undefined>;
  setCheckpoint(job: string, position: string): Promise<void>;
  queueDocument(p: PendingDocument, dueAt: string): Promise<boolean>;
  dueRecipients(now: string): Promise<string[]>;
  pendingFor(userId: string): Promise<PendingDocument[]>;
  alreadyNotified(docs: PendingDocument[]): Promise<Set<string>>;
  markNotified(docs: PendingDocument[], now: Date): Promise<void>;
  unmarkNotified(docs: PendingDocument[]): Promise<void>;
  clearPending(userId: string, docs: PendingDocument[]): Promise<void>;
  firstReceipt(actorId: string, fileId: string, versionId: string, now: Date): Promise<boolean>;
}

/** Brute-force counters per (scope, address, window). */
/** Brute-force counters per (scope, subject, window); subjects are `ip:...`, `prefix:...`, `user:...`. */
export interface RateLimitCounters {
  readCounts(scope: string, subjects: string[], windows: number[]): Promise<number[][]>;
  /** One atomic conditional increment: false when the window already holds `allowed` failures. */
  takeFailureSlot(
    scope: string,
    subject: string,
    window: number,
    allowed: number,
    expiresAtSeconds: number,
  ): Promise<boolean>;
}

export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
}

/** A server-made object written as it is produced (activity exports). */
export interface ObjectWriter {
  write(text: string): Promise<void>;
  close(): Promise<void>;
  abort(): Promise<void>;
}

/** The documents bucket: presigned URLs for browsers, a few server-side calls. */
export interface FileStorage {
  /** With `sha256` (hex), the policy pins `x-amz-checksum-sha256`: S3 refuses any other body. */
  presignUploadPost(
    key: string,
    size: number,
    contentType: string,
    expiresSeconds: number,
    sha256?: string,
  ): Promise<PresignedPost>;
  /** `withChecksums`: the upload is created for SHA-256 part checksums (every part URL then signs one). */
  startMultipartUpload(
    key: string,
    size: number,
    contentType: string,
    withChecksums?: boolean,
  ): Promise<{ uploadId: string; partSize: number; partCount: number }>;
  /** A part given its `sha256` (hex) gets a URL that signs it: S3 refuses any other body for that part. */
  presignParts(
    key: string,
    uploadId: string,
    parts: Array<{ partNumber: number; sha256?: string }>,
    expiresSeconds: number,
  ): Promise<Array<{ partNumber: number; url: string; headers?: Record<string, string> }>>;
  completeMultipartUpload(
    key: string,
    uploadId: string,
    parts: Array<{ partNumber: number; etag: string; sha256?: string }>,
  ): Promise<void>;
  headObject(key: string): Promise<{ size: number; sha256?: string; etag?: string; s3VersionId?: string } | undefined>;
  /** Callers store the download event first (audit first); `s3VersionId` pins the exact bytes. */
  mintDownloadUrl(
    key: string,
    name: string,
    contentType: string,
    disposition: Disposition,
    s3VersionId?: string,
  ): Promise<{ url: string; expiresAt: string }>;
  getSmallObject(key: string, maxBytes?: number): Promise<Uint8Array | undefined>;
  openObjectWriter(key: string, contentType: string): ObjectWriter;
}

export interface Mailer {
  /** Throws MailFailed (502) when the mail could not be sent. */
  sendMail(to: string, mail: Mail): Promise<void>;
}

/** The user pool: accounts, groups, passwords, two-step verification. */
export interface IdentityProvider {
  /** Throws Conflict when the address is taken; returns the new user's sub. */
  createCognitoUser(email: string, groups: Group[]): Promise<string>;
  deleteCognitoUser(username: string): Promise<void>;
  setEnabled(username: string, enabled: boolean): Promise<void>;
  setPassword(username: string, password: string): Promise<void>;
  /** The session behind an access token: Unauthorized when Cognito has revoked it; whether TOTP is on. */
  sessionTwoStep(accessToken: string): Promise<{ totp: boolean }>;
  /** A new authenticator secret for the token's user. */
  associateTotp(accessToken: string): Promise<string>;
  /** Confirms the authenticator with its current code and makes TOTP required; false for a wrong code. */
  confirmTotp(accessToken: string, code: string, deviceName: string): Promise<boolean>;
  /** Revokes every refresh token of the user. */
  signOutEverywhere(username: string): Promise<void>;
  addToGroups(email: string, groups: Group[]): Promise<void>;
  removeFromGroup(email: string, group: Group): Promise<void>;
}

/** Staff members' mailed two-step verification codes, and when their authenticator was confirmed. */
export interface TwoStepCodes {
  getTwoStepCode(sub: string): Promise<TwoStepCode | undefined>;
  /** False when one was sent too recently to send another. */
  putTwoStepCode(c: TwoStepCode): Promise<boolean>;
  /** Counts a wrong code; false when the code changed or its tries are used up. */
  countWrongTwoStepCode(sub: string, codeHash: string): Promise<boolean>;
  /** Spends the code and records on the profile since when the authenticator holds; false if it was spent. */
  completeTwoStep(sub: string, codeHash: string, since: string): Promise<boolean>;
  deleteTwoStepCode(sub: string): Promise<void>;
}

export interface Clock {
  now(): Date;
}

/** The deployment's settings a use case reads (functions/lib/config.ts satisfies it). */
export interface AppConfig {
  readonly companyName: string;
  readonly siteUrl: string;
  /** The API's own base URL, for links in mails that must outlive a presigned URL. */
  readonly apiUrl: string;
  readonly uploadUrlSeconds: number;
  readonly multipartThreshold: number;
  readonly maxSinglePutSize: number;
  readonly maxMultipartSize: number;
  readonly rateLimitFailures: number;
  readonly rateLimitWindowSeconds: number;
  readonly staffStatusCacheSeconds: number;
}

/** Structured log lines (functions/lib/logger.ts). Requests carry their own in their ctx. */
export interface Log {
  info(msg: string, data?: Record<string, unknown>): void;
  warn(msg: string, data?: Record<string, unknown>): void;
  error(msg: string, data?: Record<string, unknown>): void;
}

export interface Ports {
  nodes: NodeReader;
  nodeWrites: NodeWriter;
  clientIds: ClientIdRegistry;
  users: UserRepository;
  links: LinkRepository;
  invitations: InvitationRepository;
  activity: ActivityLog;
  deliveries: DeliveryLog;
  settings: SettingsRepository;
  jobs: JobBookkeeping;
  rateLimits: RateLimitCounters;
  files: FileStorage;
  mailer: Mailer;
  identity: IdentityProvider;
  twoStep: TwoStepCodes;
  clock: Clock;
  config: AppConfig;
  /** The container's logger, for work outside a request (the jobs). */
  log: Log;
}

/** What a use case talks to: `Needs<'nodes' | 'activity'>`. */
export type Needs<K extends keyof Ports> = Pick<Ports, K>;

/** The staff function: everything but the jobs' bookkeeping (the brute-force counters: staff invitations). */
export type StaffDeps = Needs<
  | 'nodes'
  | 'nodeWrites'
  | 'clientIds'
  | 'rateLimits'
  | 'users'
  | 'links'
  | 'invitations'
  | 'activity'
  | 'deliveries'
  | 'settings'
  | 'files'
  | 'mailer'
  | 'identity'
  | 'twoStep'
  | 'clock'
  | 'config'
>;
/**
 * The portal function: reads (never of node items' writes), activity writes and download URLs; no mail, no user pool.
 */
export type PortalDeps = Needs<
  'nodes' | 'users' | 'activity' | 'deliveries' | 'settings' | 'files' | 'rateLimits' | 'config'
>;
/** The link function: share links and invitations (setting a password is its one user pool call); no mail. */
export type LinkDeps = Needs<
  | 'nodes'
  | 'users'
  | 'links'
  | 'invitations'
  | 'activity'
  | 'deliveries'
  | 'settings'
  | 'files'
  | 'rateLimits'
  | 'identity'
  | 'config'
>;
export type JobsDeps = Needs<
  | 'nodes'
  | 'nodeWrites'
  | 'users'
  | 'links'
  | 'jobs'
  | 'activity'
  | 'deliveries'
  | 'settings'
  | 'mailer'
  | 'clock'
  | 'config'
  | 'log'
>;
