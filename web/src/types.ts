/** Shapes the API returns (issues 3 and 4). Fields may grow, never change. */
export interface PathItem {
  id: string;
  name: string;
}

export interface Folder {
  id: string;
  name: string;
  parentId: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
}

export interface FileItem {
  id: string;
  name: string;
  folderId: string;
  size: number;
  contentType: string;
  currentVersionId: string;
  version: number;
  updatedAt: string;
}

export interface Listing {
  folder: Folder;
  path: PathItem[];
  folders: Folder[];
  files: FileItem[];
  nextCursor?: string;
}

export interface FileVersion {
  id?: string;
  versionId?: string;
  size: number;
  uploadedAt?: string;
  uploadedBy?: string;
  sha256?: string;
}

export interface Company {
  name: string;
  logoUrl?: string;
  colors?: { primary?: string; accent?: string; [k: string]: string | undefined };
}

export interface Me {
  id: string;
  email: string | null;
  name: string | null;
  groups: string[];
}

export interface WebUser {
  id: string;
  email: string;
  name: string;
  status: 'active' | 'disabled' | string;
  language?: 'es' | 'en';
  lastSeenAt?: string | null;
  grantCount?: number;
  grants?: number;
  createdAt?: string;
}

export interface Grant {
  folderId: string;
  /** Folder names from the top down (GET /webusers/{id}); ids and names elsewhere. */
  path?: PathItem[] | string[] | string;
  /** The granted folder's name. */
  name?: string | null;
  expiresAt?: string | null;
  grantedAt?: string;
  live?: boolean;
  userId?: string;
}

export interface ShareLink {
  id: string;
  folderId: string;
  email: string;
  name?: string;
  expiresAt: string;
  createdAt?: string;
  revokedAt?: string | null;
  status?: 'active' | 'expired' | 'revoked' | string;
}

export interface ActivityEvent {
  id: string;
  at: string;
  type: string;
  actor?: { id?: string; email?: string; name?: string; kind?: string } | string;
  target?:
    | { id?: string; name?: string; path?: string | string[] | PathItem[]; kind?: string; versionId?: string }
    | string;
  details?: Record<string, unknown>;
  ip?: string;
  userAgent?: string;
}

export type SingleUpload = { url: string; fields: Record<string, string> };
/** A multipart upload: `parts` holds the first page of part URLs; the rest come from GET .../parts. */
export type MultipartUpload = {
  uploadId: string;
  partSize: number;
  partCount: number;
  parts: { partNumber: number; url: string }[];
  /** When the first page's URLs stop working. */
  expiresAt?: string;
};
export interface UploadStart {
  file: FileItem;
  versionId: string;
  upload: SingleUpload | MultipartUpload;
}
