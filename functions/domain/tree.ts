/**
 * The folder tree's rules. Every node stores the ids of its ancestors
 * (root..parent). Reads fetch those ancestors in the same round trip as the
 * node's grants and check that the chain still holds: each ancestor's parent
 * is the one before it and none is in the trash. A chain that does not hold
 * (a move still rewriting a subtree, or one that crashed) is never trusted.
 */
import { type FileNode, type FolderNode, type Node, ROOT_ID } from './model.ts';

export const MAX_DEPTH = 40;

export interface TreeNode {
  id: string;
  name: string;
  parentId: string;
  ancestors: string[];
  trashedAt?: string;
}

export type ChainState = 'ok' | 'trashed' | 'stale';

/** `byId` holds the fetched ancestor folders (missing = gone). */
export function checkChain(node: TreeNode, byId: Map<string, TreeNode>): ChainState {
  if (node.trashedAt) return 'trashed';
  const chain = node.ancestors;
  if (chain[0] !== ROOT_ID) return 'stale';
  if (chain[chain.length - 1] !== node.parentId) return 'stale';
  for (let i = 1; i < chain.length; i++) {
    const a = byId.get(chain[i]);
    if (!a) return 'stale';
    if (a.trashedAt) return 'trashed';
    if (a.parentId !== chain[i - 1]) return 'stale';
  }
  return 'ok';
}

/** Breadcrumbs from `from` (inclusive; default the root) down to the node itself. */
export function breadcrumbs(
  node: { id: string; name: string; ancestors: string[] },
  byId: Map<string, { name: string }>,
  rootName: string,
  from = ROOT_ID,
): Array<{ id: string; name: string }> {
  const ids = [...node.ancestors, node.id];
  const start = ids.indexOf(from);
  if (start < 0) return [];
  return ids
    .slice(start)
    .map((id) => ({ id, name: id === node.id ? node.name : id === ROOT_ID ? rootName : (byId.get(id)?.name ?? '') }));
}

/** A folder may not move into itself or anything beneath it. */
export function isInsideSubtree(folderId: string, target: { id: string; ancestors: string[] }): boolean {
  return target.id === folderId || target.ancestors.includes(folderId);
}

export function childAncestors(parent: { id: string; ancestors: string[] }): string[] {
  return [...parent.ancestors, parent.id];
}

/** A node's parent folder: a folder's `parentId`, a file's `folderId`. */
export const parentOf = (n: Node) => (n.kind === 'folder' ? n.parentId : n.folderId);

/** The root as a folder (never stored): named after the company. */
export function virtualRoot(companyName: string): FolderNode {
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

/** Names of the folders from `from` (inclusive) down to the file's folder. */
export function pathFrom(file: FileNode, byId: Map<string, FolderNode>, from: string): string[] {
  const ids = [...file.ancestors];
  const start = Math.max(0, ids.indexOf(from));
  return ids
    .slice(start)
    .filter((id) => id !== ROOT_ID)
    .map((id) => byId.get(id)?.name ?? '');
}

/** The nearest folder (from the file's own folder up) that says whether to send uploader receipts. */
export function receiptsWanted(file: FileNode, byId: Map<string, FolderNode>, fallback: boolean): boolean {
  for (const id of [...file.ancestors].reverse()) {
    const setting = byId.get(id)?.receiptsToUploader;
    if (typeof setting === 'boolean') return setting;
  }
  return fallback;
}

/** Names from the root down (for activity events), skipping the virtual root. */
export function pathNames(ancestors: string[], byId: Map<string, { name: string }>): string[] {
  return ancestors.map((id) => byId.get(id)?.name).filter((n): n is string => !!n);
}
