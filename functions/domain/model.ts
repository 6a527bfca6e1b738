/**
 * The one model: the entities Carpeta keeps, as every layer sees them. The
 * repositories in functions/store/ return these shapes (without key
 * attributes), the use cases in functions/app/ work on them, and nothing
 * here knows how or where they are stored.
 *
 * `ancestors` means the same for folders and files: the ids of the folders
 * above the node, from the root down to its parent (for a file, its folder
 * is the last id). Grants and links keep their folder's `ancestors`; an
 * event's `within` is its target's `ancestors` (docs/ARCHITECTURE.md, "The tree").
 */

/** The virtual root folder: never stored, parent of the top-level folders. */
export const ROOT_ID = 'root';

export const LANGUAGES = ['es', 'en'] as const;
/** The languages of the UI and of every mail. */
export type Language = (typeof LANGUAGES)[number];

// ---- documents -----------------------------------------------------------------

/** What folders and files share. */
interface NodeCommon {
  id: string;
  name: string;
  /** Ids from the root down to the parent (for a file, its folder is the last). */
  ancestors: string[];
  /** Optimistic locking: every change bumps it. */
  version: number;
  createdAt: string;
  updatedAt: string;
  createdBy: string;
  trashedAt?: string;
  trashedBy?: string;
}

export interface FolderNode extends NodeCommon {
  kind: 'folder';
  parentId: string;
  /** Email the uploader when a client first downloads (inherited by subfolders; unset = inherit). */
  receiptsToUploader?: boolean;
  /** The client's Spanish tax id (NIF, NIE or CIF), normalised: unique across the company. */
  taxId?: string;
  /** The company's own code for the client, upper case: unique across the company. */
  clientCode?: string;
  /** Clients must confirm receipt of the files beneath (inherited; unset = inherit). */
  requiresAcknowledgement?: boolean;
  /** Reminders for the documents beneath, instead of the company's (`max: 0`: none here; unset = inherit). */
  reminders?: ReminderRule;
}

/** Remind a client who has not opened a delivered document after `afterDays`, at most `max` times (0: never). */
export interface ReminderRule {
  afterDays: number;
  max: number;
}

/**
 * Who checked a version's SHA-256: `s3` when S3 refused any body but the declared one (a single POST
 * whose policy pins `x-amz-checksum-sha256`); `s3-parts` when S3 checked each part against its own
 * SHA-256 and the whole-file hash is the uploader's (S3 keeps only a checksum of part checksums).
 */
export type ChecksumCheck = 's3' | 's3-parts';

export interface FileNode extends NodeCommon {
  kind: 'file';
  folderId: string;
  currentVersionId: string;
  /**
   * Where the current version's bytes are, when not at objectKeyOf(id, currentVersionId): a version
   * made current again points at the object of the version it restores.
   */
  objectKey?: string;
  size: number;
  contentType: string;
  sha256?: string;
  /** Who checked the current version's sha256 (absent: nobody, or uploaded before checksums). */
  verifiedBy?: ChecksumCheck;
  /** S3's version id of the current version's bytes: downloads are pinned to it. */
  s3VersionId?: string;
  /** Clients must confirm receipt of this file (unset = as its folder says). */
  requiresAcknowledgement?: boolean;
}

export type Node = FolderNode | FileNode;

export interface FileVersion {
  fileId: string;
  versionId: string;
  status: 'pending' | 'ready';
  objectKey: string;
  size: number;
  contentType: string;
  /** The content's SHA-256 (hex), once completed with a checked hash; `verifiedBy` says who checked it. */
  sha256?: string;
  verifiedBy?: ChecksumCheck;
  /** While pending: the SHA-256 the uploader declared, which S3 is told to enforce. */
  declaredSha256?: string;
  uploadId?: string;
  /** A multipart upload's plan: part URLs are handed out in pages of these. */
  partSize?: number;
  partCount?: number;
  /** Recorded on completion: S3's ETag and version id of the bytes (downloads are pinned to the version). */
  etag?: string;
  s3VersionId?: string;
  /** For a pending first upload: the name and folder the file will get. */
  pendingName?: string;
  pendingFolderId?: string;
  uploadedBy: string;
  uploadedAt: string;
  completedAt?: string;
  /** An older version made current again: this item points at that version's object. */
  restoredFrom?: string;
}

/** The S3 key of a version's bytes: server-made, never derived from a name. */
export const objectKeyOf = (fileId: string, versionId: string) => `files/${fileId}/${versionId}`;

/** Where the bytes clients get (the current version's) are. */
export const currentObjectKey = (f: Pick<FileNode, 'id' | 'currentVersionId' | 'objectKey'>) =>
  f.objectKey ?? objectKeyOf(f.id, f.currentVersionId);

