/** What the API shows of stored items: explicit fields, never the raw item. */
import type { FileNode, FileVersion, FolderNode } from '../store/nodes.ts';
import { ROOT_ID } from '../store/keys.ts';

export interface FolderView {
  id: string;
  name: string;
  parentId: string | null;
  version: number;
  createdAt: string;
  updatedAt: string;
  /** Uploader receipts for this folder: true/false, or null to inherit. */
  receiptsToUploader: boolean | null;
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
}

export const folderView = (f: FolderNode): FolderView => ({
  id: f.id,
  name: f.name,
  parentId: f.parentId,
  version: f.version,
  createdAt: f.createdAt,
  updatedAt: f.updatedAt,
  receiptsToUploader: f.receiptsToUploader ?? null,
});

export const fileView = (f: FileNode): FileView => ({
  id: f.id,
  name: f.name,
  folderId: f.folderId,
  size: f.size,
  contentType: f.contentType,
  currentVersionId: f.currentVersionId,
  version: f.version,
  createdAt: f.createdAt,
  updatedAt: f.updatedAt,
});

export const versionView = (v: FileVersion) => ({
  versionId: v.versionId,
  size: v.size,
  contentType: v.contentType,
  sha256: v.sha256 ?? null,
  uploadedBy: v.uploadedBy,
  uploadedAt: v.uploadedAt,
  completedAt: v.completedAt ?? null,
});

export function rootFolder(companyName: string): FolderNode {
  const epoch = new Date(0).toISOString();
  return {
    kind: 'folder',
    id: ROOT_ID,
    name: companyName,
    parentId: null as unknown as string,
    ancestors: [],
    version: 0,
    createdAt: epoch,
    updatedAt: epoch,
    createdBy: 'system',
  };
}
