/**
 * Acknowledgement of receipt: staff mark a folder (and what is beneath it) or a file as asking clients
 * to confirm they received it. A file's own setting wins; else the nearest folder above that says.
 */
import type { FileNode, FolderNode } from './model.ts';

/** What a folder says for the files beneath it: its own setting, else the nearest folder above it that has one. */
export function folderAsksAcknowledgement(folder: FolderNode | undefined, byId: Map<string, FolderNode>): boolean {
  if (!folder) return false;
  if (folder.requiresAcknowledgement !== undefined) return folder.requiresAcknowledgement;
  for (let i = folder.ancestors.length - 1; i >= 0; i--) {
    const above = byId.get(folder.ancestors[i]);
    if (above?.requiresAcknowledgement !== undefined) return above.requiresAcknowledgement;
  }
  return false;
}

/** Whether a file asks for acknowledgement, given the folders above it (root..its folder) by id. */
export function fileAsksAcknowledgement(
  file: Pick<FileNode, 'requiresAcknowledgement' | 'ancestors'>,
  byId: Map<string, FolderNode>,
): boolean {
  if (file.requiresAcknowledgement !== undefined) return file.requiresAcknowledgement;
  for (let i = file.ancestors.length - 1; i >= 0; i--) {
    const above = byId.get(file.ancestors[i]);
    if (above?.requiresAcknowledgement !== undefined) return above.requiresAcknowledgement;
  }
  return false;
}
