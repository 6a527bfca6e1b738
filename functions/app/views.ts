/** What the API shows of stored items: explicit fields, never the raw item. */
import { displayStatus } from '../domain/access.ts';
import type {
  FileNode,
  FileVersion,
  FolderNode,
  ReminderRule,
  SessionState,
  ShareLink,
  UserProfile,
} from '../domain/model.ts';
import { linkStatus } from '../domain/sharing.ts';

export interface FolderView {
  id: string;
  name: string;
  parentId: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Uploader receipts for this folder: true/false, or null to inherit. */
  receiptsToUploader: boolean | null;
  /** The client's tax id and client code, when this is a client's folder. */
  taxId: string | null;
  clientCode: string | null;
  /** Clients must confirm receipt of the files beneath: true/false, or null to inherit. */
  requiresAcknowledgement: boolean | null;
  /** This folder's own reminders rule, or null to inherit (the nearest folder's above, else the company's). */
  reminders: ReminderRule | null;
}

export interface FileView {
  id: string;
  name: string;
  folderId: string;
  size: number;
  contentType: string;
  currentVersionId: string;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Clients must confirm receipt: the file's own setting or, when it has none, its folders'. */
  requiresAcknowledgement: boolean;
  /** The file's own setting: true/false, or null to follow its folder. */
  acknowledgementSetting: boolean | null;
}

export const folderView = (f: FolderNode): FolderView => ({
  id: f.id,
  name: f.name,
  parentId: f.parentId,
  version: f.version,
  createdAt: f.createdAt,
  updatedAt: f.updatedAt,
  receiptsToUploader: f.receiptsToUploader ?? null,
  taxId: f.taxId ?? null,
  clientCode: f.clientCode ?? null,
  requiresAcknowledgement: f.requiresAcknowledgement ?? null,
  reminders: f.reminders ?? null,
});

/** `asks`: whether the file asks for acknowledgement, its folders' settings included, where the caller knows them. */
export const fileView = (f: FileNode, asks?: boolean): FileView => ({
  id: f.id,
  name: f.name,
  folderId: f.folderId,
  size: f.size,
  contentType: f.contentType,
  currentVersionId: f.currentVersionId,
  version: f.version,
  createdAt: f.createdAt,
  updatedAt: f.updatedAt,
  requiresAcknowledgement: asks ?? f.requiresAcknowledgement ?? false,
  acknowledgementSetting: f.requiresAcknowledgement ?? null,
});

export const versionView = (v: FileVersion) => ({
  versionId: v.versionId,
  size: v.size,
  contentType: v.contentType,
  sha256: v.sha256 ?? null,
  verifiedBy: v.verifiedBy ?? null,
  uploadedBy: v.uploadedBy,
  uploadedAt: v.uploadedAt,
  completedAt: v.completedAt ?? null,
  restoredFrom: v.restoredFrom ?? null,
});

export function linkView(l: ShareLink, now: Date) {
  return {
    id: l.id,
    folderId: l.folderId,
    email: l.email,
    name: l.name ?? null,
    createdAt: l.createdAt,
    createdBy: l.createdBy,
    expiresAt: l.expiresAt,
    revokedAt: l.revokedAt ?? null,
    status: linkStatus(l, now),
    passwordProtected: !!l.passwordHash,
    maxDownloads: l.maxDownloads ?? null,
    // Only where the counter was read (the folder's links and sharing): elsewhere null, not a guess.
    downloads: typeof l.downloads === 'number' ? l.downloads : null,
    notifyOnOpen: !!l.notifyOnOpen,
    replacedBy: l.replacedBy ?? null,
  };
}

export function userView(p: UserProfile, s?: SessionState) {
  return {
    id: p.id,
    email: p.email,
    name: p.name,
    status: displayStatus(p, s),
    language: p.language,
    createdAt: p.createdAt,
    grantCount: p.grantCount ?? 0,
    lastSeenAt: s?.lastSeenAt ?? null,
  };
}

export function staffView(p: UserProfile, s?: SessionState) {
  return {
    id: p.id,
    email: p.email,
    name: p.name,
    role: p.role ?? 'staff',
    status: displayStatus(p, s),
    language: p.language,
    createdAt: p.createdAt,
  };
}
