/**
 * The shapes the API answers, as functions/app/*.ts build them (views.ts, client-views.ts). One
 * function per route in api.ts returns each of these; no screen reads a response any other way.
 */
export interface PathItem {
  id: string;
  name: string;
}

export type Lang = 'es' | 'en';

/** A folder as staff see it (GET /folders/{id}). Client listings carry only id, name and updatedAt. */
export interface Folder {
  id: string;
  name: string;
  parentId?: string | null;
  version?: number;
  createdAt?: string;
  updatedAt: string;
  receiptsToUploader?: boolean | null;
  /** The client's tax id (NIF, NIE or CIF, upper case) and client code, when this is a client's folder. */
  taxId?: string | null;
  clientCode?: string | null;
  /** Clients must confirm receipt of the files beneath: true/false, or null to follow the folder above. */
  requiresAcknowledgement?: boolean | null;
  /** This folder's reminders for the documents beneath (max 0: none), or null to follow the folder above. */
  reminders?: ReminderRule | null;
}

export type ReminderRule = { afterDays: number; max: number };

export interface FileItem {
  id: string;
  name: string;
  folderId?: string;
  size: number;
  contentType: string;
  currentVersionId?: string;
  version?: number;
  updatedAt: string;
  /** Images up to a few MB: a short-lived presigned GET for a small preview (the listing recorded it). */
  thumbnailUrl?: string;
  /** Clients are asked to confirm receipt ("Confirmar recepción"): its own setting or its folders'. */
  requiresAcknowledgement?: boolean;
  /** In a client's listing: they already confirmed receipt of this version. */
  acknowledged?: boolean;
}

/** Staff's folder and file shapes: everything the client shapes have, and what changing them needs. */
export type StaffFolder = Required<Pick<Folder, 'parentId' | 'version' | 'createdAt'>> & Folder;
export type StaffFile = Required<Pick<FileItem, 'folderId' | 'currentVersionId' | 'version'>> &
  FileItem &
  StaffAcknowledgement;
/** What staff see of a file's acknowledgement of receipt. */
export interface StaffAcknowledgement {
  /** Clients must confirm receipt: the file's own setting or, when it has none, its folders'. */
  requiresAcknowledgement?: boolean;
  /** The file's own setting: true/false, or null to follow its folder. */
  acknowledgementSetting?: boolean | null;
}

export interface Listing<F extends Folder = Folder, D extends FileItem = FileItem> {
  folder: F;
  path: PathItem[];
  folders: F[];
  files: D[];
  nextCursor?: string;
}
export type StaffListing = Listing<StaffFolder, StaffFile>;

export interface ShareListing extends Listing {
  company?: Company;
  expiresAt?: string;
}

export interface TopFolder extends Folder {
  path: PathItem[];
  expiresAt: string | null;
}

/**
 * How a version's SHA-256 was checked: 's3' (S3 refused any body that did not match it) or 's3-parts'
 * (S3 checked each part; the whole-file hash is the uploader's). Absent for versions uploaded before.
 */
export type VerifiedBy = 's3' | 's3-parts';

export interface FileVersion {
  versionId: string;
  size: number;
  contentType: string;
  /** 64 hex characters; null or absent when it was not recorded (versions uploaded before). */
  sha256?: string | null;
  verifiedBy?: VerifiedBy | null;
  uploadedBy: string;
  uploadedByEmail?: string | null;
  uploadedByName?: string | null;
  uploadedAt: string;
  /** The version this one restored (staff made an older version current again). */
  restoredFrom?: string | null;
}

export interface FileDetails {
  /** The current version's hash and how it was checked may also be told on the file itself. */
  file: StaffFile & { sha256?: string | null; verifiedBy?: VerifiedBy | null };
  path: PathItem[];
  versions: FileVersion[];
}

export interface Company {
  name: string;
  logoUrl?: string;
  colors?: { primary?: string; accent?: string };
}

export interface Me {
  id: string;
  email: string | null;
  name: string | null;
  groups: string[];
}

export type UserStatus = 'active' | 'invited' | 'disabled';