/** Who holds a name inside a folder (names are unique per folder, ignoring case). */
export interface NameClaim {
  kind: 'folder' | 'file';
  id: string;
  /** Set while the claim belongs to an upload not yet completed. */
  pendingUntil?: string;
  /** When the claim was made: a create that crashed before its node leaves a claim this old. */
  claimedAt?: string;
}

/** What a PATCH changes on a node; `null` removes an optional field (inherit, or no value). */
export interface NodeChanges {
  name?: string;
  parent?: string;
  ancestors?: string[];
  receiptsToUploader?: boolean | null;
  taxId?: string | null;
  clientCode?: string | null;
  requiresAcknowledgement?: boolean | null;
  reminders?: ReminderRule | null;
}

/** What identifies a client's folder across the company: its tax id or its client code. */
export type ClientIdKind = 'taxId' | 'clientCode';

/** Who holds a tax id or client code (one item per value: the conditional write that keeps them unique). */
export interface ClientIdClaim {
  kind: ClientIdKind;
  value: string;
  folderId: string;
  /** The folder's ancestry when claimed: a lookup fetches the folder and its chain in one round. */
  ancestors: string[];
  claimedAt: string;
}

/** One page of a folder's children, folders first, each sorted by collated name. */
export interface ChildPage {
  folders: FolderNode[];
  files: FileNode[];
  nextCursor?: string;
}

// ---- people and their access ------------------------------------------------------

export type UserKind = 'staff' | 'webuser';
export type UserStatus = 'active' | 'disabled';
export type StaffRole = 'admin' | 'staff';
/** The user pool's groups: what the API's audience check reads from a token. */
export type Group = 'admin' | 'staff' | 'webusers';

export interface UserProfile {
  id: string;
  email: string;
  name: string;
  kind: UserKind;
  status: UserStatus;
  language: Language;
  createdAt: string;
  updatedAt: string;
  createdBy?: string;
  /** Hash of the one invitation token that still works. */
  inviteHash?: string;
  grantCount?: number;
  /** Staff only: admins also manage staff accounts and company settings. */
  role?: StaffRole;
  /**
   * Staff only: when the current authenticator app was confirmed (with a code mailed to them). Admin routes
   * accept only sessions that began since.
   */
  twoStepSince?: string;
}

export interface Grant {
  userId: string;
  folderId: string;
  expiresAt?: string;
  grantedBy: string;
  grantedAt: string;
  /** The folder's ancestry when granted: lets a read fetch the chain in the same round trip. */
  ancestors: string[];
  /**
   * The web user's email and name, kept with the grant (and renamed with them) so that who a folder
   * is shared with, inherited grants included, needs no read of their profiles.
   */
  email?: string;
  name?: string;
}

/** Written by the client functions (they may not touch profiles): last seen, sign-in, activation. */
export interface SessionState {
  lastSeenAt?: string;
  lastAuthTime?: string;
  activatedAt?: string;
}

/** "Send by email": a capability token for one folder's subtree, stored only as its SHA-256. */
export interface ShareLink {
  id: string;
  tokenHash: string;
  folderId: string;
  /** The folder's ancestry when the link was made: the chain check's first guess. */
  ancestors: string[];
  email: string;
  name?: string;
  message?: string;
  language: Language;
  createdBy: string;
  createdAt: string;
  expiresAt: string;
  revokedAt?: string;
  revokedBy?: string;
  /** A password the holder must also give (X-Share-Password), kept only as its scrypt hash. */
  passwordHash?: string;
  /** Downloads the link allows; after the last one it opens nothing, as if expired. */
  maxDownloads?: number;
  /** Mail the sender once, when the link is first opened. */
  notifyOnOpen?: boolean;
  /** Extended: the id of the link mailed in its place (this one stays dead). */
  replacedBy?: string;
  /** Downloads handed out so far (kept in a counter item the link function may write; read with the link). */
  downloads?: number;
}

/** A link's entry in the expiry calendar; `warnedAt` once its sender was told it expires soon. */
export interface ExpiryEntry {
  linkId: string;
  expiresAt: string;
  warnedAt?: string;
}

export interface Invitation {
  tokenHash: string;
  userId: string;
  createdAt: string;
  expiresAt: string;
  usedAt?: string;
}

// ---- the activity log ----------------------------------------------------------------

