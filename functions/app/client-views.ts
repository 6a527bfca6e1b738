/**
 * What a client (web user or link holder) sees of a folder: the same shape
 * for the portal, share links and the staff's "view as", built by one function.
 */
import { breadcrumbs } from '../domain/tree.ts';
import type { FileNode, FolderNode } from '../store/nodes.ts';
import * as nodes from '../store/nodes.ts';

export const clientFolder = (f: FolderNode) => ({ id: f.id, name: f.name, updatedAt: f.updatedAt });
export const clientFile = (f: FileNode) => ({
  id: f.id,
  name: f.name,
  size: f.size,
  contentType: f.contentType,
  updatedAt: f.updatedAt,
});

/** The listing of a folder a client may see, with breadcrumbs starting at `viewRoot`. */
export function clientListing(
  folder: FolderNode,
  byId: Map<string, { name: string }>,
  viewRoot: string,
  children: nodes.ChildPage,
) {
  return {
    folder: clientFolder(folder),
    path: breadcrumbs(folder, byId, '', viewRoot),
    folders: children.folders.map(clientFolder),
    files: children.files.map(clientFile),
    ...(children.nextCursor ? { nextCursor: children.nextCursor } : {}),
  };
}

/** Names from the root down (for activity events), skipping the virtual root. */
export function pathNames(ancestors: string[], byId: Map<string, { name: string }>): string[] {
  return ancestors.map((id) => byId.get(id)?.name).filter((n): n is string => !!n);
}