export interface WebUser {
  id: string;
  email: string;
  name: string;
  status: UserStatus;
  language: Lang;
  createdAt: string;
  grantCount: number;
  lastSeenAt: string | null;
}

export interface GrantPath {
  folderId: string;
  name: string | null;
  path: string[];
  expiresAt: string | null;
  grantedAt: string;
  live: boolean;
}

export type LinkStatus = 'active' | 'expired' | 'revoked';

export interface ShareLink {
  id: string;
  folderId: string;
  email: string;
  name: string | null;
  createdAt: string;
  createdBy: string;
  expiresAt: string;
  revokedAt: string | null;
  status: LinkStatus;
  /** The holder must also type a password (never mailed with the link). */
  passwordProtected?: boolean;
  /** After this many downloads the link opens nothing, as if expired. */
  maxDownloads?: number | null;
  /** Downloads taken so far (only where the API reads the counter: the folder's links and sharing). */
  downloads?: number | null;
  /** The sender is mailed when it is first opened. */
  notifyOnOpen?: boolean;
  /** Extended: the link mailed in its place. */
  replacedBy?: string | null;
}

/** "Send by email" (POST /folders/{id}/send). */
export interface SendInput {
  email: string;
  name?: string;
  message?: string;
  expiresAt?: string;
  language: Lang;
  /** 8 to 128 characters; the API keeps only a slow hash of it and never mails it. */
  password?: string;
  maxDownloads?: number;
  /** Mail the sender once, when the link is first opened. */
  notifyOnOpen?: boolean;
}

/** What POST /folders/{id}/send and /links/{id}/extend answer about the link they mailed. */
export interface SentLink {
  id: string;
  folderId: string;
  email: string;
  expiresAt: string;
  passwordProtected: boolean;
  maxDownloads: number | null;
  notifyOnOpen: boolean;
}

export interface WebUserDetails {
  user: WebUser;
  grants: GrantPath[];
  links: ShareLink[];
  lastSeenAt: string | null;
}

/** Who a folder is shared with: its own grants and links, and those it inherits from the folders above. */
export interface Sharing {
  grants: Array<{
    userId: string;
    email: string | null;
    name: string | null;
    expiresAt: string | null;
    grantedAt: string;
    /** Set when the grant is on a folder above this one. */
    via: PathItem | null;
  }>;
  links: Array<ShareLink & { via: PathItem | null }>;
}

export interface Actor {
  kind: 'staff' | 'webuser' | 'link' | 'anonymous';
  id: string;
  email?: string;
  name?: string;
}

export interface ActivityEvent {
  id: string;
  at: string;
  type: string;
  actor: Actor;
  target?: {
    kind: 'folder' | 'file' | 'user' | 'link';
    id: string;
    name?: string;
    path?: string[];
    versionId?: string;
  };
  details?: Record<string, unknown>;
  ip: string;
  userAgent: string;
}

/** Someone an event names (its staff actor, the web user a grant was for), as the log answers them. */
export interface Person {
  id: string;
  kind: 'staff' | 'webuser';
  name: string | null;
  email: string | null;
}
export type People = Record<string, Person>;

export interface TrashItem {
  kind: 'folder' | 'file';
  id: string;
  name: string;
  parentId?: string | null;
  folderId?: string;
  size?: number;
  trashedAt: string;
  trashedBy: string;
  trashedByEmail: string | null;
  /** Where it was: the folders from the root down (the root is the company's name). */
  from: PathItem[];
}

export interface Recipient {
  kind: 'webuser' | 'link';
  id: string;
  email: string | null;
  name: string | null;
  via: { folderId: string; name: string | null };
  expiresAt: string | null;
  live: boolean;
  downloaded: boolean;
  firstDownloadAt: string | null;
  lastDownloadAt: string | null;
  downloads: number;
  previews: number;
  lastPreviewAt: string | null;
  receiptId: string | null;
  /** First looked at, downloaded or acknowledged (listing its folder is not opening it). */
  openedAt?: string | null;
  /** When they first confirmed receipt ("Confirmar recepción"). */
  acknowledgedAt?: string | null;
  /** Whether their latest confirmation is of the version clients get now. */
  acknowledgedCurrent?: boolean;
  acknowledgementReceiptId?: string | null;
}