export const EVENT_TYPES = [
  'signin',
  'folder.listed',
  /** A file opened to look at (inline: the "Ver" preview, a thumbnail is named in its listing's event). */
  'preview',
  'download',
  'invitation.sent',
  'invitation.accepted',
  'grant.added',
  'grant.removed',
  'link.sent',
  'link.opened',
  'link.revoked',
  'user.created',
  'user.disabled',
  'user.enabled',
  'user.erased',
  'two_step.enabled',
  'access.denied',
  'folder.created',
  'folder.updated',
  'file.uploaded',
  'file.updated',
  /** Staff made an older version current again (a new version item pointing at the old bytes). */
  'version.restored',
  'item.trashed',
  'item.restored',
  /** A client confirmed receipt of a file that asks for it (the version and its SHA-256 in the details). */
  'acknowledged',
  /** The reminders job mailed a client the documents they have not opened yet. */
  'reminder.sent',
] as const;
export type EventType = (typeof EVENT_TYPES)[number];

export interface Actor {
  kind: 'staff' | 'webuser' | 'link' | 'anonymous';
  id: string;
  email?: string;
  name?: string;
}

export interface Target {
  kind: 'folder' | 'file' | 'user' | 'link';
  id: string;
  name?: string;
  /** Names from the root down, at the time of the event. */
  path?: string[];
  versionId?: string;
}

export interface ActivityEvent {
  id: string;
  at: string;
  type: EventType;
  actor: Actor;
  target?: Target;
  /**
   * The folders above the target at the time (its `ancestors`; for a link, its folder's chain
   * and the folder), so a folder's view includes its subtree. Events written before this was
   * settled may hold a file's folder twice: readers treat it as a set.
   */
  within?: string[];
  ip: string;
  userAgent: string;
  details?: Record<string, unknown>;
}

/** One client's confirmation of one version: written once (a conditional put), so confirming is idempotent. */
export interface Acknowledgement {
  fileId: string;
  versionId: string;
  actorId: string;
  eventId: string;
  at: string;
  sha256?: string;
}

/**
 * A document that came within a client's reach (a web user's grant or a link above it when it was
 * uploaded), until they open it: what "Pendientes" lists and what the reminders job reminds of.
 */
export interface Delivery {
  recipientKind: 'webuser' | 'link';
  /** The web user's id, or the link's id. */
  recipientId: string;
  recipientEmail: string;
  recipientName?: string;
  fileId: string;
  versionId: string;
  name: string;
  /** When the version came within reach (its upload). */
  deliveredAt: string;
  /** First previewed, downloaded or acknowledged since (listing a folder is not opening). */
  openedAt?: string;
  /** Reminders mailed for this delivery, and when the last one went. */
  reminders?: number;
  lastReminderAt?: string;
  /** No longer reachable (grant or link gone, file trashed): out of the lists. */
  droppedAt?: string;
}

/** What to read from the log: the most selective key given is the one queried. */
export interface ActivityQuery {
  actorId?: string;
  folderId?: string;
  /** Any target's id: a file, a folder, a user or a link. */
  targetId?: string;
  type?: string;
  /** ULID bounds (inclusive) derived from the from/to dates. */
  minId?: string;
  maxId?: string;
  /** The month partition (yyyy-mm) to read when no key filter is given. */
  month?: string;
}

// ---- the company and background work ---------------------------------------------------

export interface CompanySettings {
  name: string;
  colors: { primary: string; accent: string };
  defaultLanguage: Language;
  /** Default lifetime of a "Send by email" link. */
  linkDefaultDays: number;
  notifications: {
    /** Documents completed within this many minutes of the first go out in one mail. */
    batchMinutes: number;
    /** Default for folders that do not say: email the uploader when a client first downloads. */
    uploaderReceipts: boolean;
  };
  /** Activity older than this is removed by the retention job; 0 keeps it forever. */
  retentionMonths: number;
  /**
   * Mail a client who has not opened a delivered document after `afterDays` (counted from its delivery,
   * then from the last reminder), at most `max` times; `max` 0 is off.
   */
  reminders: ReminderRule;
  logoKey?: string;
  updatedAt?: string;
  updatedBy?: string;
}

/** What a company starts with, before its admin changes anything (named after the deployment). */
export function companyDefaults(name: string): CompanySettings {
  return {
    name,
    colors: { primary: '#1f4e79', accent: '#c8553d' },
    defaultLanguage: 'es',
    linkDefaultDays: 30,
    notifications: { batchMinutes: 10, uploaderReceipts: false },
    retentionMonths: 0,
    reminders: { afterDays: 7, max: 0 },
  };
}

/** A document waiting to be mailed to one recipient. */
export interface PendingDocument {
  userId: string;
  fileId: string;
  versionId: string;
  name: string;
  path: string[];
  queuedAt: string;
}