export interface Receipts {
  file: {
    id: string;
    name: string;
    currentVersionId: string;
    path: string[];
    sha256?: string | null;
    verifiedBy?: VerifiedBy | null;
  };
  recipients: Recipient[];
}

export type AccessStatus = 'live' | 'expired' | 'revoked' | 'disabled' | 'folder-gone';

export interface AccessEntry {
  kind: 'grant' | 'link';
  folderId: string;
  path: string[];
  userId?: string;
  linkId?: string;
  email: string | null;
  name: string | null;
  expiresAt: string | null;
  status: AccessStatus;
  lastAccessAt: string | null;
}

export type StaffRole = 'admin' | 'staff';

export interface StaffAccount {
  id: string;
  email: string;
  name: string;
  role: StaffRole;
  status: UserStatus;
  language: Lang;
  createdAt: string;
}

export interface Settings {
  name: string;
  colors: { primary: string; accent: string };
  defaultLanguage: Lang;
  linkDefaultDays: number;
  notifications: { batchMinutes: number; uploaderReceipts: boolean };
  retentionMonths: number;
  /** Remind clients of documents they have not opened after `afterDays`, at most `max` times (0: off). */
  reminders: { afterDays: number; max: number };
  logoKey?: string | null;
  logoUrl?: string | null;
}

export type SettingsInput = Omit<Settings, 'logoUrl'>;

export interface PresignedPost {
  url: string;
  fields: Record<string, string>;
}
export type SingleUpload = { type: 'post' } & PresignedPost;
/** A part's presigned PUT; `headers` (its signed SHA-256) go with the part. */
export type PartUrl = { partNumber: number; url: string; headers?: Record<string, string> };
export type MultipartUpload = {
  type: 'multipart';
  uploadId: string;
  partSize: number;
  /** How many parts in all: `parts` holds the first page of URLs; the rest come from GET .../parts. */
  partCount: number;
  parts: PartUrl[];
  /** 'sha256': the upload declared its hash; part URLs come only with their parts' SHA-256s. */
  checksums?: 'sha256';
  /** When the first page's URLs stop working. */
  expiresAt?: string;
};
export interface UploadStart {
  file: { id: string; name: string; folderId?: string };
  versionId: string;
  upload: SingleUpload | MultipartUpload;
}

export interface DownloadUrl {
  url: string;
  expiresAt: string;
}

/** A file or folder found by name (GET /search and the portal's and share's): `path` ends at its parent. */
export interface SearchHit {
  kind: 'folder' | 'file';
  id: string;
  name: string;
  path: PathItem[];
  folderId: string;
}

/** One file of a "download all" or a selection (POST .../downloads): where it goes in the ZIP and its URL. */
export interface BatchFile {
  id: string;
  name: string;
  path: PathItem[];
  size: number;
  url: string;
  expiresAt: string;
}

/** A folder or a file found by name (the pickers), with where it is. */
export interface NodeHit {
  kind: 'folder' | 'file';
  id: string;
  name: string;
  path: PathItem[];
}

/** Why "Repartir a clientes" found no client folder for a file name (functions/domain/routing.ts). */
export type RouteReason = 'no-match' | 'ambiguous' | 'invalid';

/** One name of POST /routing/plan, in the order asked: the client folder it goes in, or why none. */
export type PlanRow =
  | {
      name: string;
      folderId: string;
      folderName: string;
      taxId: string | null;
      clientCode: string | null;
      /** The sub-path template expanded for this name ("Nóminas/2026/11"), '' without one. */
      subPath: string;
      /** Folder names from below the root to where the file will be, sub-path included. */
      path: string[];
    }
  | { name: string; folderId: null; reason: RouteReason };

/** A client's documents delivered and not opened yet (GET /deliveries/unopened), oldest first. */
export interface UnopenedClient {
  kind: 'webuser' | 'link';
  id: string;
  email: string;
  name: string | null;
  documents: Array<{
    fileId: string;
    name: string;
    folderId: string;
    versionId: string;
    /** The delivered version is still the file's current one. */
    current: boolean;
    deliveredAt: string;
    reminders: number;
    lastReminderAt: string | null;
  }>;
}
